/**
 * deploy/helm/kafscale with `security` set (operator/cluster-values.ts SECURITY: a PLAINTEXT,
 * an SSL, a SASL_SSL and a SASL_PLAINTEXT listener, TLS with client certificates, PLAIN from
 * a users-file Secret): what an edge pod gets loads in the edge's own configuration parser
 * as those listeners, TLS and SASL settings; the Secrets reach the edge pods only, as
 * read-only volumes, never through env or a ConfigMap; the edge Service serves the external
 * listeners only. (helm-chart.test.ts checks each setting's value and its refusal in
 * config; operator/security-refusals-parity.test.ts the values the chart refuses.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/config.js';
import { SECURITY } from './operator/cluster-values.js';
import {
  container,
  find,
  parseObjects,
  podSpec,
  template,
  workloads,
  type K8sObject,
} from './rendered.js';

let objects: K8sObject[];
const SECRETS = ['edge-tls', 'edge-plain'];

beforeAll(async () => {
  objects = parseObjects(
    await template(['--set-json', `security=${JSON.stringify(SECURITY.security)}`]),
  );
});

/** The environment the edge process sees: its ConfigMap, then its env (pod IP filled in). */
function edgeEnvironment(): Record<string, string> {
  const c = container(find(objects, 'Deployment', 'kafscale-edge'));
  const env: Record<string, string> = { ...find(objects, 'ConfigMap', 'kafscale-edge').data };
  for (const e of c.env ?? [])
    if (e.value !== undefined) env[e.name] = e.value.replaceAll('$(POD_IP)', '10.1.2.3');
  return env;
}

describe('an edge pod with security values', () => {
  it("gets settings the edge's configuration parser loads as the values say", () => {
    const config = loadConfig(edgeEnvironment());
    expect(
      config.listeners.map((l) => [
        l.name,
        l.protocol,
        `${l.listen.host}:${l.listen.port}`,
        l.advertised === undefined ? '-' : `${l.advertised.host}:${l.advertised.port}`,
      ]),
    ).toEqual([
      ['INTERNAL', 'PLAINTEXT', '0.0.0.0:9092', '10.1.2.3:9092'],
      ['SASL_EXT', 'SASL_SSL', '0.0.0.0:9094', 'kafka.example.com:9094'],
      ['MTLS', 'SSL', '0.0.0.0:9095', '10.1.2.3:9095'],
      ['SASL_IN', 'SASL_PLAINTEXT', '0.0.0.0:9096', '10.1.2.3:9096'],
    ]);
    expect(config.security.tls).toEqual({
      certFile: '/etc/kafscale/tls/tls.crt',
      keyFile: '/etc/kafscale/tls/tls.key',
      caFile: '/etc/kafscale/tls/ca.crt',
      clientAuth: 'required',
    });
    expect(config.security.sasl).toEqual({
      mechanisms: ['PLAIN', 'SCRAM-SHA-512'],
      plainUsersFile: '/etc/kafscale/sasl/plain-users',
      maxReauthMs: 3_600_000,
    });
  });

  it('names its container ports after the listeners', () => {
    const ports = container(find(objects, 'Deployment', 'kafscale-edge')).ports ?? [];
    expect(ports.map((p) => [p.name, p.containerPort])).toEqual([
      ['internal', 9092],
      ['sasl-ext', 9094],
      ['mtls', 9095],
      ['sasl-in', 9096],
      ['metrics', 39093],
    ]);
  });
});

describe('the security Secrets', () => {
  it('are volumes of the edge pods only, mounted read-only', () => {
    for (const w of workloads(objects)) {
      const volumes = podSpec(w).volumes ?? [];
      const secrets = volumes.flatMap((v) => (v.secret === undefined ? [] : [v.secret.secretName]));
      expect(secrets, w.metadata.name).toEqual(w.metadata.name === 'kafscale-edge' ? SECRETS : []);
    }
    const mounts = container(find(objects, 'Deployment', 'kafscale-edge')).volumeMounts ?? [];
    expect(mounts.filter((m) => m.name !== 'tmp')).toEqual([
      { name: 'tls', mountPath: '/etc/kafscale/tls', readOnly: true },
      { name: 'sasl-plain-users', mountPath: '/etc/kafscale/sasl', readOnly: true },
    ]);
  });

  it('are named in no env entry and no ConfigMap', () => {
    const text = JSON.stringify(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.data));
    const envs = JSON.stringify(workloads(objects).map((w) => container(w).env));
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      expect(envs).not.toContain(secret);
    }
  });
});

describe('the edge Services', () => {
  const ports = (name: string) =>
    (find(objects, 'Service', name).spec as { ports: { name: string; port: number }[] }).ports.map(
      (p) => `${p.name}:${p.port}`,
    );

  it('serve the external listeners on the client Service, every listener in the cluster', () => {
    expect(ports('kafscale-edge')).toEqual(['sasl-ext:9094', 'mtls:9095']);
    expect(ports('kafscale-edge-internal')).toEqual([
      'internal:9092',
      'sasl-ext:9094',
      'mtls:9095',
      'sasl-in:9096',
      'metrics:39093',
    ]);
  });
});
