import { describe, expect, it } from 'vitest';
import { FlushPacing } from '../../../../storage-node/src/flush/flush-pacing.js';

const bounds = { minMs: 2, maxMs: 20, slots: 4 };

describe('flush pacing', () => {
  it('waits the longest until a flush has been measured', () => {
    expect(new FlushPacing(bounds).waitMs()).toBe(20);
  });

  it('spreads the flushes in flight over one flush latency, within the bounds', () => {
    const mid = new FlushPacing(bounds);
    mid.flushed(40);
    expect(mid.waitMs()).toBe(10); // 40 ms over 4 slots
    const fast = new FlushPacing(bounds);
    fast.flushed(3);
    expect(fast.waitMs()).toBe(2); // 0.75 ms, raised to the shortest wait
    const slow = new FlushPacing(bounds);
    slow.flushed(400);
    expect(slow.waitMs()).toBe(20); // 100 ms, cut to the longest wait
  });

  it('follows a moving average, so one slow flush moves it only part of the way', () => {
    const p = new FlushPacing(bounds);
    for (let i = 0; i < 20; i++) p.flushed(16);
    expect(p.waitMs()).toBeCloseTo(4, 6);
    p.flushed(56);
    expect(p.waitMs()).toBeCloseTo(6, 6); // (16 + 0.2 x 40) / 4
    for (let i = 0; i < 40; i++) p.flushed(56);
    expect(p.waitMs()).toBeCloseTo(14, 1);
  });

  it('is fixed when both bounds are equal', () => {
    const p = new FlushPacing({ minMs: 20, maxMs: 20, slots: 4 });
    p.flushed(1);
    expect(p.waitMs()).toBe(20);
    p.flushed(10_000);
    expect(p.waitMs()).toBe(20);
  });

  it('ignores durations that are not a time', () => {
    const p = new FlushPacing(bounds);
    p.flushed(40);
    p.flushed(Number.NaN);
    p.flushed(-5);
    p.flushed(Number.POSITIVE_INFINITY);
    expect(p.waitMs()).toBe(10);
  });

  it('refuses bounds that contradict each other, naming them', () => {
    expect(() => new FlushPacing({ minMs: 30, maxMs: 20, slots: 4 })).toThrow(
      'min 30 ms and max 20 ms',
    );
    expect(() => new FlushPacing({ minMs: 0, maxMs: 20, slots: 4 })).toThrow(RangeError);
    expect(() => new FlushPacing({ minMs: 2, maxMs: 20, slots: 0 })).toThrow(
      'flush slots must be at least 1, got 0',
    );
  });
});
