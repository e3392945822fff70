/**
 * deploy/helm/kafscale: `helm lint` and `helm template` with the default values and with
 * test/integration/k8s/values/production.yaml, and what the rendered objects must hold:
 * probes on /healthz and /readyz at the metrics port, security contexts, resources, every
 * KAFSCALE_* setting reachable from values, credentials only through secretKeyRef, and bad
 * values refused with a message naming them. (apiserver.test.ts validates the same
 * renders against a real API server.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHART, REPO, runOk } from './k8s-tools.js';
import { SECURITY, SERVICE_SECURITY } from './operator/cluster-values.js';
import {
  container,
  find,
  parseObjects,
  podSpec,
  template,
  templateFailure,
  workloads,
  type Container,
  type K8sObject,
} from './rendered.js';

const PRODUCTION = join(import.meta.dirname, 'values/production.yaml');
const ALL_ON = ['--set', 'console.enabled=true', '--set', 'operator.enabled=true'];

/** Settings that hold credentials: only ever from a Secret. */
const CREDENTIALS = [
  'KAFSCALE_S3_ACCESS_KEY',
  'KAFSCALE_S3_SECRET_KEY',
  'KAFSCALE_S3_SESSION_TOKEN',
  'KAFSCALE_ETCD_USERNAME',
  'KAFSCALE_ETCD_PASSWORD',
  'KAFSCALE_CONSOLE_ADMIN_TOKEN',
];

let defaults: K8sObject[];
let production: K8sObject[];

beforeAll(async () => {
  defaults = parseObjects(await template());
  production = parseObjects(await template(['-f', PRODUCTION]));
});

function envOf(c: Container, name: string) {
  return c.env?.find((e) => e.name === name);
}

/** The ConfigMap a container reads its KAFSCALE_* settings from. */
function configOf(objects: readonly K8sObject[], c: Container): Record<string, string> {
  const name = c.envFrom?.[0]?.configMapRef?.name;
  if (name === undefined) throw new Error(`${c.name} reads no ConfigMap`);
  return find(objects, 'ConfigMap', name).data ?? {};
}

describe('helm lint', () => {
  it('passes with the default values and with every optional part on', async () => {
    const lint = await runOk('helm', ['lint', '--strict', CHART]);
    expect(lint).toContain('0 chart(s) failed');
    const prod = await runOk('helm', ['lint', '--strict', CHART, '-f', PRODUCTION]);
    expect(prod).toContain('0 chart(s) failed');
  });
});

describe('default values', () => {
  it('render the three services, the console, and the edge Service, HPA and PDBs', () => {
    const names = defaults.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).toEqual(
      [
        'ConfigMap/kafscale-console',
        'ConfigMap/kafscale-controlplane',
        'ConfigMap/kafscale-edge',
        'ConfigMap/kafscale-storage-node',
        'Deployment/kafscale-console',
        'Deployment/kafscale-controlplane',
        'Deployment/kafscale-edge',
        'HorizontalPodAutoscaler/kafscale-edge',
        'PodDisruptionBudget/kafscale-controlplane',
        'PodDisruptionBudget/kafscale-edge',
        'PodDisruptionBudget/kafscale-storage-node',
        'Service/kafscale-console',
        'Service/kafscale-controlplane',
        'Service/kafscale-edge',
        'Service/kafscale-edge-internal',
        'Service/kafscale-storage-node',
        'ServiceAccount/kafscale',
        'StatefulSet/kafscale-storage-node',
      ].sort(),
    );
  });

  it('expose the edges through a LoadBalancer Service, autoscaled on CPU', () => {
    expect(find(defaults, 'Service', 'kafscale-edge').spec).toMatchObject({
      type: 'LoadBalancer',
      ports: [{ name: 'kafka', port: 9092, targetPort: 'kafka' }],
    });
    const hpa = find(defaults, 'HorizontalPodAutoscaler', 'kafscale-edge').spec;
    expect(hpa).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'kafscale-edge' },
      minReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu' } }],
    });
    // The HPA owns the count: the Deployment leaves replicas unset.
    expect(find(defaults, 'Deployment', 'kafscale-edge').spec?.replicas).toBeUndefined();
  });

  it('run 3 controlplane replicas and a storage-node StatefulSet with stable ids', () => {
    expect(find(defaults, 'Deployment', 'kafscale-controlplane').spec?.replicas).toBe(3);
    const storage = find(defaults, 'StatefulSet', 'kafscale-storage-node');
    expect(storage.spec).toMatchObject({ serviceName: 'kafscale-storage-node', replicas: 3 });
    expect(envOf(container(storage), 'KAFSCALE_STORAGE_NODE_ID')?.value).toBe('$(POD_NAME)');
    expect(envOf(container(storage), 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe(
      'metadata.name',
    );
  });

  it('advertise each pod at its pod IP (a wildcard listen address would advertise 127.0.0.1)', () => {
    const ports = { edge: 9092, controlplane: 19094, 'storage-node': 19095 };
    for (const [name, port] of Object.entries(ports)) {
      const w = workloads(defaults).find((o) => o.metadata.name === `kafscale-${name}`);
      if (w === undefined) throw new Error(`no workload kafscale-${name}`);
      const c = container(w);
      expect(envOf(c, 'POD_IP')?.valueFrom?.fieldRef?.fieldPath).toBe('status.podIP');
      expect(envOf(c, 'KAFSCALE_ADVERTISED_ADDR')?.value).toBe(`$(POD_IP):${port}`);
      expect(configOf(defaults, c)).not.toHaveProperty('KAFSCALE_ADVERTISED_ADDR');
    }
    expect(
      configOf(defaults, container(find(defaults, 'Deployment', 'kafscale-edge'))),
    ).toMatchObject({
      KAFSCALE_SINGLE_ADDRESS: 'false',
      KAFSCALE_EDGE_ADDR: '0.0.0.0:9092',
    });
  });

  it('have no ServiceMonitor, dashboard or operator unless asked', () => {
    const kinds = new Set(defaults.map((o) => o.kind));
    expect(kinds.has('ServiceMonitor')).toBe(false);
    expect(defaults.some((o) => o.metadata.name.includes('grafana'))).toBe(false);
    expect(defaults.some((o) => o.metadata.name.includes('operator'))).toBe(false);
  });
});

