/**
 * How long pending appends wait for their flush while other flushes are in flight
 * (flusher.ts), adapted to how long flushes take here.
 *
 * A flush's appends are acknowledged once its object is uploaded and committed: one flush
 * latency. With `slots` flushes allowed in flight, starting one every latency / slots keeps
 * the pipeline evenly staggered: an append then waits at most that long before its flush
 * starts, and the node makes at most `slots` PUTs per flush latency whatever the load, so
 * a heavier load fills bigger objects rather than more of them. On a fast store the wait
 * shrinks towards `minMs` (lower latency); on a slow one it grows towards `maxMs` (fewer,
 * fuller PUTs). With `minMs` equal to `maxMs` the wait is fixed.
 *
 * The latency is a moving average of recent committed flushes (upload plus commit); until
 * the first one, the wait is `maxMs`.
 */
export interface FlushPacingBounds {
  readonly minMs: number;
  readonly maxMs: number;
  /** Flushes allowed in flight at once. */
  readonly slots: number;
}

/** Weight of the newest flush in the moving average (about the last ten count). */
const NEWEST_WEIGHT = 0.2;

export class FlushPacing {
  private latencyMs: number | undefined;

  constructor(private readonly bounds: FlushPacingBounds) {
    if (!(bounds.minMs > 0 && bounds.minMs <= bounds.maxMs))
      throw new RangeError(
        `flush wait bounds must satisfy 0 < min <= max, got min ${String(bounds.minMs)} ms and max ${String(bounds.maxMs)} ms`,
      );
    if (!(bounds.slots >= 1))
      throw new RangeError(`flush slots must be at least 1, got ${String(bounds.slots)}`);
  }

  /** How long pending appends now wait while flushes are in flight, in ms. */
  waitMs(): number {
    const { minMs, maxMs, slots } = this.bounds;
    if (this.latencyMs === undefined) return maxMs;
    return Math.min(maxMs, Math.max(minMs, this.latencyMs / slots));
  }

  /** A flush was committed `ms` after it started. */
  flushed(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.latencyMs =
      this.latencyMs === undefined ? ms : this.latencyMs + NEWEST_WEIGHT * (ms - this.latencyMs);
  }
}
