/**
 * The group writer bounds what waits for etcd: while a transaction hangs, writes queue up
 * to maxPendingOps and then are refused at once (WriterBackloggedError, which clients see
 * as COORDINATOR_NOT_AVAILABLE); once etcd answers, the queue drains and writes succeed.
 */
import { describe, expect, it } from 'vitest';
import {
  GroupWriter,
  WriterBackloggedError,
  type GroupOp,
} from '../../../../controlplane/src/groups/group-writer.js';
import { writeFailureCode } from '../../../../controlplane/src/groups/membership.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import type { Compare, TxnOp, TxnResult } from '../../../../lib/stores/metadata-store.js';

/** A store whose transactions wait until `release()` while `held`. */
class StallingStore extends MemoryMetadataStore {
  held = false;
  private waiting: (() => void)[] = [];
  override async txn(compares: readonly Compare[], success: readonly TxnOp[]): Promise<TxnResult> {
    if (this.held) await new Promise<void>((r) => this.waiting.push(r));
    return super.txn(compares, success);
  }
  release(): void {
    this.held = false;
    for (const r of this.waiting.splice(0)) r();
  }
}

const put = (i: number): GroupOp[] => [
  { type: 'put', key: `/kafscale/groups/0/g/offsets/t/${i}`, value: Buffer.from('x') },
];

describe('GroupWriter backlog', () => {
  it('refuses writes past maxPendingOps while etcd stalls, and drains when it answers', async () => {
    const store = new StallingStore();
    await store.txn(
      [],
      [{ type: 'put', key: '/kafscale/group-shards/0/owner', value: Buffer.from('r') }],
    );
    const owner = await store.get('/kafscale/group-shards/0/owner');
    const fence = {
      shard: 0,
      ownerKey: owner?.key ?? '',
      createRevision: owner?.createRevision ?? 0,
    };
    const writer = new GroupWriter(store, { intervalMs: 0, maxPendingOps: 10 });
    store.held = true;
    const accepted = Array.from({ length: 10 }, (_, i) => writer.write(fence, put(i)));
    const refused = await writer.write(fence, put(10)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WriterBackloggedError);
    expect(writeFailureCode(refused)).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);

    store.release();
    await Promise.all(accepted);
    await writer.write(fence, put(11)); // room again
    expect((await store.list('/kafscale/groups/0/')).kvs).toHaveLength(11);
    await writer.stop();
  });
});
