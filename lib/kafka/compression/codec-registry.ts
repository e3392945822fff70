import type { CompressionCodec } from './codec.js';
import { UnknownCompressionTypeError } from './compression-errors.js';
import { CompressionType, isCompressionType } from './compression-type.js';
import { gzipCodec } from './gzip-codec.js';
import { lz4Codec } from './lz4-codec.js';
import { noneCodec } from './none-codec.js';
import { snappyCodec } from './snappy-codec.js';
import { zstdCodec } from './zstd-codec.js';

const CODECS: Readonly<Record<CompressionType, CompressionCodec>> = {
  [CompressionType.None]: noneCodec,
  [CompressionType.Gzip]: gzipCodec,
  [CompressionType.Snappy]: snappyCodec,
  [CompressionType.Lz4]: lz4Codec,
  [CompressionType.Zstd]: zstdCodec,
};

/** The codec for a RecordBatch compression id; ids 5-7 throw UnknownCompressionTypeError. */
export function codecFor(id: number): CompressionCodec {
  if (!isCompressionType(id)) throw new UnknownCompressionTypeError(id);
  return CODECS[id];
}
