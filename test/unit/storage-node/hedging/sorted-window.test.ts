import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedWindow } from '../../../../storage-node/src/hedging/sorted-window.js';
import { HedgePolicy } from '../../../../storage-node/src/hedging/hedge-policy.js';

/** The same quantile computed the slow way: sort the last `capacity` values. */
function naive(values: readonly number[], capacity: number, q: number): number | undefined {
  const last = values
    .filter((v) => Number.isFinite(v))
    .map((v) => (v === 0 ? 0 : v)) // -0 counts as 0
    .slice(-capacity);
  if (last.length === 0) return undefined;
  const sorted = [...last].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

describe('SortedWindow', () => {
  it('gives the quantile of the last `capacity` values, as sorting them would', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ noNaN: false })), {
          maxLength: 300,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (capacity, values, q) => {
          const w = new SortedWindow(capacity);
          values.forEach((v, i) => {
            w.record(v);
            const seen = values.slice(0, i + 1);
            expect(w.quantile(q)).toBe(naive(seen, capacity, q));
            expect(w.size).toBe(Math.min(capacity, seen.filter(Number.isFinite).length));
          });
        },
      ),
    );
  });

  it('evicts a 0 and a -0 as the same value (fast-check found -0 kept in place of 0)', () => {
    const w = new SortedWindow(2);
    for (const v of [-0, 0, 5]) w.record(v); // the -0 leaves, the 0 stays
    expect(Object.is(w.quantile(0), 0)).toBe(true);
    expect(w.quantile(0.9)).toBe(5);
  });

  it('is empty until a finite value comes, and refuses a capacity below 1', () => {
    const w = new SortedWindow(3);
    expect(w.quantile(0.5)).toBeUndefined();
    w.record(Number.NaN);
    w.record(Infinity);
    expect(w.size).toBe(0);
    expect(() => new SortedWindow(0)).toThrow(/positive integer, not 0/);
    expect(() => new SortedWindow(2.5)).toThrow(/not 2.5/);
  });
});

describe('HedgePolicy', () => {
  it('hedges after the 95th percentile of the last 256 durations, once it has 50', () => {
    const policy = new HedgePolicy();
    for (let i = 0; i < 49; i++) policy.record(i);
    expect(policy.starting()).toBeUndefined();
    // 1,000 durations 0..999: the window holds 744..999, whose 95th percentile is at rank
    // floor(0.95 * 256) = 243, the value 987.
    for (let i = 49; i < 1000; i++) policy.record(i);
    for (let i = 0; i < 20; i++) policy.starting(); // fills the budget (5 % per request)
    expect(policy.delayMs()).toBe(987);
    policy.hedged();
    expect(policy.delayMs()).toBeUndefined(); // the budget is spent
  });
});
