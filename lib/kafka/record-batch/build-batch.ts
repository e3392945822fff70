import { codecFor } from '../compression/codec-registry.js';
import { CompressionType } from '../compression/compression-type.js';
import { Writer } from '../protocol/writer.js';
import { TimestampType, encodeAttributes } from './batch-attributes.js';
import { writeBatchCrc } from './batch-crc.js';
import {
  LOG_OVERHEAD,
  MAGIC_V2,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  RECORD_BATCH_OVERHEAD,
} from './batch-layout.js';
import { encodeRecord, type RecordInput } from './record-codec.js';

/** Everything a batch is built from; omitted fields take the defaults noted. */
export interface BatchInput {
  readonly records: readonly RecordInput[];
  /** Default 0. */
  readonly baseOffset?: bigint;
  /** Default -1. */
  readonly partitionLeaderEpoch?: number;
  /** Default 0. */
  readonly baseTimestamp?: bigint;
  /** Default baseTimestamp + the largest timestampDelta (baseTimestamp if none). */
  readonly maxTimestamp?: bigint;
  /** Default the largest offsetDelta, or 0 for an empty batch. */
  readonly lastOffsetDelta?: number;
  /** Default -1 (no producer id). */
  readonly producerId?: bigint;
  /** Default -1. */
  readonly producerEpoch?: number;
  /** Default -1. */
  readonly baseSequence?: number;
  readonly isTransactional?: boolean;
  readonly isControl?: boolean;
  readonly hasDeleteHorizon?: boolean;
  /** Default CreateTime. */
  readonly timestampType?: TimestampType;
  /** Default none. */
  readonly compression?: CompressionType;
}

function encodeRecords(records: readonly RecordInput[]): Buffer {
  const w = new Writer(256);
  records.forEach((record, index) => {
    encodeRecord(w, record, index);
  });
  return w.toBuffer();
}

function assemble(input: BatchInput, body: Uint8Array): Buffer {
  const records = input.records;
  const baseTimestamp = input.baseTimestamp ?? 0n;
  let maxDelta = records.length === 0 ? 0n : BigInt(records[0]?.timestampDelta ?? 0);
  let lastOffsetDelta = 0;
  records.forEach((r, i) => {
    const delta = BigInt(r.timestampDelta ?? 0);
    if (delta > maxDelta) maxDelta = delta;
    lastOffsetDelta = Math.max(lastOffsetDelta, r.offsetDelta ?? i);
  });

  const w = new Writer(RECORD_BATCH_OVERHEAD);
  w.int64(input.baseOffset ?? 0n);
  w.int32(RECORD_BATCH_OVERHEAD - LOG_OVERHEAD + body.length);
  w.int32(input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH);
  w.int8(MAGIC_V2);
  w.uint32(0); // crc, filled in below
  w.int16(
    encodeAttributes({
      compression: input.compression ?? CompressionType.None,
      timestampType: input.timestampType ?? TimestampType.CreateTime,
      isTransactional: input.isTransactional ?? false,
      isControl: input.isControl ?? false,
      hasDeleteHorizon: input.hasDeleteHorizon ?? false,
    }),
  );
  w.int32(input.lastOffsetDelta ?? lastOffsetDelta);
  w.int64(baseTimestamp);
  w.int64(input.maxTimestamp ?? baseTimestamp + maxDelta);
  w.int64(input.producerId ?? NO_PRODUCER_ID);
  w.int16(input.producerEpoch ?? NO_PRODUCER_EPOCH);
  w.int32(input.baseSequence ?? NO_SEQUENCE);
  w.int32(records.length);
  const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + body.length);
  w.toBuffer().copy(out, 0);
  out.set(body, RECORD_BATCH_OVERHEAD);
  writeBatchCrc(out);
  return out;
}

/**
 * Builds one valid RecordBatch v2 (for tests and tools; the broker itself never re-encodes
 * client batches). Records are compressed as a whole with the codec named by `compression`.
 */
export async function buildRecordBatch(input: BatchInput): Promise<Buffer> {
  const plain = encodeRecords(input.records);
  const body = await codecFor(input.compression ?? CompressionType.None).compress(plain);
  return assemble(input, body);
}

export function buildRecordBatchSync(input: BatchInput): Buffer {
  const plain = encodeRecords(input.records);
  const body = codecFor(input.compression ?? CompressionType.None).compressSync(plain);
  return assemble(input, body);
}
