import { CorruptCompressedDataError } from './compression-errors.js';

/*
 * The xerial snappy-java stream framing, which Kafka's Java client writes for snappy:
 *
 *   header  8 bytes  0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
 *           int32    version (1)
 *           int32    minimum compatible version (1)
 *   blocks  int32    length of the block, big-endian
 *           bytes    one raw snappy block (its own uncompressed-length preamble first)
 *
 * A header may appear again at a block boundary (concatenated streams); it is skipped.
 * It cannot be mistaken for a block, whose int32 length would then be negative.
 */

export const XERIAL_MAGIC: Readonly<Buffer> = Buffer.from([
  0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00,
]);
export const XERIAL_HEADER_LENGTH = 16;
export const XERIAL_VERSION = 1;
export const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size, which Kafka's producer uses. */
export const XERIAL_BLOCK_SIZE = 32 * 1024;

function startsWithMagic(buf: Uint8Array, at: number): boolean {
  if (buf.length - at < XERIAL_HEADER_LENGTH) return false;
  for (let i = 0; i < XERIAL_MAGIC.length; i++) {
    if (buf[at + i] !== XERIAL_MAGIC[i]) return false;
  }
  return true;
}

/** True when `buf` begins with a xerial header (otherwise it is treated as raw snappy). */
export function isXerialFramed(buf: Uint8Array): boolean {
  return startsWithMagic(buf, 0);
}

/** The raw snappy blocks of a xerial stream, as views into `buf`. */
export function xerialBlocks(input: Uint8Array): Buffer[] {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const blocks: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (startsWithMagic(buf, at)) {
      at += XERIAL_HEADER_LENGTH;
      continue;
    }
    if (buf.length - at < 4) {
      throw new CorruptCompressedDataError(`snappy: truncated xerial block length at byte ${at}`);
    }
    const n = buf.readInt32BE(at);
    at += 4;
    if (n < 0 || n > buf.length - at) {
      throw new CorruptCompressedDataError(
        `snappy: xerial block of ${n} bytes at byte ${at - 4} overruns the ${buf.length}-byte stream`,
      );
    }
    blocks.push(buf.subarray(at, at + n));
    at += n;
  }
  return blocks;
}

export function xerialHeader(): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_LENGTH);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  return header;
}

/** Joins compressed blocks into one xerial stream. */
export function xerialFrame(compressedBlocks: readonly Uint8Array[]): Buffer {
  let total = XERIAL_HEADER_LENGTH;
  for (const b of compressedBlocks) total += 4 + b.length;
  const out = Buffer.allocUnsafe(total);
  xerialHeader().copy(out, 0);
  let at = XERIAL_HEADER_LENGTH;
  for (const b of compressedBlocks) {
    at = out.writeInt32BE(b.length, at);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Splits plain input into the views that become xerial blocks. */
export function xerialChunks(input: Uint8Array, blockSize = XERIAL_BLOCK_SIZE): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < input.length; at += blockSize) {
    chunks.push(input.subarray(at, Math.min(input.length, at + blockSize)));
  }
  return chunks;
}
