/**
 * Where retention moves a partition's log start, as Kafka's log retention decides which
 * segments to delete, with index entries (one committed run each) in the role of segments:
 * from the oldest, an entry goes while its max timestamp is more than retention.ms old, or
 * while the bytes kept without it still reach retention.bytes; the first entry that stays
 * stops the deletion. Kafka deletes an expired active segment too (it rolls it first), so
 * every entry may go, and the log start then becomes the high watermark.
 */
import type { IndexEntry } from '../../../lib/metadata/partition-records.js';
import type { TopicRetention } from '../../../lib/metadata/topic-retention.js';

export interface RetainedLog {
  /** Committed entries in offset order (entries wholly below the log start already gone). */
  readonly index: readonly IndexEntry[];
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
}

/** The new log start offset, or undefined when retention deletes nothing now. */
export function retentionStart(
  log: RetainedLog,
  retention: TopicRetention,
  nowMs: bigint,
): bigint | undefined {
  if (!retention.deletes) return undefined;
  const live = log.index.filter((e) => e.lastOffset >= log.logStartOffset);
  let excessBytes =
    retention.retentionBytes === undefined
      ? undefined
      : live.reduce((n, e) => n + BigInt(e.length), 0n) - retention.retentionBytes;
  let deleted = 0;
  for (const entry of live) {
    const expired =
      retention.retentionMs !== undefined && nowMs - entry.maxTimestamp > retention.retentionMs;
    const oversize = excessBytes !== undefined && excessBytes - BigInt(entry.length) >= 0n;
    if (!expired && !oversize) break;
    if (excessBytes !== undefined) excessBytes -= BigInt(entry.length);
    deleted++;
  }
  if (deleted === 0) return undefined;
  const next = live[deleted];
  const start = next === undefined ? log.highWatermark : next.baseOffset;
  return start > log.logStartOffset ? start : undefined;
}
