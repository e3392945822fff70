/**
 * The operator makes the objects the Helm chart makes: for the same values (a
 * KafscaleCluster's spec has the chart's value names), `helm template` of release
 * `kafscale` and the operator's objects for cluster `kafscale` are the same set of kinds
 * and names, with the same specs (images, arguments, environment, secret references,
 * probes, ports, resources, security contexts, Services, HPA, PDBs, Secret volumes and their
 * mounts) and the same
 * ConfigMap data. Only what cannot be the same is left out: Helm's own labels and the
 * config checksum's text. The refused settings are the chart's too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clusterSettings } from '../../../../lib/operator/cluster/cluster-spec.js';
import { clusterObjects } from '../../../../lib/operator/cluster/cluster-objects.js';
import { REFUSED_CONFIG } from '../../../../lib/operator/cluster/refused-config.js';
import { makeTempDir, removeDir } from '../../../fixtures/processes.js';
import { CHART } from '../k8s-tools.js';
import {
  NON_DEFAULT,
  NO_AUTOSCALING_NO_CONSOLE,
  SECURITY,
  SERVICE_SECURITY,
} from './cluster-values.js';
import { parseObjects, template, type K8sObject } from '../rendered.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir('operator-parity');
});
afterAll(() => {
  removeDir(dir);
});

async function chartObjects(values: object): Promise<K8sObject[]> {
  const file = join(dir, `values-${Date.now()}.yaml`);
  writeFileSync(file, JSON.stringify(values));
  return parseObjects(await template(['-f', file]));
}

/** An object without what only Helm or only the operator puts there. */
function comparable(o: K8sObject): unknown {
  const copy = JSON.parse(JSON.stringify(o)) as Record<string, unknown> & {
    metadata: Record<string, unknown>;
    spec?: { template?: { metadata?: { annotations?: Record<string, string> } } };
  };
  delete copy.metadata.labels;
  delete copy.metadata.namespace;
  const annotations = copy.spec?.template?.metadata?.annotations;
  if (annotations !== undefined) {
    expect(annotations['checksum/config'], `${o.kind}/${o.metadata.name}`).toMatch(
      /^[0-9a-f]{64}$/,
    );
    delete annotations['checksum/config'];
  }
  return copy;
}

const key = (o: { kind: string; metadata: { name?: string } }) =>
  `${o.kind}/${o.metadata.name ?? ''}`;

async function compare(values: object) {
  const chart = await chartObjects(values);
  const operator = clusterObjects('kafscale', 'kafscale', clusterSettings(values)) as K8sObject[];
  expect(operator.map(key).sort()).toEqual(chart.map(key).sort());
  for (const c of chart) {
    const o = operator.find((x) => key(x) === key(c));
    if (o === undefined) throw new Error(`the operator makes no ${key(c)}`);
    expect(comparable(o), key(c)).toEqual(comparable(c));
  }
  return { chart, operator };
}

describe('the operator and the chart make the same objects', () => {
  it('with the default values', async () => {
    const { operator } = await compare({});
    expect(operator.map(key)).toContain('StatefulSet/kafscale-storage-node');
    expect(operator.map(key)).toContain('HorizontalPodAutoscaler/kafscale-edge');
  });

  // Each comparison saw the values it names (it is not comparing two default renders).
  it.each([
    [
      'every field a KafscaleCluster can set changed',
      NON_DEFAULT,
      [
        'registry.example.com/kafscale:9.9.9',
        'etcd-cred',
        's3-cred',
        'console-token',
        'kafka.example.com:9092',
      ],
    ],
    [
      'listeners, TLS and SASL from Secrets',
      SECURITY,
      [
        'SASL_EXT://kafka.example.com:9094',
        'MTLS:SSL',
        'edge-tls',
        'chain.pem',
        'edge-plain',
        '/etc/kafscale/sasl/plain-users',
        '3600000',
      ],
    ],
    [
      'gRPC mutual TLS, admin tokens and etcd TLS from Secrets',
      SERVICE_SECURITY,
      [
        'svc-grpc',
        'svc-key.pem',
        'kafscale-internal',
        'svc-admin-tokens',
        'tokens.txt',
        'svc-admin-client',
        'ops-token',
        'etcd-client-key.pem',
        '/etc/kafscale/etcd-tls/tls.key',
        '/etc/kafscale/admin-token/token',
      ],
    ],
  ] as const)('with %s', async (_what, values, seen) => {
    const text = JSON.stringify((await compare(values)).chart);
    for (const v of seen) expect(text).toContain(v);
  });

  it('with autoscaling and the console off', async () => {
    const { operator } = await compare(NO_AUTOSCALING_NO_CONSOLE);
    expect(operator.map(key)).not.toContain('HorizontalPodAutoscaler/kafscale-edge');
    expect(operator.map(key)).not.toContain('Deployment/kafscale-console');
  });
});

describe('settings a spec may not give', () => {
  it("are the chart's refused settings, with the same reasons", () => {
    const helpers = readFileSync(join(CHART, 'templates/_helpers.tpl'), 'utf8');
    const block = /define "kafscale.refusedConfig" -}}\n([\s\S]*?)\{\{- end }}/.exec(helpers)?.[1];
    expect(block).toBeDefined();
    expect(REFUSED_CONFIG).toEqual(parse(block ?? ''));
  });
});
