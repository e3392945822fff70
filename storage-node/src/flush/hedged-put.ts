/**
 * Hedged uploads: when a flush object's PUT has taken longer than a high percentile of the
 * node's recent PUTs (hedging/hedge-policy.ts), a second PUT of the same bytes to a fresh key
 * starts; the first to succeed is the object the flush commits, and the other, once it
 * finishes, is deleted (an object nothing records, so the sweep would find it as an orphan if
 * the delete failed). The slowest flushes hold up every later commit (commits apply in flush
 * order), so ending them sooner helps every produce behind them.
 */
import type { ObjectStore, PutOptions } from '../../../lib/stores/object-store.js';
import {
  DEFAULT_HEDGE,
  HedgePolicy,
  settledWithin,
  type HedgeSettings,
} from '../hedging/hedge-policy.js';

export { DEFAULT_HEDGE, type HedgeSettings };

export interface HedgedPutResult {
  /** The key of the object that was written first: the one to commit. */
  readonly key: string;
  /** Whether a hedge was sent, and whether it won. */
  readonly hedge: 'none' | 'won' | 'lost';
}

export class HedgedPuts {
  private readonly policy: HedgePolicy;

  constructor(
    private readonly objects: ObjectStore,
    settings: HedgeSettings = DEFAULT_HEDGE,
  ) {
    this.policy = new HedgePolicy(settings);
  }

  /** The delay after which a PUT is hedged now, or undefined while there is no basis or budget. */
  hedgeDelayMs(): number | undefined {
    return this.policy.delayMs();
  }

  /** PUTs `chunks` at `key`, hedged to `hedgeKey` if it is slow; resolves with the winner. */
  async put(
    key: string,
    hedgeKey: string,
    chunks: readonly Uint8Array[],
    options: PutOptions,
  ): Promise<HedgedPutResult> {
    const delay = this.policy.starting();
    const first = this.timedPut(key, chunks, options);
    if (delay === undefined) {
      await first;
      return { key, hedge: 'none' };
    }
    const early = await settledWithin(first, delay);
    if (early === 'done') return { key, hedge: 'none' };
    if (early === 'failed') {
      await first; // throws the first PUT's error; no hedge for a failure
      return { key, hedge: 'none' };
    }
    this.policy.hedged();
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
    this.policy.record(performance.now() - started);
  }
}
