/**
 * Security values an edge would refuse at start-up are refused before anything is made, by
 * the chart (`helm template` fails) and by the operator (`validateCluster`: Ready=False,
 * InvalidSpec) alike, with the same reason naming the same value (the operator's under
 * `spec.`). Each case changes one thing in otherwise valid values. The same for the security
 * between the services, whose etcd refusals also give the config parser's own reason, and
 * an admin API whose tokens would lock the console (or the chart's operator) out.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config/config.js';
import { clusterSettings } from '../../../../lib/operator/cluster/cluster-spec.js';
import { validateCluster } from '../../../../lib/operator/cluster/validate-cluster.js';
import { makeTempDir, removeDir } from '../../../fixtures/processes.js';
import { parseObjects, template, templateFailure } from '../rendered.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir('security-refusals');
});
afterAll(() => {
  removeDir(dir);
});

const internal = { name: 'INTERNAL', protocol: 'PLAINTEXT', port: 9092, external: true };
const tlsListener = { name: 'SECURE', protocol: 'SASL_SSL', port: 9094, external: true };
const saslListener = { name: 'SASL', protocol: 'SASL_PLAINTEXT', port: 9096 };
const tlsSecret = { name: 'edge-tls' };
const scram = { enabledMechanisms: ['SCRAM-SHA-256'], plainUsersSecretRef: null, maxReauthMs: 0 };

function valuesFile(v: object): string {
  const file = join(dir, `values-${Date.now()}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(v));
  return file;
}

function values(security: object, edge: object = {}) {
  return {
    edge,
    security: {
      listeners: [internal],
      tls: { secretRef: null, clientAuth: 'none' },
      sasl: scram,
      ...security,
    },
  };
}

const CASES: [string, object][] = [
  ['an SSL listener without a TLS Secret', values({ listeners: [internal, tlsListener] })],
  [
    'a TLS Secret without a TLS listener',
    values({ tls: { secretRef: tlsSecret, clientAuth: 'none' } }),
  ],
  [
    'client certificates without a CA',
    values({ listeners: [tlsListener], tls: { secretRef: tlsSecret, clientAuth: 'required' } }),
  ],
  [
    'PLAIN without a users file',
    values({
      listeners: [tlsListener],
      tls: { secretRef: tlsSecret, clientAuth: 'none' },
      sasl: { ...scram, enabledMechanisms: ['PLAIN'] },
    }),
  ],
  [
    'a users file without PLAIN',
    values({
      listeners: [internal, saslListener],
      sasl: { ...scram, plainUsersSecretRef: { name: 'users' } },
    }),
  ],
  [
    'a users file without a SASL listener',
    values({
      sasl: { ...scram, enabledMechanisms: ['PLAIN'], plainUsersSecretRef: { name: 'users' } },
    }),
  ],
  ['a listener name twice', values({ listeners: [internal, { ...internal, port: 9093 }] })],
  ['two listeners on one port', values({ listeners: [internal, { ...internal, name: 'OTHER' }] })],
  ['no external listener', values({ listeners: [{ ...internal, external: false }] })],
  [
    'the single-address mode with listeners',
    values({}, { singleAddress: { enabled: true, advertisedAddr: 'lb:9092' } }),
  ],
];

describe('security values refused by the chart and the operator alike', () => {
  it.each(CASES)('%s', async (_what, v) => {
    const problems = validateCluster(clusterSettings(v));
    expect(problems).toHaveLength(1);
    const chartMessage = await templateFailure(['-f', valuesFile(v)]);
    expect(chartMessage).toContain((problems[0] ?? '').replace(/^spec\./, ''));
  });

  it('the base of the cases is accepted by both', async () => {
    const base = values({ listeners: [internal, saslListener] });
    expect(validateCluster(clusterSettings(base))).toEqual([]);
    expect(parseObjects(await template(['-f', valuesFile(base)])).length).toBeGreaterThan(10);
  });
});

const grpcSecret = { name: 'grpc-tls' };
const tokens = { name: 'admin-tokens' };
const httpsEtcd = ['https://etcd-0:2379', 'https://etcd-1:2379'];

function servicesValues(services: object, etcd: object = {}, more: object = {}) {
  return {
    ...more,
    etcd: { endpoints: httpsEtcd, ...etcd },
    security: {
      services: {
        grpcTls: { secretRef: null, serverName: '' },
        adminTokensSecretRef: null,
        adminClientTokenSecretRef: null,
        ...services,
      },
    },
  };
}

/** What the config parser says of etcd TLS files with these endpoints (its reason only). */
function parserReason(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message.replace(/^[A-Z_]+="[^"]*": /, '');
  }
  throw new Error('the config parser accepted it');
}

