/**
 * The keys waiting to be reconciled. A key is queued once however often it is added; a
 * key being reconciled is not started again until that run ends (then once more if it
 * was added meanwhile); a failed run is retried after a delay that doubles up to a cap.
 * Up to `concurrency` different keys run at once.
 */
export type Reconcile = (key: string) => Promise<{ retry: boolean }>;

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly reconcile: Reconcile,
    private readonly onError: (key: string, e: unknown) => void,
    private readonly concurrency = 4,
    private readonly retryMs = { first: 500, max: 30_000 },
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.queued.add(key);
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.queued.clear();
  }

  private pump(): void {
    for (const key of this.queued) {
      if (this.running.size >= this.concurrency) return;
      if (this.running.has(key)) continue;
      this.queued.delete(key);
      this.running.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    let retry: boolean;
    try {
      retry = (await this.reconcile(key)).retry;
    } catch (e) {
      this.onError(key, e);
      retry = true;
    }
    this.running.delete(key);
    if (retry) this.retryLater(key);
    else this.failures.delete(key);
    if (this.again.delete(key)) this.add(key);
    this.pump();
  }

  private retryLater(key: string): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = Math.min(this.retryMs.first * 2 ** (n - 1), this.retryMs.max);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.add(key);
    }, delay);
    t.unref();
    this.timers.add(t);
  }
}