describe('operator only (cluster.enabled=false, operator.enabled=true)', () => {
  it('renders the operator, its ServiceAccount, RBAC and ConfigMap, and no Kafscale service', async () => {
    const objects = parseObjects(
      await template(['--set', 'cluster.enabled=false', '--set', 'operator.enabled=true']),
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole/kafscale-operator',
      'ClusterRoleBinding/kafscale-operator',
      'ConfigMap/kafscale-operator',
      'Deployment/kafscale-operator',
      'Role/kafscale-operator',
      'RoleBinding/kafscale-operator',
      'ServiceAccount/kafscale-operator',
    ]);
    // No release controlplane to default the topics' controlplane to.
    expect(find(objects, 'ConfigMap', 'kafscale-operator').data).not.toHaveProperty(
      'KAFSCALE_CONTROLPLANE_URL',
    );
    expect(podSpec(find(objects, 'Deployment', 'kafscale-operator'))).toMatchObject({
      serviceAccountName: 'kafscale-operator',
      automountServiceAccountToken: true,
    });
  });
});

describe('every Kafscale pod', () => {
  const renders = () => ({ defaults, production });

  it.each(['defaults', 'production'] as const)(
    'runs as non-root with a read-only root, no capabilities and /tmp on an emptyDir (%s)',
    (which) => {
      for (const w of workloads(renders()[which])) {
        const pod = podSpec(w);
        expect(pod.securityContext, w.metadata.name).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 10001,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        const c = container(w);
        expect(c.securityContext, w.metadata.name).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        expect(pod.volumes?.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
      }
    },
  );

  it.each(['defaults', 'production'] as const)(
    'has resource requests and limits, and probes /healthz and /readyz at the metrics port (%s)',
    (which) => {
      const objects = renders()[which];
      const metricsPort = which === 'defaults' ? 39093 : 9100;
      for (const w of workloads(objects)) {
        const c = container(w);
        expect(Object.keys(c.resources?.requests ?? {}).sort(), w.metadata.name).toEqual([
          'cpu',
          'memory',
        ]);
        expect(Object.keys(c.resources?.limits ?? {}).sort(), w.metadata.name).toEqual([
          'cpu',
          'memory',
        ]);
        expect(configOf(objects, c).KAFSCALE_METRICS_ADDR).toBe(`0.0.0.0:${metricsPort}`);
        expect(c.ports).toContainEqual(
          expect.objectContaining({ name: 'metrics', containerPort: metricsPort }),
        );
        expect(c.env, w.metadata.name).toContainEqual({
          name: 'KAFSCALE_METRICS_ADVERTISED_ADDR',
          value: `$(POD_IP):${metricsPort}`,
        });
        expect(c.startupProbe?.httpGet, w.metadata.name).toEqual({
          path: '/healthz',
          port: 'metrics',
        });
        expect(c.livenessProbe?.httpGet, w.metadata.name).toEqual({
          path: '/healthz',
          port: 'metrics',
        });
        expect(c.readinessProbe?.httpGet, w.metadata.name).toEqual({
          path: '/readyz',
          port: 'metrics',
        });
      }
    },
  );

  it.each(['defaults', 'production'] as const)(
    'gets credentials only through secretKeyRef, and no ConfigMap holds one (%s)',
    (which) => {
      const objects = renders()[which];
      for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
        for (const key of CREDENTIALS)
          expect(cm.data ?? {}, cm.metadata.name).not.toHaveProperty(key);
      }
      for (const w of workloads(objects)) {
        for (const e of container(w).env ?? []) {
          if (CREDENTIALS.includes(e.name)) {
            expect(e.value, `${w.metadata.name} ${e.name}`).toBeUndefined();
            expect(e.valueFrom?.secretKeyRef, `${w.metadata.name} ${e.name}`).toBeDefined();
          }
        }
      }
    },
  );
});

