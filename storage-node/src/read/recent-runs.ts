/**
 * Recently committed runs kept in memory, as the batch views the flush uploaded, so that
 * consumers near the head of the log read without touching S3. One byte budget for the
 * whole node; the least recently used runs go first.
 */
export class RecentRuns {
  private readonly runs = new Map<string, readonly Uint8Array[]>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  static key(objectKey: string, start: number): string {
    return `${objectKey}@${start}`;
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

  get(key: string): readonly Uint8Array[] | undefined {
    const v = this.runs.get(key);
    if (v !== undefined) {
      this.runs.delete(key);
      this.runs.set(key, v);
    }
    return v;
  }

  get size(): number {
    return this.bytes;
  }
}
