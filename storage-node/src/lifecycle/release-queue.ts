/**
 * Objects whose runs were just removed from the index (compaction, retention, DeleteRecords),
 * waiting for the object collector. A flush object carries runs of many partitions, so it is
 * released once per partition, often within seconds; the queue holds each object once and
 * collects one object at a time, off the path of the change that released it:
 * - young (its record is within the grace period): looked at again one grace period later,
 *   with any releases in between folded into that one look;
 * - referenced by another run: dropped until the next release of it;
 * - deleted, unrecorded, unreadable or failed: dropped (the sweep finds what is left).
 * At most `maxPending` objects wait; past that, releases are left to the sweep.
 */
import type { Logger } from '../../../lib/log/logger.js';
import type { ObjectCollector } from './object-collector.js';

export interface ReleaseQueueOptions {
  readonly collector: Pick<ObjectCollector, 'collect' | 'graceMs'>;
  readonly log: Logger;
  readonly maxPending?: number;
  readonly now?: () => number;
}

const DEFAULT_MAX_PENDING = 100_000;

export class ReleaseQueue {
  /** Object key -> when to look at it next (ms). */
  private readonly pending = new Map<string, number>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: ReleaseQueueOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Queues objects for collection now (an object already waiting keeps its turn). */
  release(objectKeys: readonly string[]): void {
    if (this.stopped) return;
    const max = this.o.maxPending ?? DEFAULT_MAX_PENDING;
    for (const key of objectKeys)
      if (!this.pending.has(key) && this.pending.size < max) this.pending.set(key, this.now());
    this.schedule();
  }

  /** Objects waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Collects every object that is due; resolves when none is left due. */
  drain(): Promise<void> {
    this.draining ??= this.collectDue().finally(() => {
      this.draining = undefined;
      this.schedule();
    });
    return this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
  }

  private async collectDue(): Promise<void> {
    for (;;) {
      const now = this.now();
      const due = [...this.pending].filter(([, at]) => at <= now).map(([key]) => key);
      if (due.length === 0) return;
      for (const key of due) {
        if (this.stopped) return;
        await this.collectOne(key);
      }
    }
  }

  private async collectOne(key: string): Promise<void> {
    try {
      const verdict = await this.o.collector.collect(key);
      if (verdict === 'young') this.pending.set(key, this.now() + this.o.collector.graceMs);
      else this.pending.delete(key);
    } catch (err) {
      this.pending.delete(key);
      this.o.log.warn({ err, objectKey: key }, 'object collection failed; the sweep retries it');
    }
  }

  /** Arms one timer for the earliest object due (none while a drain runs or nothing waits). */
  private schedule(): void {
    if (this.stopped || this.draining) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let earliest = Infinity;
    for (const at of this.pending.values()) if (at < earliest) earliest = at;
    if (earliest === Infinity) return;
    this.timer = setTimeout(() => void this.drain(), Math.max(0, earliest - this.now()));
    this.timer.unref();
  }
}
