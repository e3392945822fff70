/**
 * `kafscale operator` against a real kube-apiserver and kube-controller-manager (over a
 * real etcd, on loopback; no scheduler or kubelet, so pods stay Pending) and a real
 * Kafscale (`kafscale dev`'s embedded broker in this process, its admin API on loopback):
 * the CRDs refuse bad specs naming the field; a KafscaleCluster becomes the chart's objects,
 * owned by it; scaling and settings changes update them; a spec the schema accepts but the
 * operator cannot use becomes a Ready=False condition; a KafscaleTopic becomes a topic,
 * grows and changes with its spec, and its deletion deletes the topic; the leader killed
 * with SIGKILL mid-reconcile is replaced through the Lease and the state converges; a
 * restart changes nothing; deleting a KafscaleCluster deletes its objects.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevBroker } from '../../../../lib/cli/dev.js';
import { loadConfig } from '../../../../lib/config/config.js';
import { AdminService } from '../../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { grpcTransport } from '../../../../lib/grpc/service-transport.js';
import { createLogger } from '../../../../lib/log/logger.js';
import { clusterObjects } from '../../../../lib/operator/cluster/cluster-objects.js';
import { clusterSettings } from '../../../../lib/operator/cluster/cluster-spec.js';
import { makeTempDir, waitUntil, type ManagedProcess } from '../../../fixtures/processes.js';
import { OWNED_KINDS } from '../../../../lib/operator/kube/apply-objects.js';
import { CHART } from '../k8s-tools.js';
import { template } from '../rendered.js';
import { startKubeApiserver, type KubeApiserver } from '../kube-apiserver.js';
import {
  startKubeControllerManager,
  type KubeControllerManager,
} from '../kube-controller-manager.js';
import {
  NON_DEFAULT,
  NO_AUTOSCALING_NO_CONSOLE,
  SECURITY,
  SERVICE_SECURITY,
} from './cluster-values.js';
import { Kubectl, ready, type Item } from './kube-test-client.js';
import { LEASE_NAMESPACE, LEASE_SECONDS, startOperatorProcess } from './operator-process.js';

const NS = 'prod';
const OWNED = 'configmaps,services,serviceaccounts,deployments,statefulsets,hpa,pdb';

let api: KubeApiserver;
let kcm: KubeControllerManager;
let kubectl: Kubectl;
let broker: DevBroker;
let brokerDir: string;
let admin: Client<typeof AdminService>;
const operators = new Map<string, ManagedProcess>();
const kubeconfigs = new Map<string, string>();

beforeAll(async () => {
  api = await startKubeApiserver();
  kubectl = new Kubectl(api);
  await Promise.all([
    kubectl.ok(['apply', '-f', join(CHART, 'crds')]),
    kubectl.ok(['create', 'namespace', NS]),
    kubectl.ok(['create', 'namespace', LEASE_NAMESPACE]),
  ]);
  await kubectl.ok([
    'wait',
    '--for=condition=Established',
    '--timeout=30s',
    'crd/kafscaleclusters.kafscale.io',
    'crd/kafscaletopics.kafscale.io',
  ]);
  // Started after the CRDs exist, so that the garbage collector's first discovery already
  // watches KafscaleClusters (it rediscovers resources only every 30 s); the deletion test
  // relies on it seeing the owner go.
  kcm = await startKubeControllerManager(api);
  brokerDir = makeTempDir('operator-dev');
  broker = await startDev(
    {
      dataDir: brokerDir,
      kafkaHost: '127.0.0.1',
      kafkaPort: 0,
      adminAddr: { host: '127.0.0.1', port: 0 },
    },
    loadConfig({ KAFSCALE_METRICS_ADDR: '127.0.0.1:0' }),
    createLogger('dev', 'silent'),
  );
  admin = createClient(AdminService, grpcTransport(`http://127.0.0.1:${broker.adminPort ?? 0}`));
  // Operator b runs as the chart's operator ServiceAccount, with the chart's RBAC.
  await kubectl.ok(
    ['apply', '-n', LEASE_NAMESPACE, '-f', '-'],
    await template([
      '--namespace',
      LEASE_NAMESPACE,
      '--set',
      'operator.enabled=true',
      '--show-only',
      'templates/operator.yaml',
    ]),
  );
  kubeconfigs.set('a', api.kubeconfig);
  kubeconfigs.set('b', await serviceAccountKubeconfig(LEASE_NAMESPACE, 'kafscale-operator'));
  const [a, b] = await Promise.all([
    startOperatorProcess(kubeconfigOf('a'), 'a'),
    startOperatorProcess(kubeconfigOf('b'), 'b'),
  ]);
  operators.set('a', a).set('b', b);
}, 120_000);

/** A kubeconfig with a token of the ServiceAccount (the TokenRequest API). */
async function serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
  const token = (
    await kubectl.ok(['create', 'token', name, '-n', namespace, '--duration=1h'])
  ).trim();
  const file = join(brokerDir, `${name}.kubeconfig`);
  writeFileSync(file, readFileSync(api.kubeconfig, 'utf8').replace(/token: .*/, `token: ${token}`));
  return file;
}

