import { CorruptCompressedDataError } from './compression-errors.js';

/*
 * Walks the block headers of LZ4 frames (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md)
 * without decoding anything, to bound what decoding can produce:
 *   - an uncompressed block yields exactly its size;
 *   - a compressed block of n bytes yields at most min(block maximum, 255 * n): every
 *     input byte of an LZ4 sequence adds at most 255 bytes of output (a match-length
 *     extension byte), so the bound holds for any input.
 * Frames may be concatenated; skippable frames are stepped over. The frame spans are
 * returned so that each can be decoded on its own (lz4-napi stops after the first frame).
 */

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MAX_EXPANSION_PER_BYTE = 255;

const FLG_VERSION_SHIFT = 6;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;

export interface Lz4FrameInfo {
  /** Upper bound on the bytes decoding all frames can produce. */
  readonly maxOutputBytes: number;
  /** Sum of the content sizes declared in frame headers, or null if any frame omits it. */
  readonly declaredContentBytes: number | null;
  /** Whether every frame declares independent blocks (what Kafka's Java client requires). */
  readonly blocksIndependent: boolean;
  /** [start, end) of each data frame, in order. */
  readonly frames: readonly (readonly [number, number])[];
}

function corrupt(message: string): never {
  throw new CorruptCompressedDataError(`lz4: ${message}`);
}

function blockMaxSize(bd: number): number {
  const id = (bd >> 4) & 0x07;
  if (id < 4 || (bd & 0x8f) !== 0) corrupt(`invalid block descriptor 0x${bd.toString(16)}`);
  return 1 << (8 + 2 * id);
}

export function lz4FrameInfo(input: Uint8Array): Lz4FrameInfo {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let at = 0;
  let maxOutput = 0;
  let declared: number | null = 0;
  let independent = true;
  const frames: [number, number][] = [];
  const need = (n: number): void => {
    if (buf.length - at < n) corrupt(`truncated frame at byte ${at}`);
  };
  if (buf.length === 0) corrupt('empty input');
  while (at < buf.length) {
    const frameStart = at;
    need(4);
    const magic = buf.readUInt32LE(at);
    at += 4;
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(4);
      const size = buf.readUInt32LE(at);
      at += 4;
      need(size);
      at += size;
      continue;
    }
    if (magic !== FRAME_MAGIC) corrupt(`bad frame magic 0x${magic.toString(16)} at byte ${at - 4}`);
    need(2);
    const flg = buf.readUInt8(at);
    const bd = buf.readUInt8(at + 1);
    at += 2;
    if (flg >> FLG_VERSION_SHIFT !== 1)
      corrupt(`unsupported frame version in FLG 0x${flg.toString(16)}`);
    if ((flg & 0x02) !== 0) corrupt('reserved FLG bit set');
    independent &&= (flg & 0x20) !== 0;
    const blockMax = blockMaxSize(bd);
    if ((flg & FLG_CONTENT_SIZE) !== 0) {
      need(8);
      const size = buf.readBigUInt64LE(at);
      at += 8;
      if (declared !== null) {
        declared = size > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : declared + Number(size);
      }
    } else {
      declared = null;
    }
    if ((flg & FLG_DICT_ID) !== 0) {
      need(4);
      at += 4;
    }
    need(1);
    at += 1; // header checksum, verified by the decoder
    const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0;
    for (;;) {
      need(4);
      const word = buf.readUInt32LE(at);
      at += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > blockMax) corrupt(`block of ${size} bytes exceeds the frame's ${blockMax}`);
      need(size + blockChecksum);
      at += size + blockChecksum;
      const uncompressed = (word & 0x80000000) !== 0;
      maxOutput += uncompressed ? size : Math.min(blockMax, size * MAX_EXPANSION_PER_BYTE);
    }
    if ((flg & FLG_CONTENT_CHECKSUM) !== 0) {
      need(4);
      at += 4;
    }
    frames.push([frameStart, at]);
  }
  return {
    maxOutputBytes: maxOutput,
    declaredContentBytes: declared,
    blocksIndependent: independent,
    frames,
  };
}
