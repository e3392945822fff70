import { create } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlplane, type Controlplane } from '../../../../controlplane/src/controlplane.js';
import { createClient, createRouterTransport } from '@connectrpc/connect';
import {
  GroupCoordinatorService,
  OffsetCommitRequestSchema,
  OffsetFetchRequestSchema,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';

let cp: Controlplane | undefined;
afterEach(async () => {
  await cp?.stop();
  cp = undefined;
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('offsets of a deleted topic', () => {
  it('are deleted with the topic; other topics keep theirs', async () => {
    const store = new MemoryMetadataStore();
    const c = await startControlplane({
      replicaId: 'r',
      metadata: store,
      clusterId: 'c',
      defaultPartitions: 1,
      leaseTtlSeconds: 5,
      groupShards: 2,
    });
    cp = c;
    await until(() => c.shards.held().length === 2);
    const client = createClient(
      GroupCoordinatorService,
      createRouterTransport((r) => r.service(GroupCoordinatorService, c.groupService)),
    );
    const spec = { numPartitions: 1, replicationFactor: -1, configs: {} };
    await c.registry.create([
      { name: 'doomed', ...spec },
      { name: 'kept', ...spec },
    ]);
    const commit = await client.offsetCommit(
      create(OffsetCommitRequestSchema, {
        groupId: 'g',
        generationId: -1,
        topics: [
          { name: 'doomed', partitions: [{ partition: 0, offset: 10n, leaderEpoch: -1 }] },
          { name: 'kept', partitions: [{ partition: 0, offset: 20n, leaderEpoch: -1 }] },
        ],
      }),
    );
    expect(commit.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))).toEqual([0, 0]);
    await c.registry.deleteByName('doomed');
    const fetchAll = async () =>
      (
        await client.offsetFetch(
          create(OffsetFetchRequestSchema, { groups: [{ groupId: 'g', allTopics: true }] }),
        )
      ).groups[0]?.topics.map((t) => [t.name, t.partitions[0]?.committedOffset]) ?? [];
    const deadline = Date.now() + 5000;
    let topics = await fetchAll();
    while (topics.length > 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      topics = await fetchAll();
    }
    expect(topics).toEqual([['kept', 20n]]);
  });
});
