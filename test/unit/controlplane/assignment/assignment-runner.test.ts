/** The assignment runner: assigns new topics, reassigns a dead node's partitions, is fenced. */
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../lib/metadata/keys.js';
import { decodeAssignment } from '../../../../lib/metadata/topic-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { AssignmentRunner } from '../../../../controlplane/src/assignment/assignment-runner.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { TopicRegistry } from '../../../../controlplane/src/topics/topic-registry.js';
import { registerNode, unregisterNode, waitFor } from '../helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function assignments(store: MemoryMetadataStore): Promise<Record<string, string>> {
  const { kvs } = await store.list(keys.assignmentsPrefix());
  return Object.fromEntries(
    kvs.map((kv) => [
      kv.key.slice(keys.assignmentsPrefix().length),
      decodeAssignment(kv.key, kv.value).node,
    ]),
  );
}

describe('AssignmentRunner', () => {
  it('assigns, keeps, and reassigns on node death, fenced on the leader key', async () => {
    const store = new MemoryMetadataStore();
    const lease = await store.grantLease(10);
    const leader = await store.txn(
      [],
      [{ type: 'put', key: keys.controlplaneLeader(), value: Buffer.from('{}'), lease: lease.id }],
    );
    const view = await MetadataView.start(store);
    cleanups.push(() => view.stop());
    const registry = new TopicRegistry(store, { defaultPartitions: 4 });
    await registerNode(store, 'storage', 's1');
    await registerNode(store, 'storage', 's2');
    const runner = new AssignmentRunner({
      store,
      view,
      debounceMs: 5,
      fence: () => ({ key: keys.controlplaneLeader(), createRevision: leader.revision }),
    });
    runner.start();
    cleanups.push(() => runner.stop());

    const [r] = await registry.create([
      { name: 't', numPartitions: -1, replicationFactor: -1, configs: {} },
    ]);
    const id = r?.ok ? (r.topicId ?? '') : '';
    await waitFor('4 assignments', async () => Object.keys(await assignments(store)).length === 4);
    const first = await assignments(store);
    expect(Object.values(first).sort()).toEqual(['s1', 's1', 's2', 's2']);

    await unregisterNode(store, 'storage', 's2');
    await waitFor('s2 to lose its partitions', async () =>
      Object.values(await assignments(store)).every((n) => n === 's1'),
    );
    await registerNode(store, 'storage', 's3');
    await registry.create([{ name: 'u', numPartitions: 2, replicationFactor: -1, configs: {} }]);
    // s3 gets the new partitions and one of s1's, so each holds three.
    await waitFor('6 assignments balanced over s1 and s3', async () => {
      const now = Object.values(await assignments(store));
      return now.length === 6 && now.filter((n) => n === 's3').length === 3;
    });
    const after = await assignments(store);
    expect([0, 1, 2, 3].filter((p) => after[`${id}/${p}`] === 's1')).toHaveLength(3);

    // The leader key is gone: the next plan's transaction fails its compare and the runner stops.
    let fenced = false;
    const deposed = new AssignmentRunner({
      store,
      view,
      debounceMs: 5,
      fence: () => ({ key: keys.controlplaneLeader(), createRevision: leader.revision }),
      onFenced: () => {
        fenced = true;
      },
    });
    await runner.stop();
    await lease.revoke();
    deposed.start();
    cleanups.push(() => deposed.stop());
    await registry.create([{ name: 'v', numPartitions: 1, replicationFactor: -1, configs: {} }]);
    await waitFor('the deposed runner to be fenced', () => fenced);
    expect(Object.keys(await assignments(store))).toHaveLength(6);
  });
});