describe('production values', () => {
  const byName = (name: string) => {
    const w = workloads(production).find((o) => o.metadata.name === name);
    if (w === undefined) throw new Error(`no workload ${name}`);
    return container(w);
  };

  it('give each service exactly the credentials it uses, from the named Secrets and keys', () => {
    const refs = (c: Container) =>
      Object.fromEntries(
        (c.env ?? [])
          .filter((e) => e.valueFrom?.secretKeyRef !== undefined)
          .map((e) => [e.name, e.valueFrom?.secretKeyRef]),
      );
    const etcd = {
      KAFSCALE_ETCD_USERNAME: { name: 'kafscale-etcd', key: 'user' },
      KAFSCALE_ETCD_PASSWORD: { name: 'kafscale-etcd', key: 'pass' },
    };
    expect(refs(byName('ks-edge'))).toEqual(etcd);
    expect(refs(byName('ks-controlplane'))).toEqual(etcd);
    expect(refs(byName('ks-storage-node'))).toEqual({
      ...etcd,
      KAFSCALE_S3_ACCESS_KEY: { name: 'kafscale-s3', key: 'AWS_ACCESS_KEY_ID' },
      KAFSCALE_S3_SECRET_KEY: { name: 'kafscale-s3', key: 'AWS_SECRET_ACCESS_KEY' },
      KAFSCALE_S3_SESSION_TOKEN: { name: 'kafscale-s3', key: 'AWS_SESSION_TOKEN' },
    });
    expect(refs(byName('ks-console'))).toEqual({
      KAFSCALE_CONSOLE_ADMIN_TOKEN: { name: 'kafscale-console', key: 'admin-token' },
    });
    expect(refs(byName('ks-operator'))).toEqual({});
  });

  it('put settings in each service ConfigMap: shared config, per-service config, derived values', () => {
    expect(configOf(production, byName('ks-edge'))).toEqual({
      KAFSCALE_LOG_LEVEL: 'info',
      KAFSCALE_FLUSH_INTERVAL_MS: '50',
      KAFSCALE_FLUSH_BYTES: '8388608',
      KAFSCALE_AUTO_CREATE_TOPICS: 'false',
      KAFSCALE_TRACE_KAFKA: 'true',
      KAFSCALE_METRICS_ADDR: '0.0.0.0:9100',
      KAFSCALE_ETCD_ENDPOINTS:
        'https://etcd-0.etcd:2379,https://etcd-1.etcd:2379,https://etcd-2.etcd:2379',
      KAFSCALE_EDGE_ADDR: '0.0.0.0:9093',
      KAFSCALE_SINGLE_ADDRESS: 'true',
      KAFSCALE_ADVERTISED_ADDR: 'kafka.example.com:9092',
    });
    expect(configOf(production, byName('ks-storage-node'))).toMatchObject({
      KAFSCALE_S3_BUCKET: 'kafscale-prod',
      KAFSCALE_S3_REGION: 'eu-west-1',
      KAFSCALE_S3_ENDPOINT: 'http://minio.storage:9000',
      KAFSCALE_S3_PATH_STYLE: 'true',
      KAFSCALE_S3_KMS_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/abcd',
      KAFSCALE_STORAGE_ADDR: '0.0.0.0:19195',
      KAFSCALE_CACHE_BYTES: '1073741824',
    });
    expect(configOf(production, byName('ks-controlplane'))).toMatchObject({
      KAFSCALE_GROUP_SHARDS: '64',
      KAFSCALE_CONTROLPLANE_ADDR: '0.0.0.0:19094',
    });
    expect(configOf(production, byName('ks-console'))).toMatchObject({
      KAFSCALE_CONSOLE_ADDR: '0.0.0.0:48080',
      KAFSCALE_CONTROLPLANE_URL: 'http://ks-controlplane:19094',
      KAFSCALE_CONSOLE_BROKER_METRICS_URL: 'http://ks-edge-internal:9100/metrics',
    });
    // Settings of one service stay out of the others.
    expect(configOf(production, byName('ks-controlplane'))).not.toHaveProperty(
      'KAFSCALE_TRACE_KAFKA',
    );
  });

  it('single-address mode: every edge advertises the load balancer, not its pod IP', () => {
    expect(envOf(byName('ks-edge'), 'KAFSCALE_ADVERTISED_ADDR')).toBeUndefined();
  });

  it('autoscale the edges on CPU and on a custom metric, with replicas left to the HPA', () => {
    expect(find(production, 'HorizontalPodAutoscaler', 'ks-edge').spec).toMatchObject({
      minReplicas: 4,
      maxReplicas: 20,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: 60 } } },
        {
          type: 'Pods',
          pods: {
            metric: { name: 'kafscale_kafka_inflight_bytes' },
            target: { type: 'AverageValue', averageValue: '32Mi' },
          },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
  });

  it('render the ServiceMonitor over the metrics Services and the Grafana dashboard', () => {
    const sm = find(production, 'ServiceMonitor', 'ks');
    expect(sm.metadata.labels).toMatchObject({ release: 'prometheus' });
    expect(sm.spec).toMatchObject({
      selector: { matchLabels: { 'kafscale.io/metrics': 'true' } },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }],
    });
    const scraped = production.filter(
      (o) => o.kind === 'Service' && o.metadata.labels?.['kafscale.io/metrics'] === 'true',
    );
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual([
      'ks-controlplane',
      'ks-edge-internal',
      'ks-storage-node',
    ]);
    const dashboard = find(production, 'ConfigMap', 'ks-grafana-dashboard');
    expect(dashboard.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(JSON.parse(dashboard.data?.['kafscale.json'] ?? '')).toEqual(
      JSON.parse(readFileSync(join(REPO, 'deploy/observability/grafana-dashboard.json'), 'utf8')),
    );
  });

  it('set the image, pull secrets, replicas and scheduling values', () => {
    for (const w of workloads(production)) {
      expect(container(w).image).toBe('registry.example.com/kafscale:0.1.0-test');
    }
    expect(find(production, 'Deployment', 'ks-controlplane').spec?.replicas).toBe(5);
    expect(find(production, 'StatefulSet', 'ks-storage-node').spec?.replicas).toBe(6);
    expect(find(production, 'Service', 'ks-edge').spec).toMatchObject({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
    });
    const edgePod = podSpec(find(production, 'Deployment', 'ks-edge')) as unknown as Record<
      string,
      unknown
    >;
    expect(edgePod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(edgePod.imagePullSecrets).toEqual([{ name: 'registry-pull' }]);
    expect(envOf(byName('ks-edge'), 'NODE_OPTIONS')?.value).toBe('--max-old-space-size=768');
  });
});