/** The kubeconfig of operator `a` or `b` (and of their restarts, `a-2`, ...). */
function kubeconfigOf(identity: string): string {
  const file = kubeconfigs.get(identity.slice(0, 1));
  if (file === undefined) throw new Error(`no kubeconfig for operator ${identity}`);
  return file;
}

afterAll(async () => {
  for (const p of operators.values()) await p.stop(3000);
  await broker.stop();
  await rm(brokerDir, { recursive: true, force: true });
  await kcm.stop();
  await api.stop();
});

function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  details?: () => string,
) {
  let last: T | undefined | false;
  return waitUntil(
    async () => {
      last = await check();
      return last !== undefined && last !== false;
    },
    { what, timeoutMs, intervalMs: 100, ...(details === undefined ? {} : { details }) },
  ).then(() => last as T);
}

function cluster(name: string, spec: object) {
  return {
    apiVersion: 'kafscale.io/v1alpha1',
    kind: 'KafscaleCluster',
    metadata: { name, namespace: NS },
    spec,
  };
}

/** The cluster once its Ready condition describes its current generation. */
function converged(name: string, status = 'True') {
  return until(`KafscaleCluster ${name} Ready=${status}`, async () => {
    const c = await kubectl.get(`kafscalecluster/${name}`, NS);
    const r = ready(c);
    return (
      c !== undefined &&
      c.status?.observedGeneration === c.metadata.generation &&
      r?.status === status &&
      c
    );
  });
}

const names = (items: readonly Item[]) => items.map((i) => `${i.kind}/${i.metadata.name}`).sort();
const expected = (name: string, spec: object) =>
  names(clusterObjects(name, NS, clusterSettings(spec)) as unknown as Item[]);

