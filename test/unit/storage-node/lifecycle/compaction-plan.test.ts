/** compactionWindow: which consecutive small entries of one epoch merge next. */
import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../../../lib/metadata/partition-records.js';
import { compactionWindow } from '../../../../storage-node/src/lifecycle/compaction-plan.js';

/** Entries of the given lengths (and epochs, default 1), 10 offsets each. */
function entries(lengths: number[], epochs: number[] = []): IndexEntry[] {
  return lengths.map((length, i) => ({
    baseOffset: BigInt(i * 10),
    lastOffset: BigInt(i * 10 + 9),
    objectKey: `data/n/${i}.kfs`,
    start: 0,
    length,
    maxTimestamp: 0n,
    epoch: epochs[i] ?? 1,
    batchCount: 1,
  }));
}

const settings = { segmentBytes: 1000, minEntries: 4, maxEntries: 100 };

describe('compactionWindow', () => {
  it('waits for minEntries small entries, then merges them', () => {
    expect(compactionWindow(entries([10, 10, 10]), settings)).toBeUndefined();
    expect(compactionWindow(entries([10, 10, 10, 10]), settings)).toEqual({ from: 0, to: 4 });
  });

  it('merges two entries that together hold half a segment', () => {
    expect(compactionWindow(entries([300, 250]), settings)).toEqual({ from: 0, to: 2 });
  });

  it('leaves full entries (half a segment or more) alone and looks past them', () => {
    expect(compactionWindow(entries([600, 10, 10, 10, 10]), settings)).toEqual({
      from: 1,
      to: 5,
    });
    expect(compactionWindow(entries([10, 10, 600, 10, 10]), settings)).toBeUndefined();
  });

  it('never merges across a leader epoch change', () => {
    expect(compactionWindow(entries([10, 10, 10, 10], [1, 1, 2, 2]), settings)).toBeUndefined();
    expect(
      compactionWindow(entries([10, 10, 10, 10, 10, 10], [1, 2, 2, 2, 2, 3]), settings),
    ).toEqual({ from: 1, to: 5 });
  });

  it('caps a window at segmentBytes and maxEntries', () => {
    expect(compactionWindow(entries([400, 400, 400]), settings)).toEqual({ from: 0, to: 2 });
    const many = entries(Array.from({ length: 150 }, () => 1));
    expect(compactionWindow(many, settings)).toEqual({ from: 0, to: 100 });
  });
});
