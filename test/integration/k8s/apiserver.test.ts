/**
 * The chart's objects against a real Kubernetes API server (kube-apiserver v1.31 over a
 * real etcd, on loopback; no kubelet, so nothing runs): kubeconform with schemas taken
 * from that server's /openapi/v2, `kubectl apply --dry-run=server` with strict field
 * validation, and `helm install` / `helm upgrade` / `helm uninstall` of real releases.
 * With the default values, with values/production.yaml, and with listeners, TLS and SASL
 * from Secrets (operator/cluster-values.ts SECURITY), and with the security between the
 * services from Secrets, the operator's pod included (SERVICE_SECURITY).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/processes.js';
import { startKubeApiserver, type KubeApiserver } from './kube-apiserver.js';
import { writeKubeconformSchemas, type OpenApiV2 } from './kubeconform-schemas.js';
import { CHART, helmEnvironment, run } from './k8s-tools.js';
import { SECURITY, SERVICE_SECURITY } from './operator/cluster-values.js';
import { template } from './rendered.js';

const PRODUCTION = join(import.meta.dirname, 'values/production.yaml');
const SERVICEMONITOR_CRD = join(import.meta.dirname, 'fixtures/servicemonitor-crd.yaml');
const NAMESPACE = 'kafscale';

let api: KubeApiserver;
let dir: string;
let schemas: string;
const renders: Record<'defaults' | 'production' | 'security' | 'services', string> = {
  defaults: '',
  production: '',
  security: '',
  services: '',
};

function kubectl(args: readonly string[], input?: string) {
  return run(
    'kubectl',
    ['--kubeconfig', api.kubeconfig, ...args],
    input === undefined ? {} : { input },
  );
}

async function kubectlOk(args: readonly string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.code !== 0)
    throw new Error(`kubectl ${args.join(' ')}: exit ${r.code}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function helm(args: readonly string[]) {
  return run('helm', [...args, '--kubeconfig', api.kubeconfig], {
    env: helmEnvironment(),
    timeoutMs: 60_000,
  });
}

beforeAll(async () => {
  api = await startKubeApiserver();
  dir = makeTempDir('k8s-chart');
  await kubectlOk(['create', 'namespace', NAMESPACE]);
  // The ServiceMonitor kind (production values) exists only with its CRD: a reduced
  // stand-in of the Prometheus Operator's (see the fixture's header).
  await kubectlOk(['apply', '-f', SERVICEMONITOR_CRD]);
  await kubectlOk([
    'wait',
    '--for=condition=Established',
    '--timeout=30s',
    'crd/servicemonitors.monitoring.coreos.com',
  ]);
  // Schemas from the server itself, the CRD included.
  schemas = join(dir, 'schemas');
  const count = writeKubeconformSchemas((await api.get('/openapi/v2')) as OpenApiV2, schemas);
  expect(count).toBeGreaterThan(50);
  renders.defaults = await template();
  renders.production = await template(['-f', PRODUCTION]);
  const securityValues = join(dir, 'security.json');
  writeFileSync(securityValues, JSON.stringify(SECURITY));
  renders.security = await template(['-f', securityValues]);
  const servicesValues = join(dir, 'services.json');
  writeFileSync(servicesValues, JSON.stringify(SERVICE_SECURITY));
  renders.services = await template(['-f', servicesValues, '--set', 'operator.enabled=true']);
}, 120_000);

afterAll(async () => {
  await api.stop();
});

function kubeconform(manifests: string) {
  const file = join(dir, `manifests-${Date.now()}.yaml`);
  writeFileSync(file, manifests);
  return run('kubeconform', [
    '-strict',
    '-summary',
    '-output',
    'text',
    '-schema-location',
    `${schemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    file,
  ]);
}

describe('kubeconform with the API server schemas', () => {
  it.each(['defaults', 'production', 'security', 'services'] as const)(
    'accepts every object (%s)',
    async (which) => {
      const r = await kubeconform(renders[which]);
      expect(r.stdout + r.stderr, 'kubeconform output').toMatch(
        /Invalid: 0, Errors: 0, Skipped: 0/,
      );
      expect(r.code).toBe(0);
    },
  );

  it('refuses a bad object (the schemas are not vacuous)', async () => {
    const bad = renders.defaults
      .replace('replicas: 3', 'replicas: "3"')
      .replace(
        'serviceName: kafscale-storage-node',
        'serviceName: kafscale-storage-node\n  servicename: typo',
      );
    const r = await kubeconform(bad);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/Deployment kafscale-controlplane is invalid.*replicas/);
    expect(r.stdout).toMatch(/StatefulSet kafscale-storage-node is invalid.*servicename/);
  });

  it('has a schema for every kind the chart renders, the ServiceMonitor from its CRD', () => {
    const sm = JSON.parse(
      readFileSync(join(schemas, 'servicemonitor-monitoring-v1.json'), 'utf8'),
    ) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(sm.properties)).toContain('spec');
  });
});

describe('kubectl apply --dry-run=server', () => {
  it.each(['defaults', 'production', 'security', 'services'] as const)(
    'accepts every object (%s)',
    async (which) => {
      const out = await kubectlOk(
        ['apply', '--dry-run=server', '--validate=strict', '-n', NAMESPACE, '-f', '-'],
        renders[which],
      );
      const lines = out.trim().split('\n');
      const objects = renders[which].match(/^kind: /gm)?.length ?? 0;
      expect(lines).toHaveLength(objects);
      for (const line of lines) expect(line).toMatch(/ created \(server dry run\)$/);
    },
  );

  it('refuses an unknown field and a bad value, naming them', async () => {
    const bad = renders.defaults.replace(
      'automountServiceAccountToken: false\n      securityContext:',
      'automountServiceAccountToken: false\n      securityContxt: {}\n      securityContext:',
    );
    const r = await kubectl(
      ['apply', '--dry-run=server', '--validate=strict', '-n', NAMESPACE, '-f', '-'],
      bad,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "spec.template.spec.securityContxt"');
    const negative = renders.defaults.replace('replicas: 3', 'replicas: -3');
    const r2 = await kubectl(['apply', '--dry-run=server', '-n', NAMESPACE, '-f', '-'], negative);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/spec.replicas: Invalid value: -3/);
  });
});

describe('helm against the API server', () => {
  it('installs the default release, upgrades it to the production values, and uninstalls it', async () => {
    const install = await helm(['install', 'kafscale', CHART, '-n', NAMESPACE]);
    expect(install.stderr).toBe('');
    expect(install.stdout).toContain('STATUS: deployed');
    expect(install.code).toBe(0);
    const deployments = await kubectlOk(['get', 'deployments', '-n', NAMESPACE, '-o', 'name']);
    expect(deployments.trim().split('\n').sort()).toEqual([
      'deployment.apps/kafscale-console',
      'deployment.apps/kafscale-controlplane',
      'deployment.apps/kafscale-edge',
    ]);

    // The production values rename every object (fullnameOverride): a real upgrade that
    // creates, and deletes, every kind the chart has.
    const upgrade = await helm(['upgrade', 'kafscale', CHART, '-n', NAMESPACE, '-f', PRODUCTION]);
    expect(upgrade.stderr + upgrade.stdout).toContain('STATUS: deployed');
    expect(upgrade.code).toBe(0);
    expect(await kubectlOk(['get', 'servicemonitors', '-n', NAMESPACE, '-o', 'name'])).toBe(
      'servicemonitor.monitoring.coreos.com/ks\n',
    );
    // An upgrade that changes only config values keeps the StatefulSet (immutable fields untouched).
    const again = await helm([
      'upgrade',
      'kafscale',
      CHART,
      '-n',
      NAMESPACE,
      '-f',
      PRODUCTION,
      '--set',
      'storageNode.config.KAFSCALE_CACHE_BYTES=536870912',
    ]);
    expect(again.code, again.stderr).toBe(0);
    const uninstall = await helm(['uninstall', 'kafscale', '-n', NAMESPACE]);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(
      await kubectlOk([
        'get',
        'all,configmaps,pdb,hpa',
        '-n',
        NAMESPACE,
        '-l',
        'app.kubernetes.io/instance=kafscale',
        '-o',
        'name',
      ]),
    ).toBe('');
  });

  it('helm install refuses bad values with a message naming them', async () => {
    const r = await helm([
      'install',
      'bad',
      CHART,
      '-n',
      NAMESPACE,
      '--set',
      'edge.replicas=many',
      '--set',
      's3.credentialsSecretRef.secretKeyKey=k',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("at '/edge/replicas': got string, want integer");
    expect(r.stderr).toContain("at '/s3/credentialsSecretRef': missing property 'name'");
    const cred = await helm([
      'install',
      'bad',
      CHART,
      '-n',
      NAMESPACE,
      '--set',
      'config.KAFSCALE_ETCD_PASSWORD=hunter2',
    ]);
    expect(cred.code).not.toBe(0);
    expect(cred.stderr).toContain(
      'config.KAFSCALE_ETCD_PASSWORD: credentials are never read from values or ConfigMaps',
    );
    expect(
      await kubectlOk([
        'get',
        'configmaps',
        '-n',
        NAMESPACE,
        '-l',
        'app.kubernetes.io/instance=bad',
        '-o',
        'name',
      ]),
    ).toBe('');
  });
});
