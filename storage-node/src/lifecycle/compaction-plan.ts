/**
 * Which index entries of a partition to merge into one segment object next (docs/storage.md,
 * "Compaction"). Entries of at least half the segment size count as full and are left alone;
 * a window is a run of consecutive smaller entries of one leader epoch (epoch boundaries are
 * kept for OffsetForLeaderEpoch) of at most `segmentBytes` and `maxEntries`, and it is worth
 * merging when it holds `minEntries` entries or half a segment's bytes. Small segments merge
 * with each other the same way, so a partition's entry count stays near
 * `minEntries` x log_minEntries(bytes / flush size) plus one per full segment, whatever its age.
 */
import type { IndexEntry } from '../../../lib/metadata/partition-records.js';

export interface CompactionSettings {
  /** Target size of a segment object. */
  readonly segmentBytes: number;
  /** Entries a window needs before it is merged (unless it already holds half a segment). */
  readonly minEntries: number;
  /** The most entries one merge replaces (bounds a merge's GETs and its etcd events). */
  readonly maxEntries: number;
}

/** [from, to) of the first window worth merging, or undefined. */
export function compactionWindow(
  index: readonly IndexEntry[],
  s: CompactionSettings,
): { from: number; to: number } | undefined {
  const full = (e: IndexEntry) => e.length >= s.segmentBytes / 2;
  let i = 0;
  while (i < index.length) {
    const first = index[i];
    if (first === undefined || full(first)) {
      i++;
      continue;
    }
    let j = i;
    let bytes = 0;
    for (;;) {
      const e = index[j];
      if (e === undefined || full(e) || e.epoch !== first.epoch) break;
      if (bytes + e.length > s.segmentBytes || j - i >= s.maxEntries) break;
      bytes += e.length;
      j++;
    }
    const count = j - i;
    if (count >= 2 && (count >= s.minEntries || bytes >= s.segmentBytes / 2)) {
      return { from: i, to: j };
    }
    i = Math.max(j, i + 1);
  }
  return undefined;
}
