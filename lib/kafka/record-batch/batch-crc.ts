import { crc32c } from '../crc32c.js';
import { ATTRIBUTES_OFFSET, CRC_OFFSET } from './batch-layout.js';

/** CRC-32C of a whole batch view: from attributes to the end. */
export function computeBatchCrc(view: Uint8Array): number {
  return crc32c(view.subarray(ATTRIBUTES_OFFSET));
}

export function storedBatchCrc(view: Uint8Array): number {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).readUInt32BE(CRC_OFFSET);
}

/** Writes the CRC of a batch view into its header, in place. */
export function writeBatchCrc(view: Uint8Array): void {
  Buffer.from(view.buffer, view.byteOffset, view.byteLength).writeUInt32BE(
    computeBatchCrc(view),
    CRC_OFFSET,
  );
}
