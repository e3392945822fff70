/**
 * A rate measured as Kafka's client quotas measure it (Rate over a SampledStat): `samples`
 * windows of `windowMs` each; a value is added to the current window, a new window starts
 * once the current one is `windowMs` old, and windows older than `samples × windowMs` no
 * longer count. The rate is the sum of the live windows over the time they span, taken as
 * at least `samples - 1` full windows, so a client's first burst is measured over that long
 * rather than over the few milliseconds it has run.
 *
 * Times are given (milliseconds on any monotonic clock), so the arithmetic is testable
 * without a clock. Storage is two fixed arrays: recording allocates nothing.
 */
export class SampledRate {
  private readonly starts: Float64Array;
  private readonly values: Float64Array;
  private current = 0;

  constructor(
    readonly samples: number,
    readonly windowMs: number,
  ) {
    if (!(samples >= 2) || !(windowMs > 0))
      throw new RangeError('a sampled rate needs at least 2 windows of a positive length');
    this.starts = new Float64Array(samples).fill(Number.NEGATIVE_INFINITY);
    this.values = new Float64Array(samples);
  }

  /** Adds `value` at time `now` (a negative value takes back what was recorded). */
  record(value: number, now: number): void {
    const start = this.starts[this.current] ?? Number.NEGATIVE_INFINITY;
    if (now - start >= this.windowMs) {
      this.current = (this.current + 1) % this.samples;
      this.starts[this.current] = now;
      this.values[this.current] = 0;
    }
    this.values[this.current] = (this.values[this.current] ?? 0) + value;
  }

  /** The sum of the windows still counted at `now`, and when the oldest of them started. */
  private live(now: number): { total: number; oldest: number } {
    const horizon = now - this.samples * this.windowMs;
    let total = 0;
    let oldest = now;
    for (let i = 0; i < this.samples; i++) {
      const start = this.starts[i] ?? Number.NEGATIVE_INFINITY;
      if (start <= horizon) continue;
      total += this.values[i] ?? 0;
      if (start < oldest) oldest = start;
    }
    return { total, oldest };
  }

  /** The time, in ms, over which the rate at `now` is measured (Kafka's Rate.windowSize). */
  windowSizeMs(now: number): number {
    const elapsed = now - this.live(now).oldest;
    const missing = this.samples - 1 - Math.floor(elapsed / this.windowMs);
    return missing > 0 ? elapsed + missing * this.windowMs : elapsed;
  }

  /** Units per second at `now`. */
  perSecond(now: number): number {
    return (this.live(now).total * 1000) / this.windowSizeMs(now);
  }

  /** True when nothing recorded counts any more (the rate can be forgotten). */
  idle(now: number): boolean {
    return this.live(now).total === 0;
  }
}
