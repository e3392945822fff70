import type { DecompressOptions } from '../compression/codec.js';
import { codecFor } from '../compression/codec-registry.js';
import { KafkaDecodeError } from '../protocol/decode-error.js';
import { Reader } from '../protocol/reader.js';
import { decodeAttributes } from './batch-attributes.js';
import { CorruptBatchError, InvalidRecordError } from './batch-errors.js';
import { readBatchHeader, type RecordBatchHeader } from './batch-header.js';
import { LOG_OVERHEAD, RECORD_BATCH_OVERHEAD } from './batch-layout.js';
import { decodeRecord, type DecodedRecord } from './record-codec.js';

export type ReadRecordsOptions = DecompressOptions;

interface Prepared {
  readonly header: RecordBatchHeader;
  readonly compression: number;
  readonly body: Buffer;
}

function prepare(view: Uint8Array): Prepared | null {
  if (view.length < RECORD_BATCH_OVERHEAD) {
    throw new CorruptBatchError(`record batch of ${view.length} bytes is shorter than its header`);
  }
  const header = readBatchHeader(view);
  const end = LOG_OVERHEAD + header.batchLength;
  if (end < RECORD_BATCH_OVERHEAD || end > view.length) {
    throw new CorruptBatchError(`record batch length ${header.batchLength} does not fit its view`);
  }
  if (header.recordCount < 0) {
    throw new InvalidRecordError(`found invalid record count ${header.recordCount}`);
  }
  // Like Kafka, a batch that declares no records yields none, whatever its body holds.
  if (header.recordCount === 0) return null;
  const buf = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  return {
    header,
    compression: decodeAttributes(header.attributes).compression,
    body: buf.subarray(RECORD_BATCH_OVERHEAD, end),
  };
}

function decodeAll(plain: Buffer, count: number): DecodedRecord[] {
  const r = new Reader(plain);
  const out: DecodedRecord[] = [];
  try {
    for (let i = 0; i < count; i++) out.push(decodeRecord(r));
  } catch (err) {
    if (err instanceof KafkaDecodeError) {
      throw new InvalidRecordError(
        `record ${out.length} of ${count} is malformed: ${err.message}`,
        { cause: err },
      );
    }
    throw err;
  }
  if (r.remaining() !== 0) {
    throw new InvalidRecordError(
      `${r.remaining()} bytes remain after the ${count} records the batch declares`,
    );
  }
  return out;
}

/**
 * Decodes the records of one batch view (header fields are not validated here beyond
 * what decoding needs; walk the input first). Compressed bodies are decompressed within
 * `maxOutputBytes`; uncompressed records come back as views into the batch.
 */
export async function readBatchRecords(
  view: Uint8Array,
  options?: ReadRecordsOptions,
): Promise<DecodedRecord[]> {
  const p = prepare(view);
  if (p === null) return [];
  const plain = await codecFor(p.compression).decompress(p.body, options);
  return decodeAll(plain, p.header.recordCount);
}

export function readBatchRecordsSync(
  view: Uint8Array,
  options?: ReadRecordsOptions,
): DecodedRecord[] {
  const p = prepare(view);
  if (p === null) return [];
  const plain = codecFor(p.compression).decompressSync(p.body, options);
  return decodeAll(plain, p.header.recordCount);
}
