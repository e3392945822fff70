/**
 * Compaction's pace: passes start with one partition at a time; a pass that outlasts its
 * interval doubles the workers of the next (up to the maximum), one done within half the
 * interval halves them. The runner compacts that many partitions at once, and says so.
 */
import { describe, expect, it } from 'vitest';
import { CompactionPace } from '../../../../storage-node/src/lifecycle/compaction-pace.js';
import { CompactionRunner } from '../../../../storage-node/src/lifecycle/compaction-runner.js';
import type { CompactionSettings } from '../../../../storage-node/src/lifecycle/compaction-plan.js';
import type { PartitionLog } from '../../../../storage-node/src/partition/partition-log.js';
import { silentLog } from './lifecycle-harness.js';

const SETTINGS: CompactionSettings = { segmentBytes: 1 << 20, minEntries: 4, maxEntries: 64 };

describe('CompactionPace', () => {
  it('starts at one, doubles after passes longer than the interval, up to the maximum', () => {
    const pace = new CompactionPace(5, 1000);
    expect(pace.workers).toBe(1);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      pace.passed(1001);
      seen.push(pace.workers);
    }
    expect(seen).toEqual([2, 4, 5, 5]);
  });

  it('keeps its workers for a pass between half the interval and the interval', () => {
    const pace = new CompactionPace(8, 1000);
    pace.passed(2000);
    pace.passed(2000);
    for (const ms of [500, 750, 1000]) {
      pace.passed(ms);
      expect(pace.workers).toBe(4);
    }
  });

  it('halves its workers after a pass within half the interval, down to one', () => {
    const pace = new CompactionPace(8, 1000);
    for (let i = 0; i < 3; i++) pace.passed(5000);
    expect(pace.workers).toBe(8);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      pace.passed(499);
      seen.push(pace.workers);
    }
    expect(seen).toEqual([4, 2, 1, 1, 1]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a maximum of %s', (max) => {
    expect(() => new CompactionPace(max, 1000)).toThrow(/compaction concurrency .* got/);
  });
});

/**
 * An engine whose partitions each take `mergeMs` to find nothing to merge (no wait at 0),
 * counting how many it was asked about at once.
 */
function slowEngine(partitions: number) {
  const logs = Array.from(
    { length: partitions },
    (_, partition) => ({ topicId: 't', partition }) as unknown as PartitionLog,
  );
  const engine = {
    mergeMs: 20,
    running: 0,
    peak: 0,
    ownedLogs: () => logs,
    compact: async () => {
      engine.running++;
      engine.peak = Math.max(engine.peak, engine.running);
      if (engine.mergeMs > 0) await new Promise((resolve) => setTimeout(resolve, engine.mergeMs));
      engine.running--;
      return undefined;
    },
  };
  return engine;
}

describe('CompactionRunner', () => {
  it('compacts as many partitions at once as its pace says, and reports it', async () => {
    const engine = slowEngine(12);
    const reported: number[] = [];
    const runner = new CompactionRunner({
      engine,
      settings: SETTINGS,
      intervalMs: 40,
      concurrency: 4,
      log: silentLog,
      onWorkers: (w) => reported.push(w),
    });
    const peaks: number[] = [];
    // 12 partitions of 20 ms outlast the 40 ms interval at one, two and four at once.
    for (let i = 0; i < 4; i++) {
      engine.peak = 0;
      await runner.pass();
      peaks.push(engine.peak);
    }
    expect(peaks).toEqual([1, 2, 4, 4]);
    // Nothing slow left to do: passes end at once and the workers fall back.
    engine.mergeMs = 0;
    for (let i = 0; i < 3; i++) await runner.pass();
    expect(reported).toEqual([1, 2, 4, 4, 4, 2, 1]);
    await runner.stop();
  });
});
