/**
 * Producer ids for idempotent producers, unique across the cluster and never reused: each
 * controlplane replica takes blocks of ids from `producer-ids/next` in etcd
 * (compare-and-swap on its mod revision) and hands them out one by one, so etcd is
 * written once per block, not once per producer. Ids of a block a replica dies with are
 * simply never used.
 */
import { keys } from '../../../lib/metadata/keys.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';

export const PRODUCER_ID_BLOCK = 1000n;

export class ProducerIdAllocator {
  private next = 0n;
  private end = 0n;
  private refill: Promise<void> | undefined;

  constructor(
    private readonly store: MetadataStore,
    private readonly blockSize = PRODUCER_ID_BLOCK,
  ) {}

  async allocate(): Promise<bigint> {
    while (this.next >= this.end) {
      this.refill ??= this.takeBlock().finally(() => {
        this.refill = undefined;
      });
      await this.refill;
    }
    return this.next++;
  }

  private async takeBlock(): Promise<void> {
    const key = keys.producerIdNext();
    for (;;) {
      const kv = await this.store.get(key);
      const start = kv ? BigInt(Buffer.from(kv.value).toString('utf8')) : 0n;
      const end = start + this.blockSize;
      const result = await this.store.txn(
        [{ key, target: 'modRevision', op: '=', value: kv?.modRevision ?? 0 }],
        [{ type: 'put', key, value: Buffer.from(end.toString()) }],
      );
      if (result.succeeded) {
        this.next = start;
        this.end = end;
        return;
      }
    }
  }
}