describe('the chart copy of the Grafana dashboard', () => {
  it('is the same file as deploy/observability/grafana-dashboard.json', () => {
    expect(readFileSync(join(CHART, 'files/grafana-dashboard.json'), 'utf8')).toBe(
      readFileSync(join(REPO, 'deploy/observability/grafana-dashboard.json'), 'utf8'),
    );
  });
});

/** Every KAFSCALE_* name the processes read (lib/, the services' sources). */
function kafscaleVariables(): string[] {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'gen' && entry !== 'node_modules') walk(path);
      } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/\bKAFSCALE_[A-Z0-9_]+\b/g))
          names.add(m[0]);
      }
    }
  };
  for (const dir of ['lib', 'edge', 'controlplane', 'storage-node', 'console']) {
    try {
      walk(join(REPO, dir));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return [...names].sort();
}

/**
 * Settings the chart sets itself (refused in `config`), with the values that set them and
 * where they must then appear. A variable not listed here must be settable through config.
 */
const DERIVED: Record<string, { set: string[]; check: (o: K8sObject[]) => unknown }> = {};
const cm = (o: K8sObject[], name: string) => find(o, 'ConfigMap', `kafscale-${name}`).data ?? {};
const env = (o: K8sObject[], kind: string, name: string, v: string) =>
  envOf(container(find(o, kind, `kafscale-${name}`)), v);
function derived(name: string, set: string[], check: (o: K8sObject[]) => unknown): void {
  DERIVED[name] = { set, check };
}
derived(
  'KAFSCALE_ETCD_ENDPOINTS',
  ['--set', 'etcd.endpoints={http://e1:2379,http://e2:2379}'],
  (o) => {
    expect(cm(o, 'controlplane').KAFSCALE_ETCD_ENDPOINTS).toBe('http://e1:2379,http://e2:2379');
  },
);
derived('KAFSCALE_S3_BUCKET', ['--set', 's3.bucket=b-1'], (o) => {
  expect(cm(o, 'storage-node').KAFSCALE_S3_BUCKET).toBe('b-1');
});
derived('KAFSCALE_S3_REGION', ['--set', 's3.region=r-1'], (o) => {
  expect(cm(o, 'storage-node').KAFSCALE_S3_REGION).toBe('r-1');
});
derived('KAFSCALE_S3_ENDPOINT', ['--set', 's3.endpoint=http://s3:1'], (o) => {
  expect(cm(o, 'storage-node').KAFSCALE_S3_ENDPOINT).toBe('http://s3:1');
});
derived('KAFSCALE_S3_PATH_STYLE', ['--set', 's3.pathStyle=true'], (o) => {
  expect(cm(o, 'storage-node').KAFSCALE_S3_PATH_STYLE).toBe('true');
});
derived('KAFSCALE_S3_KMS_ARN', ['--set', 's3.kmsArn=arn:k'], (o) => {
  expect(cm(o, 'storage-node').KAFSCALE_S3_KMS_ARN).toBe('arn:k');
});
derived('KAFSCALE_METRICS_ADVERTISED_ADDR', ['--set', 'metricsPort=9999'], (o) => {
  expect(env(o, 'StatefulSet', 'storage-node', 'KAFSCALE_METRICS_ADVERTISED_ADDR')?.value).toBe(
    '$(POD_IP):9999',
  );
});
derived('KAFSCALE_METRICS_ADDR', ['--set', 'metricsPort=9999'], (o) => {
  expect(cm(o, 'edge').KAFSCALE_METRICS_ADDR).toBe('0.0.0.0:9999');
});
derived('KAFSCALE_EDGE_ADDR', ['--set', 'edge.port=9999'], (o) => {
  expect(cm(o, 'edge').KAFSCALE_EDGE_ADDR).toBe('0.0.0.0:9999');
});
derived('KAFSCALE_CONTROLPLANE_ADDR', ['--set', 'controlplane.port=9999'], (o) => {
  expect(cm(o, 'controlplane').KAFSCALE_CONTROLPLANE_ADDR).toBe('0.0.0.0:9999');
});
derived('KAFSCALE_STORAGE_ADDR', ['--set', 'storageNode.port=9999'], (o) => {
  expect(cm(o, 'storage-node').KAFSCALE_STORAGE_ADDR).toBe('0.0.0.0:9999');
});
derived('KAFSCALE_CONSOLE_ADDR', ['--set', 'console.port=9999'], (o) => {
  expect(cm(o, 'console').KAFSCALE_CONSOLE_ADDR).toBe('0.0.0.0:9999');
});
derived('KAFSCALE_CONTROLPLANE_URL', [], (o) => {
  expect(cm(o, 'console').KAFSCALE_CONTROLPLANE_URL).toBe('http://kafscale-controlplane:19094');
  expect(cm(o, 'operator').KAFSCALE_CONTROLPLANE_URL).toBe('http://kafscale-controlplane:19094');
});
derived(
  'KAFSCALE_CONSOLE_BROKER_METRICS_URL',
  ['--set', 'console.brokerMetricsUrls={http://m:1/metrics}'],
  (o) => {
    expect(cm(o, 'console').KAFSCALE_CONSOLE_BROKER_METRICS_URL).toBe('http://m:1/metrics');
  },
);
derived(
  'KAFSCALE_SINGLE_ADDRESS',
  [
    '--set',
    'edge.singleAddress.enabled=true',
    '--set',
    'edge.singleAddress.advertisedAddr=lb:9092',
  ],
  (o) => {
    expect(cm(o, 'edge').KAFSCALE_SINGLE_ADDRESS).toBe('true');
  },
);
derived(
  'KAFSCALE_ADVERTISED_ADDR',
  [
    '--set',
    'edge.singleAddress.enabled=true',
    '--set',
    'edge.singleAddress.advertisedAddr=lb:9092',
  ],
  (o) => {
    expect(cm(o, 'edge').KAFSCALE_ADVERTISED_ADDR).toBe('lb:9092');
    expect(env(o, 'StatefulSet', 'storage-node', 'KAFSCALE_ADVERTISED_ADDR')?.value).toBe(
      '$(POD_IP):19095',
    );
  },
);
derived('KAFSCALE_STORAGE_NODE_ID', [], (o) => {
  expect(env(o, 'StatefulSet', 'storage-node', 'KAFSCALE_STORAGE_NODE_ID')?.value).toBe(
    '$(POD_NAME)',
  );
});
// Per edge, assigned when it registers: no value sets it (a fixed one would be shared).
derived('KAFSCALE_EDGE_ID', [], (o) => {
  expect(env(o, 'Deployment', 'edge', 'KAFSCALE_EDGE_ID')).toBeUndefined();
});
const secretRef = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });
const etcdSecret = ['--set', 'etcd.credentialsSecretRef.name=etcd-cred'];
derived('KAFSCALE_ETCD_USERNAME', etcdSecret, (o) => {
  expect(env(o, 'Deployment', 'edge', 'KAFSCALE_ETCD_USERNAME')).toMatchObject(
    secretRef('etcd-cred', 'username'),
  );
});
derived('KAFSCALE_ETCD_PASSWORD', etcdSecret, (o) => {
  expect(env(o, 'StatefulSet', 'storage-node', 'KAFSCALE_ETCD_PASSWORD')).toMatchObject(
    secretRef('etcd-cred', 'password'),
  );
});
const s3Secret = [
  '--set',
  's3.credentialsSecretRef.name=s3-cred',
  '--set',
  's3.credentialsSecretRef.sessionTokenKey=token',
];
derived('KAFSCALE_S3_ACCESS_KEY', s3Secret, (o) => {
  expect(env(o, 'StatefulSet', 'storage-node', 'KAFSCALE_S3_ACCESS_KEY')).toMatchObject(
    secretRef('s3-cred', 'access-key'),
  );
});
derived('KAFSCALE_S3_SECRET_KEY', s3Secret, (o) => {
  expect(env(o, 'StatefulSet', 'storage-node', 'KAFSCALE_S3_SECRET_KEY')).toMatchObject(
    secretRef('s3-cred', 'secret-key'),
  );
});
derived('KAFSCALE_S3_SESSION_TOKEN', s3Secret, (o) => {
  expect(env(o, 'StatefulSet', 'storage-node', 'KAFSCALE_S3_SESSION_TOKEN')).toMatchObject(
    secretRef('s3-cred', 'token'),
  );
});
derived(
  'KAFSCALE_CONSOLE_ADMIN_TOKEN',
  ['--set', 'console.adminTokenSecretRef.name=console-cred'],
  (o) => {
    expect(env(o, 'Deployment', 'console', 'KAFSCALE_CONSOLE_ADMIN_TOKEN')).toMatchObject(
      secretRef('console-cred', 'admin-token'),
    );
  },
);

