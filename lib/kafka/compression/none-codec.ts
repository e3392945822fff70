import { asBuffer, outputLimit, type CompressionCodec, type DecompressOptions } from './codec.js';
import { DecompressionLimitError } from './compression-errors.js';
import { CompressionType } from './compression-type.js';

function passThrough(input: Uint8Array, options?: DecompressOptions): Buffer {
  const limit = outputLimit(options);
  if (input.length > limit) {
    throw new DecompressionLimitError('none', limit, `${input.length} bytes`);
  }
  return asBuffer(input);
}

/** Compression type 0: bytes pass through as views (no copy); the output cap still applies. */
export const noneCodec: CompressionCodec = {
  type: CompressionType.None,
  name: 'none',
  compress: (input) => Promise.resolve(asBuffer(input)),
  decompress: (input, options) => Promise.resolve().then(() => passThrough(input, options)),
  compressSync: asBuffer,
  decompressSync: passThrough,
};