describe('the CRDs', () => {
  it("accept every field the operator reads (the parity test's specs), strictly", async () => {
    for (const spec of [NON_DEFAULT, NO_AUTOSCALING_NO_CONSOLE, SECURITY, SERVICE_SECURITY]) {
      const out = await kubectl.ok(
        ['apply', '--dry-run=server', '--validate=strict', '-f', '-'],
        JSON.stringify(cluster('full', spec)),
      );
      expect(out).toContain('kafscalecluster.kafscale.io/full created (server dry run)');
    }
  });

  it('refuse bad specs with a message naming the field', async () => {
    const bad = async (object: object) => {
      const r = await kubectl.run(['apply', '-f', '-'], JSON.stringify(object));
      expect(r.code).not.toBe(0);
      return r.stderr;
    };
    expect(await bad(cluster('bad', { controlplane: { replicas: 'three' } }))).toContain(
      'spec.controlplane.replicas: Invalid value: "string": spec.controlplane.replicas in body must be of type integer',
    );
    expect(await bad(cluster('bad', { storageNode: { replicas: 0 } }))).toContain(
      'spec.storageNode.replicas: Invalid value: 0: spec.storageNode.replicas in body should be greater than or equal to 1',
    );
    expect(
      await bad(cluster('bad', { s3: { credentialsSecretRef: { accessKeyKey: 'k' } } })),
    ).toContain('spec.s3.credentialsSecretRef.name: Required value');
    expect(await bad(cluster('bad', { edge: { service: { type: 'Public' } } }))).toContain(
      'spec.edge.service.type: Unsupported value: "Public"',
    );
    expect(await bad(cluster('bad', { config: { LOG_LEVEL: 'debug' } }))).toContain(
      'spec.config: Invalid value: "object": every key must be a KAFSCALE_* setting',
    );
    expect(
      await bad(cluster('bad', { edge: { autoscaling: { minReplicas: 9, maxReplicas: 3 } } })),
    ).toContain('minReplicas must not be above maxReplicas');
    const listener = { name: 'OUT', protocol: 'SASL_SSL', port: 9094 };
    expect(
      await bad(cluster('bad', { security: { listeners: [{ ...listener, protocol: 'TLS' }] } })),
    ).toContain('spec.security.listeners[0].protocol: Unsupported value: "TLS"');
    expect(
      await bad(cluster('bad', { security: { listeners: [{ ...listener, name: 'out' }] } })),
    ).toContain('spec.security.listeners[0].name: Invalid value: "out"');
    expect(
      await bad(cluster('bad', { security: { tls: { secretRef: { caKey: 'ca.crt' } } } })),
    ).toContain('spec.security.tls.secretRef.name: Required value');
    expect(
      await bad(
        cluster('bad', { security: { services: { grpcTls: { secretRef: { caKey: 'ca' } } } } }),
      ),
    ).toContain('spec.security.services.grpcTls.secretRef.name: Required value');
    expect(await bad(cluster('bad', { etcd: { tlsSecretRef: { caKey: '' } } }))).toContain(
      'spec.etcd.tlsSecretRef.caKey',
    );
    const topic = (spec: object) => ({
      apiVersion: 'kafscale.io/v1alpha1',
      kind: 'KafscaleTopic',
      metadata: { name: 'bad', namespace: NS },
      spec,
    });
    expect(await bad(topic({ partitions: 0 }))).toContain('spec.partitions: Invalid value: 0');
    expect(await bad(topic({}))).toContain('spec.partitions: Required value');
    expect(await bad(topic({ partitions: 1, topicName: 'a b' }))).toContain('spec.topicName');
    expect(
      await bad(topic({ partitions: 1, clusterRef: { name: 'x' }, controlplaneUrl: 'http://x:1' })),
    ).toContain('give clusterRef or controlplaneUrl, not both');
  });
});

