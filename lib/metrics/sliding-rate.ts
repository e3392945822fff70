/**
 * Events per second over a sliding window of whole seconds, from a ring of per-second
 * buckets (window + 1 of them: the current second and the `window` before it).
 *
 * Once the window has filled, the rate is the count of the last `windowSeconds` up to now
 * divided by `windowSeconds`; the oldest bucket, which the window only partly covers, counts
 * for the part it covers (its events taken as evenly spread over its second). Until then it
 * is the count since the meter started divided by the time since it started, so a meter
 * that just started does not report a rate diluted by a window it has not lived through.
 */
export type Clock = () => number;

export class SlidingRate {
  /** The second (ms / 1000, floored) each bucket counts; -1 for a bucket never used. */
  private readonly seconds: Float64Array;
  private readonly counts: Float64Array;
  private readonly startMs: number;

  constructor(
    private readonly windowSeconds: number,
    /** Milliseconds since an arbitrary origin (Date.now by default); tests pass their own. */
    private readonly now: Clock = Date.now,
  ) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1)
      throw new RangeError(`window must be a whole number of seconds >= 1, not ${windowSeconds}`);
    this.seconds = new Float64Array(windowSeconds + 1).fill(-1);
    this.counts = new Float64Array(windowSeconds + 1);
    this.startMs = now();
  }

  /** Counts `n` events now. */
  add(n: number): void {
    if (n === 0) return;
    const second = Math.floor(this.now() / 1000);
    const i = second % this.seconds.length;
    if (this.seconds[i] !== second) {
      this.seconds[i] = second;
      this.counts[i] = 0;
    }
    this.counts[i] = (this.counts[i] ?? 0) + n;
  }

  /** Events per second over the window (or the time since start, while shorter). */
  perSecond(): number {
    const nowMs = this.now();
    const elapsed = (nowMs - this.startMs) / 1000;
    if (elapsed <= 0) return 0;
    const filled = elapsed >= this.windowSeconds;
    const from = nowMs / 1000 - this.windowSeconds;
    let total = 0;
    for (let i = 0; i < this.seconds.length; i++) {
      const second = this.seconds[i] ?? -1;
      const count = this.counts[i] ?? 0;
      if (second < 0 || second + 1 <= from) continue;
      // Before the window has filled every event since start is inside it.
      total += !filled || second >= from ? count : count * (second + 1 - from);
    }
    return total / Math.min(elapsed, this.windowSeconds);
  }
}
