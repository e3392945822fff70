/**
 * Where a leader epoch of a partition ended, as Kafka's LeaderEpochFileCache answers
 * OffsetForLeaderEpoch: the epochs that wrote data start at the first offset of their
 * first index entry, and the current owner's epoch starts where its claim found the log
 * (it leads from there even before it writes). For the latest epoch the answer is the log
 * end offset; for an older one, the epoch found at or below it and the start of the next
 * one; for one before every known epoch, the start of the first; for one after all of
 * them, nothing (-1, -1).
 */
import type { IndexEntry } from '../../../lib/metadata/partition-records.js';

export interface EpochEndAnswer {
  readonly leaderEpoch: number;
  readonly endOffset: bigint;
}

const UNDEFINED: EpochEndAnswer = { leaderEpoch: -1, endOffset: -1n };

/** (epoch, start offset) pairs in epoch order. */
export function epochStarts(
  index: readonly IndexEntry[],
  currentEpoch: number,
  currentEpochStart: bigint,
): { epoch: number; start: bigint }[] {
  const starts: { epoch: number; start: bigint }[] = [];
  for (const e of index) {
    const last = starts.at(-1);
    if (last === undefined || e.epoch > last.epoch)
      starts.push({ epoch: e.epoch, start: e.baseOffset });
  }
  const last = starts.at(-1);
  if (last === undefined || currentEpoch > last.epoch)
    starts.push({ epoch: currentEpoch, start: currentEpochStart });
  return starts;
}

export function epochEnd(
  starts: readonly { epoch: number; start: bigint }[],
  requested: number,
  logEndOffset: bigint,
): EpochEndAnswer {
  if (requested < 0) return UNDEFINED;
  const latest = starts.at(-1);
  if (latest === undefined) return UNDEFINED;
  if (requested === latest.epoch) return { leaderEpoch: latest.epoch, endOffset: logEndOffset };
  const higherIndex = starts.findIndex((s) => s.epoch > requested);
  const higher = starts[higherIndex];
  if (higher === undefined) return UNDEFINED;
  const floor = higherIndex > 0 ? starts[higherIndex - 1] : undefined;
  return floor === undefined
    ? { leaderEpoch: requested, endOffset: higher.start }
    : { leaderEpoch: floor.epoch, endOffset: higher.start };
}