describe('a KafscaleCluster', () => {
  const spec = { etcd: { endpoints: ['http://etcd.db:2379'] }, s3: { bucket: 'logs' } };

  it("becomes the chart's objects, each owned by it; Deployments get ReplicaSets and Pending pods", async () => {
    await kubectl.apply(cluster('kafscale', spec));
    const c = await converged('kafscale');
    const objects = await kubectl.list(OWNED, NS, 'kafscale.io/cluster=kafscale');
    expect(names(objects)).toEqual(expected('kafscale', spec));
    for (const o of objects) {
      expect(o.metadata.ownerReferences, `${o.kind}/${o.metadata.name}`).toEqual([
        expect.objectContaining({
          kind: 'KafscaleCluster',
          name: 'kafscale',
          uid: c.metadata.uid,
          controller: true,
        }),
      ]);
    }
    expect(ready(c)?.reason).toBe('ObjectsApplied');
    // kube-controller-manager at work: 3 controlplane pods, and 3 storage-node pods, all Pending.
    const pods = await until('the controlplane and storage-node pods', async () => {
      const p = await kubectl.list('pods', NS, 'app.kubernetes.io/instance=kafscale');
      return p.length >= 6 && p;
    });
    expect(pods.every((p) => p.status?.phase === 'Pending')).toBe(true);
    expect(
      (await kubectl.list('replicasets', NS, 'app.kubernetes.io/component=controlplane')).length,
    ).toBe(1);
  });

  it('scaled and reconfigured, updates its objects and rolls the pods of the changed service', async () => {
    const scaled = {
      ...spec,
      controlplane: { replicas: 5 },
      storageNode: { replicas: 4 },
      edge: { autoscaling: { maxReplicas: 20 }, config: { KAFSCALE_TRACE_KAFKA: 'true' } },
    };
    await kubectl.apply(cluster('kafscale', scaled));
    await converged('kafscale');
    await until('the scaled objects', async () => {
      const cp = await kubectl.get('deployment/kafscale-controlplane', NS);
      const sn = await kubectl.get('statefulset/kafscale-storage-node', NS);
      const hpa = await kubectl.get('hpa/kafscale-edge', NS);
      const cm = await kubectl.get('configmap/kafscale-edge', NS);
      return (
        cp?.spec?.replicas === 5 &&
        sn?.spec?.replicas === 4 &&
        hpa?.spec?.maxReplicas === 20 &&
        cm?.data?.KAFSCALE_TRACE_KAFKA === 'true'
      );
    });
    // A settings change changed the edges' pod template: a second ReplicaSet.
    await until(
      'a new edge ReplicaSet',
      async () =>
        (await kubectl.list('replicasets', NS, 'app.kubernetes.io/component=edge')).length === 2,
    );
  });

  it('puts back an object deleted or changed by hand, at once (it watches what it made)', async () => {
    const cm = await kubectl.get('configmap/kafscale-controlplane', NS);
    await kubectl.ok(['delete', 'configmap/kafscale-controlplane', '-n', NS]);
    await kubectl.ok(['scale', 'statefulset/kafscale-storage-node', '-n', NS, '--replicas=1']);
    const started = Date.now();
    await until('the ConfigMap and the storage-node count back', async () => {
      const back = await kubectl.get('configmap/kafscale-controlplane', NS);
      const sn = await kubectl.get('statefulset/kafscale-storage-node', NS);
      return back !== undefined && sn?.spec?.replicas === 4 && back;
    });
    // Sooner than the resync (4 s here) would have done it.
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await kubectl.get('configmap/kafscale-controlplane', NS))?.data).toEqual(cm?.data);
  });

  it('with a setting the schema accepts but the operator refuses reports it and changes nothing', async () => {
    const before = await kubectl.get('configmap/kafscale-controlplane', NS);
    await kubectl.apply(cluster('kafscale', { ...spec, config: { KAFSCALE_ETCD_PASSWORD: 'x' } }));
    const c = await converged('kafscale', 'False');
    expect(ready(c)?.reason).toBe('InvalidSpec');
    expect(ready(c)?.message).toContain(
      'spec.config.KAFSCALE_ETCD_PASSWORD: credentials are never read from values or ConfigMaps',
    );
    const after = await kubectl.get('configmap/kafscale-controlplane', NS);
    expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('with the console and autoscaling turned off, deletes their objects', async () => {
    const smaller = {
      ...spec,
      console: { enabled: false },
      edge: { replicas: 2, autoscaling: { enabled: false } },
    };
    await kubectl.apply(cluster('kafscale', smaller));
    await converged('kafscale');
    const objects = await until('the console and HPA gone', async () => {
      const o = await kubectl.list(OWNED, NS, 'kafscale.io/cluster=kafscale');
      return !names(o).includes('HorizontalPodAutoscaler/kafscale-edge') && o;
    });
    expect(names(objects)).toEqual(expected('kafscale', smaller));
    expect((await kubectl.get('deployment/kafscale-edge', NS))?.spec?.replicas).toBe(2);
  });
});

