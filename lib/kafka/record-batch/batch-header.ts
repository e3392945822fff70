import { Reader } from '../protocol/reader.js';
import { RECORD_BATCH_OVERHEAD } from './batch-layout.js';

/** The 61-byte header of a RecordBatch v2, field by field. */
export interface RecordBatchHeader {
  readonly baseOffset: bigint;
  readonly batchLength: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  /** Unsigned. */
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/**
 * Reads the header of the batch starting at `at`. The caller has checked that 61 bytes
 * are there (the Reader throws KafkaDecodeError otherwise); nothing is validated here.
 */
export function readBatchHeader(buf: Uint8Array, at = 0): RecordBatchHeader {
  const r = new Reader(buf, at, at + RECORD_BATCH_OVERHEAD);
  return {
    baseOffset: r.int64(),
    batchLength: r.int32(),
    partitionLeaderEpoch: r.int32(),
    magic: r.int8(),
    crc: r.uint32(),
    attributes: r.int16(),
    lastOffsetDelta: r.int32(),
    baseTimestamp: r.int64(),
    maxTimestamp: r.int64(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    baseSequence: r.int32(),
    recordCount: r.int32(),
  };
}
