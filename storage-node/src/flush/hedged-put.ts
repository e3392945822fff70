/**
 * Hedged uploads: when a flush object's PUT has taken longer than a high percentile of the
 * node's recent PUTs, a second PUT of the same bytes to a fresh key starts; the first to
 * succeed is the object the flush commits, and the other, once it finishes, is deleted (an
 * object nothing records, so the sweep would find it as an orphan if the delete failed).
 * S3's latency has a long tail that a second request rarely shares, so the slowest flushes,
 * which hold up every later commit (commits apply in flush order), end sooner.
 *
 * Bounded: no hedge until `minSamples` PUTs have been seen, and at most `maxShare` of PUTs
 * are hedged (a budget that refills with each PUT), so a store that is slow for everyone is
 * not sent twice the load.
 */
import type { ObjectStore, PutOptions } from '../../../lib/stores/object-store.js';

export interface HedgeSettings {
  /** The percentile of recent PUT durations after which a PUT is hedged (0-1). */
  readonly quantile: number;
  /** PUTs seen before any hedge. */
  readonly minSamples: number;
  /** The most hedges per PUT, on average (0 turns hedging off). */
  readonly maxShare: number;
}

export const DEFAULT_HEDGE: HedgeSettings = { quantile: 0.95, minSamples: 50, maxShare: 0.05 };

/** Recent PUT durations this many deep. */
const WINDOW = 256;

export interface HedgedPutResult {
  /** The key of the object that was written first: the one to commit. */
  readonly key: string;
  /** Whether a hedge was sent, and whether it won. */
  readonly hedge: 'none' | 'won' | 'lost';
}

export class HedgedPuts {
  private readonly durations: number[] = [];
  private next = 0;
  private budget = 0;

  constructor(
    private readonly objects: ObjectStore,
    private readonly settings: HedgeSettings = DEFAULT_HEDGE,
  ) {}

  /** The delay after which a PUT is hedged now, or undefined while there is no basis or budget. */
  hedgeDelayMs(): number | undefined {
    if (this.settings.maxShare <= 0 || this.durations.length < this.settings.minSamples)
      return undefined;
    if (this.budget < 1) return undefined;
    const sorted = [...this.durations].sort((a, b) => a - b);
    const at = Math.min(sorted.length - 1, Math.floor(this.settings.quantile * sorted.length));
    return sorted[at];
  }

  /** PUTs `chunks` at `key`, hedged to `hedgeKey` if it is slow; resolves with the winner. */
  async put(
    key: string,
    hedgeKey: string,
    chunks: readonly Uint8Array[],
    options: PutOptions,
  ): Promise<HedgedPutResult> {
    this.budget = Math.min(this.budget + this.settings.maxShare, 1 + this.settings.maxShare);
    const delay = this.hedgeDelayMs();
    const first = this.timedPut(key, chunks, options);
    if (delay === undefined) {
      await first;
      return { key, hedge: 'none' };
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        resolve('late');
      }, delay);
    });
    const early = await Promise.race([first.then(() => 'done' as const), late]).catch(
      () => 'failed' as const,
    );
    clearTimeout(timer);
    if (early === 'done') return { key, hedge: 'none' };
    if (early === 'failed') {
      await first; // throws the first PUT's error; no hedge for a failure
      return { key, hedge: 'none' };
    }
    this.budget -= 1;
    const second = this.timedPut(hedgeKey, chunks, options);
    const winner = await Promise.any([first.then(() => key), second.then(() => hedgeKey)]).catch(
      async () => {
        await first; // both failed: the first PUT's error
        return key;
      },
    );
    const loser = winner === key ? second : first;
    const loserKey = winner === key ? hedgeKey : key;
    // The loser, once it lands, is removed; failing that, the sweep finds it unrecorded.
    void loser.then(
      () => this.objects.delete([loserKey]).catch(() => undefined),
      () => undefined,
    );
    return { key: winner, hedge: winner === key ? 'lost' : 'won' };
  }

  private async timedPut(
    key: string,
    chunks: readonly Uint8Array[],
    options: PutOptions,
  ): Promise<void> {
    const started = performance.now();
    await this.objects.put(key, chunks, options);
    this.record(performance.now() - started);
  }

  private record(ms: number): void {
    if (this.durations.length < WINDOW) this.durations.push(ms);
    else this.durations[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
  }
}
