import { computeBatchCrc } from './batch-crc.js';
import {
  BatchTooLargeError,
  CorruptBatchError,
  CrcMismatchError,
  UnsupportedMagicError,
} from './batch-errors.js';
import { readBatchHeader, type RecordBatchHeader } from './batch-header.js';
import {
  BATCH_LENGTH_OFFSET,
  HEADER_SIZE_UP_TO_MAGIC,
  LEGACY_RECORD_OVERHEAD_V0,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  MIN_BATCH_LENGTH,
} from './batch-layout.js';

export interface WalkOptions {
  /**
   * Stop quietly at an incomplete last batch instead of refusing it. A Fetch response may
   * end with a partial batch (cut by max bytes): consumers set this; produce paths do not.
   */
  readonly allowTruncatedTail?: boolean;
  /** Verify each batch's CRC-32C (default true). */
  readonly verifyCrc?: boolean;
  /** Refuse any batch larger than this many bytes in total (BatchTooLargeError). */
  readonly maxBatchBytes?: number;
}

/** One batch found by the walk: a view into the input (no copy) and its parsed header. */
export interface BatchView {
  /** Exactly the batch's bytes; shares the input's ArrayBuffer. */
  readonly view: Buffer;
  /** Where the batch starts in the walked input. */
  readonly position: number;
  readonly header: RecordBatchHeader;
}

export interface WalkResult {
  readonly batches: BatchView[];
  /** Bytes of an incomplete last batch left unread (only with allowTruncatedTail). */
  readonly truncatedBytes: number;
}

/**
 * Walks a `records` field: batches laid end to end. Checks, in the order Kafka's
 * ByteBufferLogInputStream and DefaultRecordBatch.ensureValid do: a size below any
 * format's minimum (corrupt), the magic byte (0 and 1 refused as unsupported, anything
 * else but 2 corrupt), a v2 batchLength below 49 (corrupt), the size cap, the batch
 * fitting in the input (else truncated), then the CRC. Record counts and offset deltas
 * are not checked here: compaction legitimately leaves batches whose count is below
 * lastOffsetDelta + 1, even empty ones; see validate-produce-records.ts for the produce
 * side's stricter checks.
 */
export function walkBatches(records: Uint8Array, options: WalkOptions = {}): WalkResult {
  const input = Buffer.isBuffer(records)
    ? records
    : Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const verifyCrc = options.verifyCrc ?? true;
  const batches: BatchView[] = [];
  let at = 0;

  const truncated = (what: string): WalkResult => {
    if (options.allowTruncatedTail === true) return { batches, truncatedBytes: input.length - at };
    throw new CorruptBatchError(
      `truncated record batch at byte ${at}: ${what}, ${input.length - at} bytes remain`,
    );
  };

  while (at < input.length) {
    const remaining = input.length - at;
    if (remaining < LOG_OVERHEAD) return truncated('incomplete size field');
    const batchLength = input.readInt32BE(at + BATCH_LENGTH_OFFSET);
    if (batchLength < LEGACY_RECORD_OVERHEAD_V0) {
      throw new CorruptBatchError(
        `record batch at byte ${at} declares length ${batchLength}, below the minimum ${LEGACY_RECORD_OVERHEAD_V0}`,
      );
    }
    if (remaining < HEADER_SIZE_UP_TO_MAGIC) return truncated('incomplete header');
    const magic = input.readInt8(at + MAGIC_OFFSET);
    if (magic === 0 || magic === 1) throw new UnsupportedMagicError(magic, at);
    if (magic !== MAGIC_V2) {
      throw new CorruptBatchError(`invalid magic ${magic} in record batch at byte ${at}`);
    }
    if (batchLength < MIN_BATCH_LENGTH) {
      throw new CorruptBatchError(
        `record batch at byte ${at} is corrupt: size ${LOG_OVERHEAD + batchLength} is below the minimum ${LOG_OVERHEAD + MIN_BATCH_LENGTH}`,
      );
    }
    const size = LOG_OVERHEAD + batchLength;
    if (options.maxBatchBytes !== undefined && size > options.maxBatchBytes) {
      throw new BatchTooLargeError(
        `record batch at byte ${at} is ${size} bytes, above the limit of ${options.maxBatchBytes}`,
      );
    }
    if (remaining < size) return truncated(`batch of ${size} bytes`);
    const view = input.subarray(at, at + size);
    const header = readBatchHeader(view);
    if (verifyCrc) {
      const computed = computeBatchCrc(view);
      if (computed !== header.crc) throw new CrcMismatchError(header.crc, computed, at);
    }
    batches.push({ view, position: at, header });
    at += size;
  }
  return { batches, truncatedBytes: 0 };
}