// Listeners, TLS and SASL: from `security`, the Secrets mounted into the edge pods.
const securitySet = ['--set-json', `security=${JSON.stringify(SECURITY.security)}`];
const edgeCm = (o: K8sObject[]) => cm(o, 'edge');
const edgePod = (o: K8sObject[]) => podSpec(find(o, 'Deployment', 'kafscale-edge'));
derived('KAFSCALE_LISTENERS', securitySet, (o) => {
  expect(edgeCm(o).KAFSCALE_LISTENERS).toBe(
    'INTERNAL://0.0.0.0:9092,SASL_EXT://0.0.0.0:9094,MTLS://0.0.0.0:9095,SASL_IN://0.0.0.0:9096',
  );
  expect(edgeCm(o).KAFSCALE_EDGE_ADDR).toBeUndefined();
});
derived('KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP', securitySet, (o) => {
  expect(edgeCm(o).KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP).toBe(
    'INTERNAL:PLAINTEXT,SASL_EXT:SASL_SSL,MTLS:SSL,SASL_IN:SASL_PLAINTEXT',
  );
});
derived('KAFSCALE_ADVERTISED_LISTENERS', securitySet, (o) => {
  expect(env(o, 'Deployment', 'edge', 'KAFSCALE_ADVERTISED_LISTENERS')?.value).toBe(
    'INTERNAL://$(POD_IP):9092,SASL_EXT://kafka.example.com:9094,MTLS://$(POD_IP):9095,SASL_IN://$(POD_IP):9096',
  );
  expect(env(o, 'Deployment', 'edge', 'KAFSCALE_ADVERTISED_ADDR')).toBeUndefined();
});
const tlsVolume = {
  name: 'tls',
  secret: {
    secretName: 'edge-tls',
    items: [
      { key: 'chain.pem', path: 'tls.crt' },
      { key: 'key.pem', path: 'tls.key' },
      { key: 'ca.pem', path: 'ca.crt' },
    ],
  },
};
const tlsFile = (variable: string, file: string) => {
  derived(variable, securitySet, (o) => {
    expect(edgeCm(o)[variable]).toBe(`/etc/kafscale/tls/${file}`);
    expect(edgePod(o).volumes).toContainEqual(tlsVolume);
    expect(container(find(o, 'Deployment', 'kafscale-edge')).volumeMounts).toContainEqual({
      name: 'tls',
      mountPath: '/etc/kafscale/tls',
      readOnly: true,
    });
  });
};
tlsFile('KAFSCALE_TLS_CERT_FILE', 'tls.crt');
tlsFile('KAFSCALE_TLS_KEY_FILE', 'tls.key');
tlsFile('KAFSCALE_TLS_CA_FILE', 'ca.crt');
derived('KAFSCALE_TLS_CLIENT_AUTH', securitySet, (o) => {
  expect(edgeCm(o).KAFSCALE_TLS_CLIENT_AUTH).toBe('required');
});
derived('KAFSCALE_SASL_ENABLED_MECHANISMS', securitySet, (o) => {
  expect(edgeCm(o).KAFSCALE_SASL_ENABLED_MECHANISMS).toBe('PLAIN,SCRAM-SHA-512');
});
derived('KAFSCALE_SASL_PLAIN_USERS_FILE', securitySet, (o) => {
  expect(edgeCm(o).KAFSCALE_SASL_PLAIN_USERS_FILE).toBe('/etc/kafscale/sasl/plain-users');
  expect(edgePod(o).volumes).toContainEqual({
    name: 'sasl-plain-users',
    secret: { secretName: 'edge-plain', items: [{ key: 'users', path: 'plain-users' }] },
  });
  expect(container(find(o, 'Deployment', 'kafscale-edge')).volumeMounts).toContainEqual({
    name: 'sasl-plain-users',
    mountPath: '/etc/kafscale/sasl',
    readOnly: true,
  });
});
derived('KAFSCALE_SASL_MAX_REAUTH_MS', securitySet, (o) => {
  expect(edgeCm(o).KAFSCALE_SASL_MAX_REAUTH_MS).toBe('3600000');
});

