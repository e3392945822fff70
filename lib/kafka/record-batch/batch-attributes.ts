/*
 * The int16 attributes of a v2 batch:
 *   bits 0-2  compression codec (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)
 *   bit  3    timestamp type (0 CreateTime, 1 LogAppendTime)
 *   bit  4    transactional
 *   bit  5    control batch
 *   bit  6    delete horizon set: baseTimestamp holds it (KIP-534, written by the cleaner)
 *   bits 7-15 unused, zero
 */

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_MASK = 0x10;
const CONTROL_MASK = 0x20;
const DELETE_HORIZON_MASK = 0x40;

export const TimestampType = { CreateTime: 0, LogAppendTime: 1 } as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

export interface BatchAttributes {
  /** The raw codec id, 0-7; ids above 4 are not valid codecs. */
  readonly compression: number;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly hasDeleteHorizon: boolean;
}

export function decodeAttributes(attributes: number): BatchAttributes {
  return {
    compression: attributes & COMPRESSION_MASK,
    timestampType:
      (attributes & TIMESTAMP_TYPE_MASK) !== 0
        ? TimestampType.LogAppendTime
        : TimestampType.CreateTime,
    isTransactional: (attributes & TRANSACTIONAL_MASK) !== 0,
    isControl: (attributes & CONTROL_MASK) !== 0,
    hasDeleteHorizon: (attributes & DELETE_HORIZON_MASK) !== 0,
  };
}

export function encodeAttributes(a: BatchAttributes): number {
  if (!Number.isInteger(a.compression) || a.compression < 0 || a.compression > COMPRESSION_MASK) {
    throw new RangeError(`compression id out of range: ${a.compression}`);
  }
  return (
    a.compression |
    (a.timestampType === TimestampType.LogAppendTime ? TIMESTAMP_TYPE_MASK : 0) |
    (a.isTransactional ? TRANSACTIONAL_MASK : 0) |
    (a.isControl ? CONTROL_MASK : 0) |
    (a.hasDeleteHorizon ? DELETE_HORIZON_MASK : 0)
  );
}