describe('a KafscaleTopic', () => {
  const topic = (spec: object) => ({
    apiVersion: 'kafscale.io/v1alpha1',
    kind: 'KafscaleTopic',
    metadata: { name: 'orders', namespace: NS },
    spec: { controlplaneUrl: `http://127.0.0.1:${broker.adminPort ?? 0}`, ...spec },
  });
  const topicReady = (status: string, partitions?: number) =>
    until(`KafscaleTopic orders Ready=${status}`, async () => {
      const t = await kubectl.get('kafscaletopic/orders', NS);
      return (
        t?.status?.observedGeneration === t?.metadata.generation &&
        ready(t)?.status === status &&
        (partitions === undefined || t?.status?.partitions === partitions) &&
        t
      );
    });

  it('creates its topic in the running Kafscale, then grows it and changes its configs', async () => {
    await kubectl.apply(topic({ partitions: 3, configs: { 'retention.ms': '3600000' } }));
    const t = await topicReady('True', 3);
    expect(t.metadata.finalizers).toEqual(['kafscale.io/topic']);
    const described = await admin.describeTopic({ name: 'orders' });
    expect(described.topic).toMatchObject({
      partitions: 3,
      configs: { 'retention.ms': '3600000' },
    });
    expect(t.status?.topicId).toBe(described.topic?.topicId);

    await kubectl.apply(topic({ partitions: 5, configs: { 'cleanup.policy': 'compact' } }));
    await topicReady('True', 5);
    expect((await admin.describeTopic({ name: 'orders' })).topic).toMatchObject({
      partitions: 5,
      configs: { 'cleanup.policy': 'compact' },
    });
  });

  it('reports what the controlplane refuses: fewer partitions, a bad config value', async () => {
    await kubectl.apply(topic({ partitions: 2, configs: { 'cleanup.policy': 'compact' } }));
    const shrink = await topicReady('False');
    expect(ready(shrink)?.reason).toBe('PartitionsCannotShrink');
    expect(ready(shrink)?.message).toContain('spec.partitions: 2 is fewer than the 5');
    await kubectl.apply(topic({ partitions: 5, configs: { 'retention.ms': 'soon' } }));
    const refused = await until('the bad config reported', async () => {
      const t = await kubectl.get('kafscaletopic/orders', NS);
      return ready(t)?.reason === 'Refused' && t;
    });
    expect(ready(refused)?.message).toContain('retention.ms');
    expect((await admin.describeTopic({ name: 'orders' })).topic?.partitions).toBe(5);
  });

  it('deleted, deletes its topic (the finalizer holds it until then)', async () => {
    await kubectl.ok(['delete', 'kafscaletopic/orders', '-n', NS, '--wait=true', '--timeout=20s']);
    const topics = await admin.listTopics({});
    expect(topics.topics.map((t) => t.name)).not.toContain('orders');
  });
});

/**
 * Watches the ServiceAccounts of `clusterName` and SIGKILLs `proc` the moment the first
 * appears. Resolves once the watch is open, with the promise of the kill.
 */
async function killOnFirstObject(
  proc: ManagedProcess,
  clusterName: string,
): Promise<{ killed: Promise<void> }> {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfig);
  let seen: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => {
    seen = resolve;
  });
  const abort = await new Watch(kc).watch(
    `/api/v1/namespaces/${NS}/serviceaccounts`,
    { labelSelector: `kafscale.io/cluster=${clusterName}` },
    (phase) => {
      if (phase === 'ADDED') {
        proc.child.kill('SIGKILL');
        seen();
      }
    },
    () => undefined,
  );
  return {
    killed: killed.then(async () => {
      abort.abort();
      await proc.exited;
    }),
  };
}

/**
 * Every distinct (holder, duration) the operators' Lease goes through from now until
 * `stop`, in order, as a watch of it reports them (renewals repeat a record and are
 * folded).
 */
async function watchLeaseRecords(): Promise<{
  seen: { holder: string; seconds: number }[];
  stop: () => void;
}> {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfig);
  const seen: { holder: string; seconds: number }[] = [];
  const abort = await new Watch(kc).watch(
    `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`,
    { fieldSelector: 'metadata.name=kafscale-operator' },
    (phase, lease: { spec?: { holderIdentity?: string; leaseDurationSeconds?: number } }) => {
      if (phase !== 'ADDED' && phase !== 'MODIFIED') return;
      const record = {
        holder: lease.spec?.holderIdentity ?? '',
        seconds: lease.spec?.leaseDurationSeconds ?? 0,
      };
      const last = seen.at(-1);
      if (last?.holder !== record.holder || last.seconds !== record.seconds) seen.push(record);
    },
    () => undefined,
  );
  return {
    seen,
    stop: () => {
      abort.abort();
    },
  };
}

