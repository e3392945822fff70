import { describe, expect, it } from 'vitest';
import { SlidingRate } from '../../../../lib/metrics/sliding-rate.js';

/** A clock the test moves by hand, starting mid-second so bucket edges are crossed. */
function manualClock(startMs = 1_000_000_400) {
  let now = startMs;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/**
 * The oldest second counts for the part of it the window covers, as if its events were
 * evenly spread; events fed in steps of 100 ms are that only to within one step's events.
 */
function expectNear(actual: number, expected: number, perSecond: number, window: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(perSecond / 10 / window + 1e-6);
}

/** `perSecond` events a second for `seconds`, in ten even steps a second. */
function feed(
  rate: SlidingRate,
  clock: ReturnType<typeof manualClock>,
  perSecond: number,
  seconds: number,
) {
  for (let step = 0; step < seconds * 10; step++) {
    clock.advance(100);
    rate.add(perSecond / 10);
  }
}

describe('SlidingRate', () => {
  it('reports a steady rate once the window has filled', () => {
    const clock = manualClock();
    const rate = new SlidingRate(5, clock.now);
    feed(rate, clock, 500, 12);
    expectNear(rate.perSecond(), 500, 500, 5);
    clock.advance(500);
    expectNear(rate.perSecond(), 450, 500, 5); // half a second of the window without events
  });

  it('divides by the time since start, not the whole window, until the window has filled', () => {
    const clock = manualClock();
    const rate = new SlidingRate(60, clock.now);
    feed(rate, clock, 200, 3);
    expect(rate.perSecond()).toBeCloseTo(200, 6);
    clock.advance(1000);
    expect(rate.perSecond()).toBeCloseTo(150, 6); // 600 events over 4 s
  });

  it('follows a change of rate within one window', () => {
    const clock = manualClock();
    const rate = new SlidingRate(5, clock.now);
    feed(rate, clock, 100, 10);
    feed(rate, clock, 300, 2);
    expectNear(rate.perSecond(), (3 * 100 + 2 * 300) / 5, 100, 5);
    feed(rate, clock, 300, 5);
    expectNear(rate.perSecond(), 300, 300, 5);
  });

  it('counts only the covered part of the oldest second', () => {
    const clock = manualClock(2_000_000_000);
    const rate = new SlidingRate(2, clock.now);
    clock.advance(3000);
    rate.add(100); // second 3 of the run
    clock.advance(1000);
    rate.add(100); // second 4
    clock.advance(1250); // now 5.25 s: the window runs from 3.25 s
    expect(rate.perSecond()).toBeCloseTo((100 * 0.75 + 100) / 2, 6);
  });

  it('falls to zero once events stop for a whole window', () => {
    const clock = manualClock();
    const rate = new SlidingRate(3, clock.now);
    feed(rate, clock, 1000, 5);
    clock.advance(4000);
    expect(rate.perSecond()).toBe(0);
  });

  it('reports zero at its start and with no events', () => {
    const clock = manualClock();
    const rate = new SlidingRate(10, clock.now);
    expect(rate.perSecond()).toBe(0);
    clock.advance(30_000);
    expect(rate.perSecond()).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a window of %s seconds', (w) => {
    expect(() => new SlidingRate(w)).toThrow(RangeError);
  });
});