const SERVICE_CASES: [string, object, Record<string, string> | null][] = [
  [
    'a gRPC server name without the gRPC TLS Secret',
    servicesValues({ grpcTls: { secretRef: null, serverName: 'kafscale-internal' } }),
    null,
  ],
  [
    'admin tokens the console could not present (no client token, no mutual TLS)',
    servicesValues({ adminTokensSecretRef: tokens }),
    null,
  ],
  [
    'an etcd client certificate without its key',
    servicesValues({}, { tlsSecretRef: { name: 'etcd-tls', certKey: 'tls.crt' } }),
    {
      KAFSCALE_ETCD_ENDPOINTS: httpsEtcd.join(','),
      KAFSCALE_ETCD_CERT_FILE: '/etc/kafscale/etcd-tls/tls.crt',
    },
  ],
  [
    'an etcd key without its certificate',
    servicesValues({}, { tlsSecretRef: { name: 'etcd-tls', keyKey: 'tls.key' } }),
    {
      KAFSCALE_ETCD_ENDPOINTS: httpsEtcd.join(','),
      KAFSCALE_ETCD_KEY_FILE: '/etc/kafscale/etcd-tls/tls.key',
    },
  ],
  [
    'etcd TLS with an http:// endpoint',
    servicesValues(
      {},
      {
        endpoints: ['https://etcd-0:2379', 'http://etcd-1:2379'],
        tlsSecretRef: { name: 'etcd-tls' },
      },
    ),
    {
      KAFSCALE_ETCD_ENDPOINTS: 'https://etcd-0:2379,http://etcd-1:2379',
      KAFSCALE_ETCD_CA_FILE: '/etc/kafscale/etcd-tls/ca.crt',
    },
  ],
];

describe('security between the services refused by the chart and the operator alike', () => {
  it.each(SERVICE_CASES)('%s', async (_what, v, parserEnv) => {
    const problems = validateCluster(clusterSettings(v));
    expect(problems).toHaveLength(1);
    const problem = (problems[0] ?? '').replace(/^spec\./, '');
    expect(await templateFailure(['-f', valuesFile(v)])).toContain(problem);
    if (parserEnv !== null) expect(problem).toContain(parserReason(parserEnv));
  });

  it.each([
    ['with the client token', { adminTokensSecretRef: tokens, adminClientTokenSecretRef: tokens }],
    ['with mutual TLS', { adminTokensSecretRef: tokens, grpcTls: { secretRef: grpcSecret } }],
  ])('admin tokens are accepted by both %s', async (_what, services) => {
    const v = servicesValues(services);
    expect(validateCluster(clusterSettings(v))).toEqual([]);
    expect(parseObjects(await template(['-f', valuesFile(v)])).length).toBeGreaterThan(10);
  });

  it('admin tokens are accepted by both without a console', async () => {
    const v = servicesValues({ adminTokensSecretRef: tokens }, {}, { console: { enabled: false } });
    expect(validateCluster(clusterSettings(v))).toEqual([]);
    expect(parseObjects(await template(['-f', valuesFile(v)])).length).toBeGreaterThan(10);
  });

  it('the chart also refuses admin tokens its own operator could not present', async () => {
    const v = servicesValues(
      { adminTokensSecretRef: tokens },
      {},
      { console: { enabled: false }, operator: { enabled: true } },
    );
    expect(await templateFailure(['-f', valuesFile(v)])).toContain(
      'security.services.adminTokensSecretRef: the operator would be refused by the admin API',
    );
    const both = servicesValues(
      { adminTokensSecretRef: tokens },
      {},
      { operator: { enabled: true } },
    );
    expect(await templateFailure(['-f', valuesFile(both)])).toContain(
      'the console and the operator would be refused',
    );
  });
});
