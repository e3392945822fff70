/**
 * The quota rate window and the throttle time, at given times: Kafka's arithmetic with its
 * defaults (11 windows of 1 s).
 */
import { describe, expect, it } from 'vitest';
import { SampledRate } from '../../../../edge/src/quota/sampled-rate.js';
import { throttleTimeMs } from '../../../../edge/src/quota/throttle-time.js';

describe('SampledRate', () => {
  it('measures a young rate over at least samples - 1 windows', () => {
    const r = new SampledRate(11, 1000);
    r.record(10_000, 0);
    expect(r.windowSizeMs(0)).toBe(10_000);
    expect(r.perSecond(0)).toBe(1000);
    // 2.5 s in: two full windows and a half, padded up to ten windows.
    expect(r.windowSizeMs(2500)).toBe(10_500);
  });

  it('measures a steady rate over the windows it remembers', () => {
    const r = new SampledRate(11, 1000);
    for (let t = 0; t < 30_000; t += 100) r.record(100, t); // 1,000 per second
    const now = 29_950;
    expect(r.windowSizeMs(now)).toBeGreaterThanOrEqual(10_000);
    expect(r.windowSizeMs(now)).toBeLessThanOrEqual(11_000);
    expect(r.perSecond(now)).toBeCloseTo(1000, -1);
  });

  it('forgets windows older than samples × window', () => {
    const r = new SampledRate(3, 1000);
    r.record(3000, 0);
    expect(r.idle(2999)).toBe(false);
    expect(r.perSecond(2999)).toBeCloseTo(1000.3, 1);
    expect(r.idle(3000)).toBe(true);
    expect(r.perSecond(3000)).toBe(0);
  });

  it('takes a value back with a negative record', () => {
    const r = new SampledRate(11, 1000);
    r.record(500, 0);
    r.record(-500, 10);
    expect(r.perSecond(10)).toBe(0);
  });

  it('refuses a window it cannot measure over', () => {
    expect(() => new SampledRate(1, 1000)).toThrow(RangeError);
    expect(() => new SampledRate(11, 0)).toThrow(RangeError);
  });
});

describe('throttleTimeMs', () => {
  it('is the time for the rate to fall back to the bound', () => {
    // 1.5× the bound over a 10 s window: 5 s of silence brings it back.
    expect(throttleTimeMs(1500, 1000, 10_000)).toBe(5000);
    expect(throttleTimeMs(1001, 1000, 10_000)).toBe(10);
    expect(throttleTimeMs(100_000, 1000, 10_500)).toBe(1_039_500);
  });

  it('is 0 within the bound', () => {
    expect(throttleTimeMs(1000, 1000, 10_000)).toBe(0);
    expect(throttleTimeMs(999, 1000, 10_000)).toBe(0);
  });

  it('holds a client that sends whenever allowed to the bound', () => {
    // A client that sends 64 KiB requests back to back, waiting each throttle out.
    const r = new SampledRate(11, 1000);
    const bound = 256 * 1024;
    let t = 0;
    let sent = 0;
    while (t < 60_000) {
      r.record(65_536, t);
      sent += 65_536;
      t += Math.max(1, throttleTimeMs(r.perSecond(t), bound, r.windowSizeMs(t)));
    }
    const rate = sent / (t / 1000);
    // The first windows allow a burst of up to ten windows' worth, as in Kafka.
    expect(rate).toBeGreaterThan(bound * 0.95);
    expect(rate).toBeLessThan(bound * 1.2);
  });
});
