/**
 * One watcher of the in-process store: a queue of revisions drained asynchronously, so a
 * callback never runs inside the transaction that caused it and revisions arrive in order.
 */
import type { Watch, WatchEvent, WatchOptions } from '../metadata-store.js';
import type { RevisionChange } from './memory-state.js';

export class MemoryWatch implements Watch {
  private readonly queue: { events: readonly WatchEvent[]; revision: number }[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly prefix: string,
    /** First revision this watcher delivers. */
    private readonly fromRevision: number,
    private readonly options: WatchOptions,
    private readonly detach: (w: MemoryWatch) => void,
  ) {}

  /** Queues the part of `change` under the prefix, if any. */
  offer(change: RevisionChange): void {
    if (this.stopped || change.revision < this.fromRevision) return;
    const events = change.events.filter((e) =>
      (e.type === 'put' ? e.kv.key : e.key).startsWith(this.prefix),
    );
    if (events.length === 0) return;
    this.queue.push({ events, revision: change.revision });
    this.schedule();
  }

  /** Stops the watch and reports `error` (asynchronously, after anything already queued). */
  fail(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.detach(this);
    setImmediate(() => {
      this.queue.length = 0;
      this.options.onError?.(error);
    });
  }

  cancel(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.queue.length = 0;
      this.detach(this);
    }
    return Promise.resolve();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (!this.stopped) {
      const next = this.queue.shift();
      if (next === undefined) return;
      try {
        this.options.onEvents(next.events, next.revision);
      } catch {
        // A throwing callback must not stop delivery to this or other watchers.
      }
    }
  }
}