// Between the services: from security.services and etcd.tlsSecretRef, each Secret mounted
// into the pods whose process reads it (helm-chart-security.test.ts checks the volumes).
const servicesSet = [
  '--set-json',
  `etcd=${JSON.stringify(SERVICE_SECURITY.etcd)}`,
  '--set-json',
  `security=${JSON.stringify(SERVICE_SECURITY.security)}`,
];
const SERVICES = ['edge', 'controlplane', 'storage-node', 'console', 'operator'];
/** `variable` is `value` in the ConfigMaps of `having` and in no other service's. */
const onlyIn = (o: K8sObject[], variable: string, value: string, having: readonly string[]) => {
  for (const name of SERVICES)
    expect(cm(o, name)[variable], `${variable} in ${name}`).toBe(
      having.includes(name) ? value : undefined,
    );
};
const ETCD_CLIENTS = ['edge', 'controlplane', 'storage-node'];
const SERVICE_FILES: [string, string, readonly string[]][] = [
  ['KAFSCALE_GRPC_TLS_CERT_FILE', '/etc/kafscale/grpc-tls/tls.crt', SERVICES],
  ['KAFSCALE_GRPC_TLS_KEY_FILE', '/etc/kafscale/grpc-tls/tls.key', SERVICES],
  ['KAFSCALE_GRPC_TLS_CA_FILE', '/etc/kafscale/grpc-tls/ca.crt', SERVICES],
  ['KAFSCALE_GRPC_TLS_SERVER_NAME', 'kafscale-internal', SERVICES],
  ['KAFSCALE_ADMIN_TOKENS_FILE', '/etc/kafscale/admin-tokens/tokens', ['controlplane']],
  ['KAFSCALE_ADMIN_TOKEN_FILE', '/etc/kafscale/admin-token/token', ['console', 'operator']],
  ['KAFSCALE_ETCD_CA_FILE', '/etc/kafscale/etcd-tls/ca.crt', ETCD_CLIENTS],
  ['KAFSCALE_ETCD_CERT_FILE', '/etc/kafscale/etcd-tls/tls.crt', ETCD_CLIENTS],
  ['KAFSCALE_ETCD_KEY_FILE', '/etc/kafscale/etcd-tls/tls.key', ETCD_CLIENTS],
];
for (const [variable, value, having] of SERVICE_FILES)
  derived(variable, servicesSet, (o) => {
    onlyIn(o, variable, value, having);
  });