let restarts = 0;
/**
 * Starts the replacement of a stopped operator, as Kubernetes would start a new pod: same
 * credentials, a new identity (a new pod has a new name).
 */
async function restart(identity: string): Promise<void> {
  const id = `${identity.slice(0, 1)}-${++restarts + 1}`;
  operators.delete(identity);
  operators.set(id, await startOperatorProcess(kubeconfigOf(id), id));
}

describe('leader election and restarts', () => {
  /** The operator holding the Lease, by its identity. */
  async function leader(): Promise<string> {
    const lease = await kubectl.get('lease/kafscale-operator', LEASE_NAMESPACE);
    const holder = lease?.spec?.holderIdentity;
    return typeof holder === 'string' ? holder : '';
  }

  it('the leader killed with SIGKILL mid-reconcile is replaced through the Lease, and the state converges', async () => {
    const first = await until('a leader', async () => (await leader()) || undefined);
    const leaderProcess = operators.get(first);
    if (leaderProcess === undefined) throw new Error(`no operator ${first}`);
    const spec = { controlplane: { replicas: 2 }, console: { enabled: false } };
    // Killed the moment the first of the cluster's objects (its ServiceAccount) appears,
    // seen through a watch: the others are not made yet.
    const { killed } = await killOnFirstObject(leaderProcess, 'second');
    await kubectl.apply(cluster('second', spec));
    await killed;
    const killedAt = Date.now();
    const partial = await kubectl.list(OWNED, NS, 'kafscale.io/cluster=second');
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(expected('second', spec).length);
    expect(ready(await kubectl.get('kafscalecluster/second', NS))).toBeUndefined();
    // A replacement starts at once, as Kubernetes would restart the pod.
    const replacement = restart(first);
    const next = await until('another operator to take the Lease', async () => {
      const l = await leader();
      return l !== first && l !== '' && l;
    });
    const c = await converged('second');
    expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS + 10) * 1000);
    const objects = await kubectl.list(OWNED, NS, 'kafscale.io/cluster=second');
    expect(names(objects)).toEqual(expected('second', spec));
    for (const o of objects) expect(o.metadata.ownerReferences?.[0]?.uid).toBe(c.metadata.uid);
    await replacement;
    expect(await leader()).toBe(next);
  });

  it('a stopped leader hands the Lease over at once, and the next leader changes nothing in place', async () => {
    const before = await kubectl.list(`${OWNED},kafscaleclusters`, NS);
    const current = await leader();
    const records = await watchLeaseRecords();
    await until('the watch to report the Lease', () => Promise.resolve(records.seen.length > 0));
    // SIGTERM, as Kubernetes stops a pod: the leader releases the Lease as it stops.
    await operators.get(current)?.stop(10_000);
    const stoppedAt = Date.now();
    operators.delete(current);
    const next = await until('a new leader', async () => {
      const l = await leader();
      return l !== current && l !== '' && l;
    });
    console.log(`the Lease changed hands ${Date.now() - stoppedAt} ms after the leader stopped`);
    await until('the watch to see the new holder', () =>
      Promise.resolve(records.seen.some((r) => r.holder === next)),
    );
    records.stop();
    // Handed back (no holder, a 1-second duration), then taken: not left to expire after
    // LEASE_SECONDS unrenewed. Compared as records, not by a clock this busy machine skews.
    const holders = records.seen.map((r) => `${r.holder}/${r.seconds}`);
    expect(holders).toEqual([`${current}/${LEASE_SECONDS}`, '/1', `${next}/${LEASE_SECONDS}`]);
    // The new leader reconciles both clusters (its watch lists them when it starts).
    const log = () => operators.get(next)?.outputTail() ?? '';
    await until('the new leader to reconcile both clusters', () =>
      Promise.resolve(
        /"key":"kafscaleclusters\/prod\/kafscale".*"msg":"\d+ objects match the spec"/.test(
          log(),
        ) &&
          /"key":"kafscaleclusters\/prod\/second".*"msg":"\d+ objects match the spec"/.test(log()),
      ),
    );
    const after = await kubectl.list(`${OWNED},kafscaleclusters`, NS);
    // Specs by generation (controllers update the workloads' status), the rest (and the
    // KafscaleClusters, whose status only the operator writes) by resourceVersion.
    const versions = (items: Item[]) =>
      Object.fromEntries(
        items.map((i) => [
          `${i.kind}/${i.metadata.name}`,
          i.kind === 'KafscaleCluster' || i.metadata.generation === undefined
            ? i.metadata.resourceVersion
            : i.metadata.generation,
        ]),
      );
    expect(versions(after)).toEqual(versions(before));
  });
});

