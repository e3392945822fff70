/**
 * How many partitions a compaction pass merges at once. Merges compete with flushes for the
 * node's CPU, S3 and etcd: four at once put tens of MiB of segment PUTs and large etcd
 * transactions beside the flushes that acknowledge produce requests, and at 10 MiB/s that
 * burst raised the worst ack latency of a 5 s window from about 140 to 400-500 ms
 * (docs/performance.md). So passes start with one worker, and add workers only when
 * compaction falls behind: a pass that outlasted its interval (the next pass had to wait
 * for it) doubles them for the next pass, up to `max`; a pass done within half the
 * interval halves them again. A node with many partitions due at once thus reaches `max`
 * within a few passes, and a node that keeps up stays at one.
 */
export class CompactionPace {
  private current = 1;

  constructor(
    private readonly max: number,
    private readonly intervalMs: number,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`compaction concurrency must be a whole number >= 1, got ${max}`);
  }

  /** Partitions the next pass compacts at once. */
  get workers(): number {
    return this.current;
  }

  /** Told how long a pass took, sets the workers of the next one. */
  passed(ms: number): void {
    if (ms > this.intervalMs) this.current = Math.min(this.max, this.current * 2);
    else if (ms < this.intervalMs / 2) this.current = Math.max(1, Math.floor(this.current / 2));
  }
}
