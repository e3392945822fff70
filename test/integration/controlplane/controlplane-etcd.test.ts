/** The controlplane against a real etcd: create races, failover, fencing and assignment. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/metadata/keys.js';
import { decodeAssignment } from '../../../lib/metadata/topic-records.js';
import { EtcdMetadataStore } from '../../../lib/stores/etcd/etcd-metadata-store.js';
import { writeAssignments } from '../../../controlplane/src/assignment/write-assignments.js';
import { startControlplane, type Controlplane } from '../../../controlplane/src/controlplane.js';
import { TopicRegistry } from '../../../controlplane/src/topics/topic-registry.js';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import { registerNode, waitFor } from '../../unit/controlplane/helpers.js';

let etcd: EtcdFixture;
const stores: EtcdMetadataStore[] = [];
const planes: Controlplane[] = [];

async function connect(): Promise<EtcdMetadataStore> {
  const s = await EtcdMetadataStore.connect({ endpoints: etcd.endpoints });
  stores.push(s);
  return s;
}

beforeAll(async () => {
  etcd = await startEtcd();
});

afterAll(async () => {
  for (const p of planes) await p.stop().catch(() => undefined);
  for (const s of stores) await s.close();
  await etcd.stop();
});

describe('controlplane on etcd', () => {
  it('lets exactly one of 10 concurrent creates win, and deletes by name and id', async () => {
    const registries = await Promise.all(
      Array.from(
        { length: 10 },
        async () => new TopicRegistry(await connect(), { defaultPartitions: 1 }),
      ),
    );
    const results = (
      await Promise.all(
        registries.map((r) =>
          r.create([{ name: 'race', numPartitions: 3, replicationFactor: -1, configs: {} }]),
        ),
      )
    ).flat();
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const [registry] = registries;
    if (registry === undefined) throw new Error('no registry');
    expect(await registry.deleteByName('race')).toMatchObject({ ok: true });
    const [other] = await registry.create([
      { name: 'other', numPartitions: 1, replicationFactor: -1, configs: {} },
    ]);
    const id = other?.ok ? (other.topicId ?? '') : '';
    expect(await registry.deleteById(id)).toEqual({ ok: true, name: 'other', topicId: id });
    expect(await registry.list()).toEqual([]);
  });

  it('fails over within the TTL, fences the deposed leader and keeps assigning', async () => {
    const nodes = await connect();
    const nodeLease = await nodes.grantLease(5);
    await registerNode(nodes, 'storage', 's1', nodeLease);
    const options = {
      clusterId: 'c',
      defaultPartitions: 4,
      leaseTtlSeconds: 2,
      assignDebounceMs: 10,
    };
    const a = await startControlplane({ ...options, replicaId: 'a', metadata: await connect() });
    planes.push(a);
    const b = await startControlplane({ ...options, replicaId: 'b', metadata: await connect() });
    planes.push(b);
    expect([a.election.isLeader, b.election.isLeader]).toEqual([true, false]);

    const [t] = await b.registry.create([
      { name: 'fo', numPartitions: -1, replicationFactor: -1, configs: {} },
    ]);
    const topicId = t?.ok ? (t.topicId ?? '') : '';
    const assigned = async () => (await nodes.list(keys.topicAssignmentsPrefix(topicId))).kvs;
    await waitFor('the leader to assign', async () => (await assigned()).length === 4, 10_000);

    const oldFence = a.election.fence();
    if (oldFence === undefined) throw new Error('a should lead');
    const started = Date.now();
    await a.election.lease?.revoke();
    await waitFor('b to lead', () => b.election.isLeader, 2000);
    expect(Date.now() - started).toBeLessThan(2000);

    const topic = b.view.topicById(topicId);
    if (topic === undefined) throw new Error('b should see the topic');
    const stale = await writeAssignments(
      nodes,
      { puts: [{ topicId, partition: 0, node: 'rogue' }], deletes: [], unpins: [] },
      oldFence,
      new Map([[topicId, { name: 'fo', createRevision: topic.createRevision }]]),
    );
    expect(stale).toMatchObject({ ok: false, reason: 'fenced' });

    // The new leader reassigns when a node joins and the old one dies.
    await registerNode(nodes, 'storage', 's2');
    await nodeLease.revoke();
    await waitFor(
      'b to move every partition to s2',
      async () =>
        (await assigned()).every((kv) => decodeAssignment(kv.key, kv.value).node === 's2'),
      10_000,
    );
    expect(a.election.isLeader).toBe(false);
  });
});
