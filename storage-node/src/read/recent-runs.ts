/**
 * The node's read cache: recently committed runs, as the batch views the flush uploaded (so
 * consumers near the head of the log read without touching S3), and ranges read from S3 or
 * read ahead for sequential consumers. One byte budget for the whole node
 * (KAFSCALE_CACHE_BYTES); the least recently used ranges go first.
 */
/**
 * How a fetch's read of a range was served: from memory (hit), by waiting for a load
 * already in flight, a read-ahead's or another fetch's (joined), or by a GET of its own (miss).
 */
export type CacheOutcome = 'hit' | 'joined' | 'miss';

/** Fetch reads so far, and the bytes they returned, by outcome. */
export interface CacheReadTotals {
  readonly reads: Readonly<Record<CacheOutcome, number>>;
  readonly bytes: Readonly<Record<CacheOutcome, number>>;
}

export class RecentRuns {
  private readonly runs = new Map<string, readonly Uint8Array[]>();
  private readonly reads: Record<CacheOutcome, number> = { hit: 0, joined: 0, miss: 0 };
  private readonly readBytes: Record<CacheOutcome, number> = { hit: 0, joined: 0, miss: 0 };
  /** Loads in progress, so a fetch and a read-ahead of the same range share one GET. */
  private readonly loading = new Map<string, Promise<readonly Uint8Array[]>>();
  /** Whole-object loads in progress, by object key, so reads of its runs share one GET. */
  private readonly objectLoads = new Map<string, Promise<unknown>>();
  private bytes = 0;

  /** `budgetBytes`: the most the cache holds. */
  constructor(readonly budgetBytes: number) {}

  /**
   * One cached range: a segment is read in pieces that share their start with the whole
   * entry, so the length is part of the key (a piece must never stand in for the entry).
   */
  static key(objectKey: string, start: number, length: number): string {
    return `${objectKey}@${start}+${length}`;
  }

  put(key: string, batches: readonly Uint8Array[]): void {
    const size = batches.reduce((n, b) => n + b.length, 0);
    if (size > this.budgetBytes) return;
    this.runs.delete(key);
    this.runs.set(key, batches);
    this.bytes += size;
    for (const [k, v] of this.runs) {
      if (this.bytes <= this.budgetBytes) break;
      this.runs.delete(k);
      this.bytes -= v.reduce((n, b) => n + b.length, 0);
    }
  }

  /** Forgets `key` (its range is no longer referenced by the index). */
  delete(key: string): void {
    const v = this.runs.get(key);
    if (v === undefined) return;
    this.runs.delete(key);
    this.bytes -= v.reduce((n, b) => n + b.length, 0);
  }

  get(key: string): readonly Uint8Array[] | undefined {
    const v = this.runs.get(key);
    if (v !== undefined) {
      this.runs.delete(key);
      this.runs.set(key, v);
    }
    return v;
  }

  /** The cached batches of `key`, or the result of `load` (one load per key at a time), cached. */
  async getOrLoad(
    key: string,
    load: () => Promise<readonly Uint8Array[]>,
  ): Promise<readonly Uint8Array[]> {
    const cached = this.get(key);
    if (cached) return cached;
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const loaded = load().then(
      (batches) => {
        this.loading.delete(key);
        this.put(key, batches);
        return batches;
      },
      (err: unknown) => {
        this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  /**
   * The result of `load` for `objectKey`, one load per object at a time: a read of a run
   * while its object is loading waits for that load (read/flush-object-reads.ts).
   */
  loadObjectOnce<T>(objectKey: string, load: () => Promise<T>): Promise<T> {
    const inFlight = this.objectLoads.get(objectKey) as Promise<T> | undefined;
    if (inFlight) return inFlight;
    const loaded = load().finally(() => {
      this.objectLoads.delete(objectKey);
    });
    this.objectLoads.set(objectKey, loaded);
    return loaded;
  }

  /** Loads in progress (read-ahead starts no more past a bound, so memory stays bounded). */
  get loadsInFlight(): number {
    return this.loading.size;
  }

  /** Whether `key` is cached or being loaded (read-ahead skips those). */
  has(key: string): boolean {
    return this.runs.has(key) || this.loading.has(key);
  }

  get size(): number {
    return this.bytes;
  }

  /** How a read of `key` would be served now. */
  outcomeOf(key: string): CacheOutcome {
    if (this.runs.has(key)) return 'hit';
    return this.loading.has(key) ? 'joined' : 'miss';
  }

  /**
   * Counts one fetch read served as `outcome` and the bytes it returned (none when it
   * failed). Read-ahead, compaction and timestamp lookups are not fetch reads.
   */
  countRead(outcome: CacheOutcome, bytes: number): void {
    this.reads[outcome]++;
    this.readBytes[outcome] += bytes;
  }

  get readTotals(): CacheReadTotals {
    return { reads: { ...this.reads }, bytes: { ...this.readBytes } };
  }
}
