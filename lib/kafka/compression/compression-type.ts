/**
 * Codec ids as carried in bits 0-2 of a RecordBatch's attributes. Ids 5-7 are unassigned:
 * Kafka refuses them.
 */
export const CompressionType = {
  None: 0,
  Gzip: 1,
  Snappy: 2,
  Lz4: 3,
  Zstd: 4,
} as const;

export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

export const COMPRESSION_NAMES: Readonly<Record<CompressionType, string>> = {
  0: 'none',
  1: 'gzip',
  2: 'snappy',
  3: 'lz4',
  4: 'zstd',
};

export function isCompressionType(id: number): id is CompressionType {
  return Number.isInteger(id) && id >= 0 && id <= 4;
}