describe('every KAFSCALE_* setting the processes read', () => {
  const variables = kafscaleVariables();

  it('is found in the sources (sanity check of the scan)', () => {
    expect(variables).toContain('KAFSCALE_ETCD_ENDPOINTS');
    expect(variables).toContain('KAFSCALE_FLUSH_INTERVAL_MS');
    expect(variables.length).toBeGreaterThan(40);
  });

  it('that the chart does not set is settable through config and reaches every service', async () => {
    const free = variables.filter((v) => !(v in DERIVED));
    const args = free.flatMap((v) => ['--set-string', `config.${v}=value-of-${v}`]);
    const objects = parseObjects(await template([...ALL_ON, ...args]));
    for (const name of ['edge', 'controlplane', 'storage-node', 'console', 'operator']) {
      const data = cm(objects, name);
      for (const v of free) expect(data[v], `${v} in the ${name} ConfigMap`).toBe(`value-of-${v}`);
    }
  });

  it.each(Object.keys(DERIVED))(
    '%s, set by the chart, is refused in config and set from its value',
    async (v) => {
      const message = await templateFailure(['--set-string', `config.${v}=x`]);
      expect(message).toContain(`config.${v}: `);
      expect(message).toMatch(
        CREDENTIALS.includes(v)
          ? /credentials are never read from values or ConfigMaps: store .* in a Secret/
          : /set by the chart|each edge gets its id/,
      );
      const entry = DERIVED[v];
      if (entry === undefined) throw new Error(v);
      entry.check(parseObjects(await template([...ALL_ON, ...entry.set])));
    },
  );

  it('refused in a service config and in extraEnv too', async () => {
    expect(
      await templateFailure(['--set-string', 'storageNode.config.KAFSCALE_S3_SECRET_KEY=x']),
    ).toContain(
      'storageNode.config.KAFSCALE_S3_SECRET_KEY: credentials are never read from values or ConfigMaps',
    );
    expect(
      await templateFailure([
        '--set-json',
        'edge.extraEnv=[{"name":"KAFSCALE_ETCD_PASSWORD","value":"x"}]',
      ]),
    ).toContain('edge.extraEnv: KAFSCALE_ETCD_PASSWORD: KAFSCALE_* settings go in config');
  });
});

