/**
 * deploy/helm/kafscale with `security` set (operator/cluster-values.ts SECURITY: a PLAINTEXT,
 * an SSL, a SASL_SSL and a SASL_PLAINTEXT listener, TLS with client certificates, PLAIN from
 * a users-file Secret): what an edge pod gets loads in the edge's own configuration parser
 * as those listeners, TLS and SASL settings; the Secrets reach the edge pods only, as
 * read-only volumes, never through env or a ConfigMap; the edge Service serves the external
 * listeners only. With the security between the services (cluster-values.ts
 * SERVICE_SECURITY), each pod's settings load in the config parser as the gRPC TLS, admin
 * token and etcd TLS files of the Secrets mounted into that pod, and each pod mounts only the
 * Secrets its process reads. (helm-chart.test.ts checks each setting's value and its refusal
 * in config; operator/security-refusals-parity.test.ts the values the chart refuses.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/config.js';
import { SECURITY, SERVICE_SECURITY } from './operator/cluster-values.js';
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
let servicesObjects: K8sObject[];
const SECRETS = ['edge-tls', 'edge-plain'];

beforeAll(async () => {
  objects = parseObjects(
    await template(['--set-json', `security=${JSON.stringify(SECURITY.security)}`]),
  );
  servicesObjects = parseObjects(
    await template([
      '--set-json',
      `etcd=${JSON.stringify(SERVICE_SECURITY.etcd)}`,
      '--set-json',
      `security=${JSON.stringify(SERVICE_SECURITY.security)}`,
      '--set',
      'operator.enabled=true',
    ]),
  );
});

/**
 * The environment a workload's process sees: its ConfigMap, then its env (pod IP and name
 * filled in; Secret references left out, as nothing here reads them).
 */
function environment(rendered: readonly K8sObject[], workload: K8sObject): Record<string, string> {
  const c = container(workload);
  const configMap = c.envFrom?.[0]?.configMapRef?.name ?? '';
  const env: Record<string, string> = { ...find(rendered, 'ConfigMap', configMap).data };
  for (const e of c.env ?? [])
    if (e.value !== undefined)
      env[e.name] = e.value.replaceAll('$(POD_IP)', '10.1.2.3').replaceAll('$(POD_NAME)', 'p-0');
  return env;
}

function edgeEnvironment(): Record<string, string> {
  return environment(objects, find(objects, 'Deployment', 'kafscale-edge'));
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

/** Each mounted Secret file of a workload: its path in the pod, and the Secret and key it holds. */
function mountedFiles(workload: K8sObject): Map<string, string> {
  const spec = podSpec(workload);
  const files = new Map<string, string>();
  for (const m of container(workload).volumeMounts ?? []) {
    const secret = spec.volumes?.find((v) => v.name === m.name)?.secret;
    if (secret === undefined) continue;
    expect(m, `${workload.metadata.name} ${m.name}`).toMatchObject({ readOnly: true });
    for (const item of secret.items ?? [])
      files.set(`${m.mountPath}/${item.path}`, `${secret.secretName}/${item.key}`);
  }
  return files;
}

const SERVICE_SECRETS = ['svc-grpc', 'svc-admin-tokens', 'svc-admin-client', 'svc-etcd'];
const GRPC_FILES = {
  '/etc/kafscale/grpc-tls/tls.crt': 'svc-grpc/svc.pem',
  '/etc/kafscale/grpc-tls/tls.key': 'svc-grpc/svc-key.pem',
  '/etc/kafscale/grpc-tls/ca.crt': 'svc-grpc/ca.pem',
};
const ETCD_FILES = {
  '/etc/kafscale/etcd-tls/ca.crt': 'svc-etcd/etcd-ca.pem',
  '/etc/kafscale/etcd-tls/tls.crt': 'svc-etcd/etcd-client.pem',
  '/etc/kafscale/etcd-tls/tls.key': 'svc-etcd/etcd-client-key.pem',
};
const TOKENS_FILE = { '/etc/kafscale/admin-tokens/tokens': 'svc-admin-tokens/tokens.txt' };
const TOKEN_FILE = { '/etc/kafscale/admin-token/token': 'svc-admin-client/ops-token' };

/** What each process reads (lib/cli/services/run-*.ts), so what its pod mounts. */
const READS: [string, Record<string, string>][] = [
  ['kafscale-edge', { ...GRPC_FILES, ...ETCD_FILES }],
  ['kafscale-controlplane', { ...GRPC_FILES, ...TOKENS_FILE, ...ETCD_FILES }],
  ['kafscale-storage-node', { ...GRPC_FILES, ...ETCD_FILES }],
  ['kafscale-console', { ...GRPC_FILES, ...TOKEN_FILE }],
  ['kafscale-operator', { ...GRPC_FILES, ...TOKEN_FILE }],
];

describe('the security between the services', () => {
  const workload = (name: string) =>
    workloads(servicesObjects).find((w) => w.metadata.name === name) ??
    find(servicesObjects, 'Deployment', name);

  it('mounts into each pod exactly the Secret files its process reads, read-only', () => {
    expect(
      workloads(servicesObjects)
        .map((w) => w.metadata.name)
        .sort(),
    ).toEqual(READS.map(([name]) => name).sort());
    for (const [name, files] of READS)
      expect(Object.fromEntries(mountedFiles(workload(name))), name).toEqual(files);
  });

  it.each(READS)(
    '%s: its settings load in the config parser and name files mounted in its pod',
    (name, files) => {
      const w = workload(name);
      const config = loadConfig(environment(servicesObjects, w));
      const grpc = config.serviceTls;
      expect(grpc, name).toEqual({
        certFile: '/etc/kafscale/grpc-tls/tls.crt',
        keyFile: '/etc/kafscale/grpc-tls/tls.key',
        caFile: '/etc/kafscale/grpc-tls/ca.crt',
        serverName: 'kafscale-internal',
      });
      const named = [
        grpc?.certFile,
        grpc?.keyFile,
        grpc?.caFile,
        config.adminAuth.tokensFile,
        config.adminAuth.tokenFile,
        config.etcd?.tls?.caFile,
        config.etcd?.tls?.certFile,
        config.etcd?.tls?.keyFile,
      ].filter((f): f is string => f !== undefined);
      expect(named.sort(), name).toEqual(Object.keys(files).sort());
      if (Object.keys(files).some((f) => f.startsWith('/etc/kafscale/etcd-tls/')))
        expect(config.etcd?.endpoints, name).toEqual(SERVICE_SECURITY.etcd.endpoints);
    },
  );

  it('names no Secret in an env entry or a ConfigMap', () => {
    const text = JSON.stringify(
      servicesObjects.filter((o) => o.kind === 'ConfigMap').map((o) => o.data),
    );
    const envs = JSON.stringify(workloads(servicesObjects).map((w) => container(w).env));
    for (const secret of SERVICE_SECRETS) {
      expect(envs).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
  });
});
