/**
 * The last `capacity` numbers recorded, kept sorted as they come and go, so a quantile is
 * a lookup: the hedging policies ask for one before every object-store request. Sorting a
 * copy of the window each time cost 2.6 % of a storage node's busy time in a cold read
 * and 0.8 % under produce (`npm run bench:profile`); 0.5 % and too little to list after.
 */
export class SortedWindow {
  /** The values in arrival order: a ring once full, `next` being the oldest. */
  private readonly ring: number[] = [];
  private readonly sorted: number[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`window capacity must be a positive integer, not ${capacity}`);
  }

  get size(): number {
    return this.sorted.length;
  }

  /**
   * Adds a value, evicting the oldest once full. Non-finite values are ignored; -0 counts as
   * 0 (else evicting a 0 could remove a -0 from the sorted copy and keep the 0 the ring
   * dropped).
   */
  record(recorded: number): void {
    if (!Number.isFinite(recorded)) return;
    const value = recorded === 0 ? 0 : recorded;
    if (this.ring.length < this.capacity) {
      this.ring.push(value);
    } else {
      const oldest = this.ring[this.next] ?? value;
      this.ring[this.next] = value;
      this.sorted.splice(lowerBound(this.sorted, oldest), 1);
      this.next = (this.next + 1) % this.capacity;
    }
    this.sorted.splice(lowerBound(this.sorted, value), 0, value);
  }

  /** The value at rank floor(q * size) of the sorted window (q in 0-1), undefined if empty. */
  quantile(q: number): number | undefined {
    const n = this.sorted.length;
    if (n === 0) return undefined;
    return this.sorted[Math.min(n - 1, Math.max(0, Math.floor(q * n)))];
  }
}

/** The first index whose value is >= `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Infinity) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
