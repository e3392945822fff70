/**
 * When to send a second copy of a slow object-store request (a hedge): once it has taken
 * longer than a high percentile of the recent requests of its kind. S3's latency has a long
 * tail that a second request rarely shares, so the slowest requests end sooner.
 *
 * Bounded: no hedge until `minSamples` requests have been seen, and at most `maxShare` of
 * requests are hedged (a budget that refills with each request), so a store that is slow for
 * everyone is not sent twice the load.
 */
import { SortedWindow } from './sorted-window.js';

export interface HedgeSettings {
  /** The percentile of recent durations after which a request is hedged (0-1). */
  readonly quantile: number;
  /** Requests seen before any hedge. */
  readonly minSamples: number;
  /** The most hedges per request, on average (0 turns hedging off). */
  readonly maxShare: number;
}

export const DEFAULT_HEDGE: HedgeSettings = { quantile: 0.95, minSamples: 50, maxShare: 0.05 };

/** Recent durations this many deep. */
const WINDOW = 256;

export class HedgePolicy {
  private readonly durations = new SortedWindow(WINDOW);
  private budget = 0;

  constructor(private readonly settings: HedgeSettings = DEFAULT_HEDGE) {}

  /**
   * Called once per request as it starts: adds its share to the budget and says after how
   * many ms it should be hedged, or undefined while there is no basis or no budget.
   */
  starting(): number | undefined {
    const { maxShare } = this.settings;
    this.budget = Math.min(this.budget + maxShare, 1 + maxShare);
    return this.delayMs();
  }

  /** After how many ms a request starting now would be hedged (undefined: it would not be). */
  delayMs(): number | undefined {
    const { maxShare, minSamples, quantile } = this.settings;
    if (maxShare <= 0 || this.durations.size < minSamples || this.budget < 1) return undefined;
    return this.durations.quantile(quantile);
  }

  /** A hedge was sent: it uses one request's worth of the budget. */
  hedged(): void {
    this.budget -= 1;
  }

  /** A request (or a hedge) completed after `ms`. */
  record(ms: number): void {
    this.durations.record(ms);
  }
}

/**
 * Waits for `first` up to `delayMs`: 'done' if it succeeded in time, 'failed' if it failed in
 * time, 'late' if it is still running (a hedge is due).
 */
export async function settledWithin(
  first: Promise<unknown>,
  delayMs: number,
): Promise<'done' | 'failed' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, delayMs);
  });
  try {
    return await Promise.race([first.then(() => 'done' as const), late]).catch(
      () => 'failed' as const,
    );
  } finally {
    clearTimeout(timer);
  }
}
