import { BASE_OFFSET_OFFSET, PARTITION_LEADER_EPOCH_OFFSET } from './batch-layout.js';

/*
 * In-place edits of the two header fields outside the CRC. They write into the view's
 * memory (and so into the buffer it was cut from): nothing is copied and the CRC stays
 * valid.
 */

function asBuffer(view: Uint8Array): Buffer {
  return Buffer.isBuffer(view) ? view : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** Assigns the batch its log offset. */
export function setBaseOffset(view: Uint8Array, baseOffset: bigint): void {
  asBuffer(view).writeBigInt64BE(baseOffset, BASE_OFFSET_OFFSET);
}

/** Stamps the batch with the leader epoch of the partition that appends it. */
export function setPartitionLeaderEpoch(view: Uint8Array, epoch: number): void {
  asBuffer(view).writeInt32BE(epoch, PARTITION_LEADER_EPOCH_OFFSET);
}
