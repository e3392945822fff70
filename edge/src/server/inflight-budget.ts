/**
 * Request bytes in flight across every connection of one edge: past the limit, connections
 * stop reading their sockets until enough responses have gone out. Together with the
 * per-connection bound it keeps the edge's memory bounded however many clients connect.
 */
export class InflightBudget {
  private used = 0;
  private readonly blocked = new Set<() => void>();

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.used;
  }

  take(bytes: number): void {
    this.used += bytes;
  }

  /** Returns bytes; wakes the connections waiting for room once under the limit. */
  give(bytes: number): void {
    this.used -= bytes;
    if (this.used > this.limit) return;
    const waiting = [...this.blocked];
    this.blocked.clear();
    for (const resume of waiting) resume();
  }

  get exhausted(): boolean {
    return this.used > this.limit;
  }

  /** Calls `resume` once when the budget is under its limit again. */
  onRoom(resume: () => void): void {
    this.blocked.add(resume);
  }

  forget(resume: () => void): void {
    this.blocked.delete(resume);
  }
}
