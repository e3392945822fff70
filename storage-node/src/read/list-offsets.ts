/**
 * ListOffsets for one partition (its owner's log, or another node's snapshot of its index):
 * earliest (-2), latest (-1), the record with the
 * largest timestamp (-3), or the first offset whose timestamp is at or after T. Timestamp
 * lookups narrow by the index's max timestamps, then by batch headers, and decode records
 * only in the one batch that holds the answer.
 */
import {
  decodeAttributes,
  TimestampType,
} from '../../../lib/kafka/record-batch/batch-attributes.js';
import { readBatchHeader } from '../../../lib/kafka/record-batch/batch-header.js';
import { readBatchRecords } from '../../../lib/kafka/record-batch/read-batch-records.js';
import type { IndexEntry } from '../../../lib/metadata/partition-records.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import { entryBatches } from './read-partition.js';
import type { RecentRuns } from './recent-runs.js';

export const EARLIEST = -2n;
export const LATEST = -1n;
export const MAX_TIMESTAMP = -3n;

export interface OffsetAnswer {
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly leaderEpoch: number;
}

const NOT_FOUND: OffsetAnswer = { offset: -1n, timestamp: -1n, leaderEpoch: -1 };

/**
 * Offset and timestamp of the first record in `batch` at or after `minOffset` whose
 * timestamp satisfies `match` (the records of a LogAppendTime batch all carry its max
 * timestamp).
 */
async function findRecord(
  batch: Uint8Array,
  minOffset: bigint,
  match: (ts: bigint) => boolean,
): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
  const header = readBatchHeader(batch);
  if (decodeAttributes(header.attributes).timestampType === TimestampType.LogAppendTime) {
    const first = header.baseOffset > minOffset ? header.baseOffset : minOffset;
    const last = header.baseOffset + BigInt(header.lastOffsetDelta);
    return match(header.maxTimestamp) && first <= last
      ? { offset: first, timestamp: header.maxTimestamp }
      : undefined;
  }
  for (const r of await readBatchRecords(batch)) {
    const offset = header.baseOffset + BigInt(r.offsetDelta);
    const ts = header.baseTimestamp + r.timestampDelta;
    if (offset >= minOffset && match(ts)) return { offset, timestamp: ts };
  }
  return undefined;
}

async function searchEntry(
  entry: IndexEntry,
  minOffset: bigint,
  objects: ObjectStore,
  recent: RecentRuns,
  batchMatches: (maxTimestamp: bigint) => boolean,
  recordMatches: (ts: bigint) => boolean,
): Promise<OffsetAnswer | undefined> {
  for (const batch of await entryBatches(entry, objects, recent)) {
    if (!batchMatches(readBatchHeader(batch).maxTimestamp)) continue;
    const found = await findRecord(batch, minOffset, recordMatches);
    if (found) return { ...found, leaderEpoch: entry.epoch };
  }
  return undefined;
}

/** What ListOffsets reads of a partition. */
export interface OffsetSource {
  readonly epoch: number;
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
  readonly index: readonly IndexEntry[];
}

export async function listOffset(
  log: OffsetSource,
  timestamp: bigint,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<OffsetAnswer> {
  const epochAt = log.epoch;
  if (timestamp === EARLIEST)
    return { offset: log.logStartOffset, timestamp: -1n, leaderEpoch: epochAt };
  if (timestamp === LATEST)
    return { offset: log.highWatermark, timestamp: -1n, leaderEpoch: epochAt };
  const live = log.index.filter((e) => e.lastOffset >= log.logStartOffset);
  if (timestamp === MAX_TIMESTAMP) {
    let best: IndexEntry | undefined;
    for (const e of live) if (best === undefined || e.maxTimestamp > best.maxTimestamp) best = e;
    if (best === undefined) return NOT_FOUND;
    const max = best.maxTimestamp;
    return (
      (await searchEntry(
        best,
        0n,
        objects,
        recent,
        (m) => m === max,
        (ts) => ts === max,
      )) ?? NOT_FOUND
    );
  }
  for (const e of live) {
    if (e.maxTimestamp < timestamp) continue;
    // As Kafka: the first record at or after the timestamp that is also at or after the
    // log start (DeleteRecords or retention may have moved it into the middle of a batch).
    const found = await searchEntry(
      e,
      log.logStartOffset,
      objects,
      recent,
      (m) => m >= timestamp,
      (ts) => ts >= timestamp,
    );
    if (found) return found;
  }
  return NOT_FOUND;
}
