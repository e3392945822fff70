/**
 * retentionStart: Kafka's retention decisions over index entries (one run each): time by
 * the run's max timestamp, size by the bytes kept, the first run that stays stops it, and an
 * expired last run moves the start to the high watermark.
 */
import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../../../lib/metadata/partition-records.js';
import { topicRetention } from '../../../../lib/metadata/topic-retention.js';
import { retentionStart } from '../../../../storage-node/src/lifecycle/retention-start.js';

/** Runs of 10 records and 100 bytes each; run i holds offsets 10i..10i+9, max timestamp ts[i]. */
function log(timestamps: number[], logStartOffset = 0n) {
  const index: IndexEntry[] = timestamps.map((ts, i) => ({
    baseOffset: BigInt(i * 10),
    lastOffset: BigInt(i * 10 + 9),
    objectKey: `data/n/${i}.kfs`,
    start: 0,
    length: 100,
    maxTimestamp: BigInt(ts),
    epoch: 1,
    batchCount: 1,
  }));
  return { index, logStartOffset, highWatermark: BigInt(timestamps.length * 10) };
}

const NOW = 1_000_000n;

describe('retentionStart', () => {
  it('deletes the runs older than retention.ms, stopping at the first one that stays', () => {
    const retention = topicRetention({ 'retention.ms': '1000' });
    // Runs 0 and 1 are expired; 2 is not; 3 is expired again but follows one that stays.
    expect(retentionStart(log([998_000, 998_999, 999_500, 990_000]), retention, NOW)).toBe(20n);
  });

  it('keeps a run exactly retention.ms old (Kafka deletes only past it)', () => {
    const retention = topicRetention({ 'retention.ms': '1000' });
    expect(retentionStart(log([999_000]), retention, NOW)).toBeUndefined();
    expect(retentionStart(log([998_999]), retention, NOW)).toBe(10n);
  });

  it('moves the start to the high watermark when every run has expired', () => {
    expect(retentionStart(log([1, 2, 3]), topicRetention({ 'retention.ms': '0' }), NOW)).toBe(30n);
  });

  it('deletes the oldest runs while the rest still hold retention.bytes', () => {
    const fresh = [NOW, NOW, NOW, NOW, NOW].map(Number);
    expect(retentionStart(log(fresh), topicRetention({ 'retention.bytes': '250' }), NOW)).toBe(20n);
    expect(retentionStart(log(fresh), topicRetention({ 'retention.bytes': '300' }), NOW)).toBe(20n);
    expect(
      retentionStart(log(fresh), topicRetention({ 'retention.bytes': '500' }), NOW),
    ).toBeUndefined();
  });

  it('applies both limits: a run goes if either says so', () => {
    const retention = topicRetention({ 'retention.ms': '1000', 'retention.bytes': '200' });
    expect(retentionStart(log([1, Number(NOW), Number(NOW), Number(NOW)]), retention, NOW)).toBe(
      20n,
    );
  });

  it('deletes nothing for cleanup.policy=compact, -1 limits, or the 7-day default', () => {
    const old = log([1, 2]);
    expect(
      retentionStart(
        old,
        topicRetention({ 'cleanup.policy': 'compact', 'retention.ms': '0' }),
        NOW,
      ),
    ).toBeUndefined();
    expect(
      retentionStart(
        old,
        topicRetention({ 'cleanup.policy': 'compact,delete', 'retention.ms': '0' }),
        NOW,
      ),
    ).toBe(20n);
    expect(
      retentionStart(old, topicRetention({ 'retention.ms': '-1', 'retention.bytes': '-1' }), NOW),
    ).toBeUndefined();
    expect(retentionStart(old, topicRetention({}), NOW)).toBeUndefined();
    expect(retentionStart(old, topicRetention({}), 604_800_003n)).toBe(20n);
  });

  it('never moves the start backwards past a DeleteRecords start inside a run', () => {
    const retention = topicRetention({ 'retention.ms': '1000' });
    // The start is at 15 (inside run 1); run 0 is gone already; run 1 is not expired.
    const l = log([1, Number(NOW), Number(NOW)], 15n);
    expect(retentionStart(l, retention, NOW)).toBeUndefined();
  });
});
