import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { outputLimit, type CompressionCodec, type DecompressOptions } from './codec.js';
import { CorruptCompressedDataError, DecompressionLimitError } from './compression-errors.js';
import { CompressionType } from './compression-type.js';

/*
 * Kafka's gzip is a plain RFC 1952 stream (Java's GZIPOutputStream). Bounded: zlib stops
 * inflating at `maxOutputLength` and fails with ERR_BUFFER_TOO_LARGE, so a bomb never
 * allocates more than the cap. The async variants run in the libuv thread pool.
 */

const gzipAsync = promisify(zlib.gzip);
const gunzipAsync = promisify(zlib.gunzip);

function inflateOptions(limit: number): zlib.ZlibOptions {
  // zlib refuses maxOutputLength 0; a cap of 0 is enforced on the result instead.
  return { maxOutputLength: Math.max(1, limit) };
}

function checked(out: Buffer, limit: number): Buffer {
  if (out.length > limit) throw new DecompressionLimitError('gzip', limit, `${out.length} bytes`);
  return out;
}

function translate(err: unknown, limit: number): Error {
  if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
    return new DecompressionLimitError('gzip', limit, 'inflate stopped at the cap');
  }
  return new CorruptCompressedDataError(`gzip: ${(err as Error).message}`, { cause: err });
}

export const gzipCodec: CompressionCodec = {
  type: CompressionType.Gzip,
  name: 'gzip',
  compress: (input) => gzipAsync(input),
  async decompress(input: Uint8Array, options?: DecompressOptions): Promise<Buffer> {
    const limit = outputLimit(options);
    let out: Buffer;
    try {
      out = await gunzipAsync(input, inflateOptions(limit));
    } catch (err) {
      throw translate(err, limit);
    }
    return checked(out, limit);
  },
  compressSync: (input) => zlib.gzipSync(input),
  decompressSync(input: Uint8Array, options?: DecompressOptions): Buffer {
    const limit = outputLimit(options);
    let out: Buffer;
    try {
      out = zlib.gunzipSync(input, inflateOptions(limit));
    } catch (err) {
      throw translate(err, limit);
    }
    return checked(out, limit);
  },
};
