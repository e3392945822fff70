import { create } from '@bufbuild/protobuf';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../../controlplane/src/groups/group-coordinator.js';
import { groupMetrics } from '../../../../controlplane/src/groups/group-metrics.js';
import { DEFAULT_GROUP_SETTINGS } from '../../../../controlplane/src/groups/group-settings.js';
import { GroupWriter } from '../../../../controlplane/src/groups/group-writer.js';
import { OffsetCommitRequestSchema } from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';

async function value(registry: Registry, name: string, labels = ''): Promise<number> {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  if (line === undefined) throw new Error(`no sample ${name}${labels} in:\n${text}`);
  return Number(line.split(' ')[1]);
}

describe('group metrics', () => {
  it('report held shards, groups by state, and writes against the transactions that carried them', async () => {
    const store = new MemoryMetadataStore();
    const writer = new GroupWriter(store, { intervalMs: 5 });
    const coordinator = new GroupCoordinator(store, writer, 1, DEFAULT_GROUP_SETTINGS);
    const ownerKey = keys.groupShardOwner(0);
    const r = await store.txn([], [{ type: 'put', key: ownerKey, value: Buffer.from('{}') }]);
    await coordinator.load({ shard: 0, ownerKey, createRevision: r.revision });
    const registry = new Registry();
    const untrack = groupMetrics(registry).track(coordinator, writer);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        coordinator.offsetCommit(
          create(OffsetCommitRequestSchema, {
            groupId: `g${i}`,
            generationId: -1,
            topics: [{ name: 't', partitions: [{ partition: 0, offset: 1n, leaderEpoch: -1 }] }],
          }),
        ),
      ),
    );
    expect(await value(registry, 'kafscale_group_shards_held')).toBe(1);
    expect(await value(registry, 'kafscale_groups', '{state="Empty"}')).toBe(50);
    expect(await value(registry, 'kafscale_group_writes_total')).toBe(50);
    const txns = await value(registry, 'kafscale_group_write_transactions_total');
    expect(txns).toBeGreaterThanOrEqual(1);
    expect(txns).toBeLessThanOrEqual(3);
    untrack();
    coordinator.stop();
    await writer.stop();
  });
});
