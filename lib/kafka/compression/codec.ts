import type { CompressionType } from './compression-type.js';

/** Default cap on the output of one decompression: 64 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface DecompressOptions {
  /**
   * Refuse to produce more than this many bytes (a {@link DecompressionLimitError}).
   * Defaults to {@link DEFAULT_MAX_DECOMPRESSED_BYTES}.
   */
  readonly maxOutputBytes?: number;
}

/**
 * One Kafka compression codec. The async methods run off the event loop where the library
 * allows it; the sync ones run inline. Every decompression is bounded by `maxOutputBytes`;
 * each codec file says how.
 */
export interface CompressionCodec {
  readonly type: CompressionType;
  readonly name: string;
  compress(input: Uint8Array): Promise<Buffer>;
  decompress(input: Uint8Array, options?: DecompressOptions): Promise<Buffer>;
  compressSync(input: Uint8Array): Buffer;
  decompressSync(input: Uint8Array, options?: DecompressOptions): Buffer;
}

export function outputLimit(options: DecompressOptions | undefined): number {
  const limit = options?.maxOutputBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`maxOutputBytes must be a non-negative integer, got ${limit}`);
  }
  return limit;
}

/** A Buffer view over any Uint8Array, without copying. */
export function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input)
    ? input
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** The single part itself (no copy) when there is exactly one, else the parts concatenated. */
export function joinParts(parts: readonly Buffer[], totalLength?: number): Buffer {
  const [only] = parts;
  return parts.length === 1 && only !== undefined ? only : Buffer.concat(parts, totalLength);
}