describe('bad values are refused with a message naming them', () => {
  it.each([
    [
      ['--set', 'controlplane.replicas=three'],
      "at '/controlplane/replicas': got string, want integer",
    ],
    [['--set', 'edge.replicas=0'], "at '/edge/replicas'"],
    [
      ['--set', 's3.credentialsSecretRef.accessKeyKey=k'],
      "at '/s3/credentialsSecretRef': missing property 'name'",
    ],
    [['--set', 'etcd.credentialsSecretRef.name='], "at '/etcd/credentialsSecretRef/name'"],
    [
      ['--set', 'console.adminTokenSecretRef.key=k'],
      "at '/console/adminTokenSecretRef': missing property 'name'",
    ],
    [['--set', 'etcd.endpoints=null'], "at '/etcd': missing property 'endpoints'"],
    [['--set', 'etcd.endpoints[0]=etcd:2379'], "at '/etcd/endpoints/0'"],
    [['--set', 'edge.service.type=Ingress'], "at '/edge/service/type'"],
    [['--set', 'edge.singleAddress.enabled=true'], "at '/edge/singleAddress/advertisedAddr'"],
    [['--set', 'edge.replica=3'], "at '/edge': additional properties 'replica' not allowed"],
    [
      ['--set', 'config.kafscale_log_level=info'],
      "at '/config': additional properties 'kafscale_log_level' not allowed",
    ],
    [['--set', 'metricsPort=70000'], "at '/metricsPort'"],
  ])('%j', async (args, message) => {
    expect(await templateFailure(args)).toContain(message);
  });
});
