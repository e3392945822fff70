import snappy from 'snappy';
import { joinParts, outputLimit, type CompressionCodec, type DecompressOptions } from './codec.js';
import { CorruptCompressedDataError, DecompressionLimitError } from './compression-errors.js';
import { CompressionType } from './compression-type.js';
import { snappyDeclaredLength } from './snappy-length.js';
import { isXerialFramed, xerialBlocks, xerialChunks, xerialFrame } from './snappy-xerial.js';

/*
 * Snappy as Kafka carries it. Compression writes the xerial framing, like the Java
 * client; decompression accepts xerial framing or one raw snappy block (librdkafka and
 * some other clients send raw blocks). Bounded: every raw block declares its uncompressed
 * length up front and the decoder allocates exactly that, so the sum of the declared
 * lengths is checked against the cap before any block is decoded.
 */

function blocksOf(input: Uint8Array): Uint8Array[] {
  return isXerialFramed(input) ? xerialBlocks(input) : [input];
}

function checkDeclared(blocks: readonly Uint8Array[], limit: number): number[] {
  let total = 0;
  const sizes = blocks.map((block) => {
    const n = snappyDeclaredLength(block);
    total += n;
    return n;
  });
  if (total > limit) {
    throw new DecompressionLimitError('snappy', limit, `blocks declare ${total} bytes`);
  }
  return sizes;
}

function asPlainBuffer(out: string | Buffer, expected: number): Buffer {
  if (typeof out === 'string' || out.length !== expected) {
    throw new CorruptCompressedDataError('snappy: block decoded to an unexpected length');
  }
  return out;
}

function corrupt(err: unknown): Error {
  if (err instanceof CorruptCompressedDataError) return err;
  return new CorruptCompressedDataError(`snappy: ${(err as Error).message}`, { cause: err });
}

export const snappyCodec: CompressionCodec = {
  type: CompressionType.Snappy,
  name: 'snappy',
  async compress(input: Uint8Array): Promise<Buffer> {
    const blocks = await Promise.all(xerialChunks(input).map((c) => snappy.compress(c)));
    return xerialFrame(blocks);
  },
  async decompress(input: Uint8Array, options?: DecompressOptions): Promise<Buffer> {
    const limit = outputLimit(options);
    const blocks = blocksOf(input);
    const sizes = checkDeclared(blocks, limit);
    try {
      const parts = await Promise.all(
        blocks.map(async (b, i) =>
          asPlainBuffer(await snappy.uncompress(b, { asBuffer: true }), sizes[i] ?? -1),
        ),
      );
      return joinParts(parts);
    } catch (err) {
      throw corrupt(err);
    }
  },
  compressSync(input: Uint8Array): Buffer {
    return xerialFrame(xerialChunks(input).map((c) => snappy.compressSync(c)));
  },
  decompressSync(input: Uint8Array, options?: DecompressOptions): Buffer {
    const limit = outputLimit(options);
    const blocks = blocksOf(input);
    const sizes = checkDeclared(blocks, limit);
    try {
      const parts = blocks.map((b, i) =>
        asPlainBuffer(snappy.uncompressSync(b, { asBuffer: true }), sizes[i] ?? -1),
      );
      return joinParts(parts);
    } catch (err) {
      throw corrupt(err);
    }
  },
};
