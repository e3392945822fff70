import lz4 from 'lz4-napi';
import {
  asBuffer,
  joinParts,
  outputLimit,
  type CompressionCodec,
  type DecompressOptions,
} from './codec.js';
import { CorruptCompressedDataError, DecompressionLimitError } from './compression-errors.js';
import { CompressionType } from './compression-type.js';
import { lz4FrameInfo } from './lz4-frame-bound.js';

/*
 * LZ4 as Kafka carries it since magic 1: the standard LZ4 frame format (magic 0x184D2204)
 * with a correct header checksum. (Magic 0 batches used a broken checksum; they cannot
 * reach this code, which serves RecordBatch v2 only.) lz4-napi writes frames with
 * independent blocks and no dictionary id, which Kafka's Java reader requires.
 *
 * Concatenated frames are decoded one by one (lz4-napi alone silently stops after the
 * first frame).
 *
 * Bounded, by a pre-scan: lz4-napi decodes a whole frame into one growing buffer with no
 * output limit, so the frame's block headers are walked first (lz4-frame-bound.ts) and the
 * input is refused when its worst-case output, or its declared content size, exceeds the
 * cap. The pre-scan is exact for uncompressed blocks and at most one block maximum (64 KiB
 * to 4 MiB) above the truth for a well-formed producer's frame, so a batch whose real size
 * sits just under the cap can be refused; one far above it never gets decoded.
 */

/** Checks the bound and returns each frame as a view, to be decoded one by one. */
function framesWithin(input: Uint8Array, limit: number): Buffer[] {
  const info = lz4FrameInfo(input);
  if (info.declaredContentBytes !== null && info.declaredContentBytes > limit) {
    throw new DecompressionLimitError(
      'lz4',
      limit,
      `frames declare ${info.declaredContentBytes} bytes`,
    );
  }
  if (info.maxOutputBytes > limit) {
    throw new DecompressionLimitError(
      'lz4',
      limit,
      `blocks may decode to ${info.maxOutputBytes} bytes`,
    );
  }
  const buf = asBuffer(input);
  return info.frames.map(([start, end]) => buf.subarray(start, end));
}

function joined(parts: Buffer[], limit: number): Buffer {
  const out = joinParts(parts);
  if (out.length > limit) throw new DecompressionLimitError('lz4', limit, `${out.length} bytes`);
  return out;
}

function corrupt(err: unknown): Error {
  if (err instanceof DecompressionLimitError || err instanceof CorruptCompressedDataError) {
    return err;
  }
  return new CorruptCompressedDataError(`lz4: ${(err as Error).message}`, { cause: err });
}

export const lz4Codec: CompressionCodec = {
  type: CompressionType.Lz4,
  name: 'lz4',
  compress: (input) => lz4.compressFrame(input),
  async decompress(input: Uint8Array, options?: DecompressOptions): Promise<Buffer> {
    const limit = outputLimit(options);
    const frames = framesWithin(input, limit);
    try {
      return joined(await Promise.all(frames.map((f) => lz4.decompressFrame(f))), limit);
    } catch (err) {
      throw corrupt(err);
    }
  },
  compressSync: (input) => lz4.compressFrameSync(asBuffer(input)),
  decompressSync(input: Uint8Array, options?: DecompressOptions): Buffer {
    const limit = outputLimit(options);
    const frames = framesWithin(input, limit);
    try {
      return joined(
        frames.map((f) => lz4.decompressFrameSync(f)),
        limit,
      );
    } catch (err) {
      throw corrupt(err);
    }
  },
};