describe("the chart's operator Deployment and RBAC", () => {
  it('let its ServiceAccount do everything the operator does, and no more than that', async () => {
    // Applied by beforeAll; operator b has been running as this ServiceAccount throughout.
    const sa = `system:serviceaccount:${LEASE_NAMESPACE}:kafscale-operator`;
    /** What the ServiceAccount may do in a namespace: verbs by resource (`auth can-i --list`). */
    const rules = async (namespace: string) => {
      const out = await kubectl.ok(['auth', 'can-i', '--list', '-n', namespace, '--as', sa]);
      const verbs = new Map<string, Set<string>>();
      for (const line of out.trim().split('\n').slice(1)) {
        const m = /^(\S+)\s+\[.*?\]\s+\[.*?\]\s+\[(.*)\]$/.exec(line.trim());
        if (m !== null) verbs.set(m[1] ?? '', new Set((m[2] ?? '').split(' ')));
      }
      return (verb: string, resource: string) => verbs.get(resource)?.has(verb) ?? false;
    };
    const can = await rules(NS);
    const plural: Record<string, string> = {
      ServiceAccount: 'serviceaccounts',
      ConfigMap: 'configmaps',
      Service: 'services',
      Deployment: 'deployments.apps',
      StatefulSet: 'statefulsets.apps',
      HorizontalPodAutoscaler: 'horizontalpodautoscalers.autoscaling',
      PodDisruptionBudget: 'poddisruptionbudgets.policy',
    };
    for (const { kind } of OWNED_KINDS) {
      for (const verb of ['get', 'list', 'patch', 'delete']) {
        expect(can(verb, plural[kind] ?? kind), `${verb} ${kind}`).toBe(true);
      }
    }
    for (const r of ['kafscaleclusters.kafscale.io', 'kafscaletopics.kafscale.io']) {
      for (const verb of ['get', 'list', 'watch', 'patch']) expect(can(verb, r), r).toBe(true);
      expect(can('patch', `${r}/status`), `${r} status`).toBe(true);
    }
    // Not more: no Secrets, no pods, and Leases only in its own namespace.
    expect(can('get', 'secrets')).toBe(false);
    expect(can('create', 'pods')).toBe(false);
    expect(can('update', 'leases.coordination.k8s.io')).toBe(false);
    expect((await rules(LEASE_NAMESPACE))('update', 'leases.coordination.k8s.io')).toBe(true);
    const deployment = await kubectl.get('deployment/kafscale-operator', LEASE_NAMESPACE);
    expect(JSON.stringify(deployment?.spec)).toContain('"serviceAccountName":"kafscale-operator"');
  });
});

describe('deleting a KafscaleCluster', () => {
  it('deletes its objects (the garbage collector follows the owner references)', async () => {
    await kubectl.ok(['delete', 'kafscalecluster/kafscale', '-n', NS, '--wait=true']);
    // The garbage collector deletes dependents one by one in the background, and in a
    // busy suite (this file shares the cores with others) that took over 20 s once; the
    // failure then names what was left.
    let left: string[] = [];
    await until(
      'every object of cluster kafscale gone',
      async () => {
        const objects = await kubectl.list(OWNED, NS, 'kafscale.io/cluster=kafscale');
        left = objects.map((o) => `${o.kind}/${o.metadata.name}`);
        return left.length === 0;
      },
      60_000,
      () => `still there: ${left.join(', ')}`,
    );
    // The other cluster keeps its objects.
    expect((await kubectl.list(OWNED, NS, 'kafscale.io/cluster=second')).length).toBeGreaterThan(0);
  });
});
