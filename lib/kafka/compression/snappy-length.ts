import { CorruptCompressedDataError } from './compression-errors.js';

/**
 * The uncompressed length a raw snappy block declares in its preamble (an unsigned LEB128
 * varint of at most 32 bits). The decoder allocates exactly this much, so checking it
 * against the cap before decoding bounds the allocation.
 */
export function snappyDeclaredLength(block: Uint8Array): number {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    const b = block[i];
    if (b === undefined) throw new CorruptCompressedDataError('snappy: truncated length preamble');
    if (i === 4 && b > 0x0f) {
      throw new CorruptCompressedDataError('snappy: length preamble exceeds 32 bits');
    }
    result += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return result;
  }
  throw new CorruptCompressedDataError('snappy: length preamble longer than 5 bytes');
}
