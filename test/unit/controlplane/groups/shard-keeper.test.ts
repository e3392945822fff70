import { afterEach, describe, expect, it } from 'vitest';
import { startControlplane, type Controlplane } from '../../../../controlplane/src/controlplane.js';
import { chosenReplica } from '../../../../controlplane/src/groups/shard-keeper.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';

const running: Controlplane[] = [];
afterEach(async () => {
  for (const cp of running.splice(0)) await cp.stop().catch(() => undefined);
});

async function replica(store: MemoryMetadataStore, id: string): Promise<Controlplane> {
  const cp = await startControlplane({
    replicaId: id,
    metadata: store,
    clusterId: 'c',
    defaultPartitions: 1,
    leaseTtlSeconds: 1,
    address: `${id}.local:19094`,
    groupShards: 8,
  });
  running.push(cp);
  return cp;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ShardKeeper', () => {
  it('chooses one replica per shard, the same on every replica, spreading shards', () => {
    const replicas = ['a', 'b', 'c'];
    const chosen = Array.from({ length: 64 }, (_, s) => chosenReplica(s, replicas));
    expect(new Set(chosen)).toEqual(new Set(replicas));
    expect(chosen).toEqual(Array.from({ length: 64 }, (_, s) => chosenReplica(s, ['c', 'a', 'b'])));
  });

  it('one replica holds every shard; a second takes over its share; a dead one hands back', async () => {
    const store = new MemoryMetadataStore();
    const a = await replica(store, 'a');
    await until(() => a.shards.held().length === 8);
    expect(a.groups.heldShards()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The shard count is fixed at the first start and visible to every replica.
    expect(Buffer.from((await store.get(keys.groupShardCount()))?.value ?? []).toString()).toBe(
      '8',
    );

    const b = await replica(store, 'b');
    const expectB = Array.from({ length: 8 }, (_, s) => s).filter(
      (s) => chosenReplica(s, ['a', 'b']) === 'b',
    );
    await until(() => b.shards.held().length === expectB.length);
    await until(() => a.shards.held().length === 8 - expectB.length);
    expect(b.shards.held()).toEqual(expectB);
    // Each claim names its replica and address, and the epoch grew with the handover.
    const claim = await store.get(keys.groupShardOwner(expectB[0] ?? 0));
    expect(JSON.parse(Buffer.from(claim?.value ?? []).toString())).toMatchObject({
      replicaId: 'b',
      address: 'b.local:19094',
      epoch: 2,
    });

    await b.stop();
    running.splice(running.indexOf(b), 1);
    await until(() => a.shards.held().length === 8);
  });
});
