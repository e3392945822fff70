/**
 * The number of records in a `records` field, from each RecordBatch v2 header's
 * records_count (compressed batches are not opened). For metrics on the hot path: nothing is
 * validated (no CRC), and the walk stops quietly at anything it cannot read as a whole v2
 * batch (a truncated tail, an older format, a corrupt length), counting what came before.
 */
import {
  BATCH_LENGTH_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  MIN_BATCH_LENGTH,
  RECORD_BATCH_OVERHEAD,
  RECORD_COUNT_OFFSET,
} from './batch-layout.js';

export function countRecords(records: Uint8Array | null): number {
  if (records === null) return 0;
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  let count = 0;
  for (let at = 0; at + RECORD_BATCH_OVERHEAD <= records.length;) {
    const batchLength = view.getInt32(at + BATCH_LENGTH_OFFSET);
    const size = LOG_OVERHEAD + batchLength;
    if (batchLength < MIN_BATCH_LENGTH || at + size > records.length) break;
    if (view.getInt8(at + MAGIC_OFFSET) !== MAGIC_V2) break;
    count += Math.max(0, view.getInt32(at + RECORD_COUNT_OFFSET));
    at += size;
  }
  return count;
}
