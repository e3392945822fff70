/**
 * Hedged reads: an object store whose `get` sends a second, identical GET when the first has
 * taken longer than a high percentile of recent GETs of about its size
 * (hedging/hedge-policy.ts); the first to succeed answers, the other's bytes are dropped
 * when they arrive. A consumer catching up from S3 waits on its slowest GET, and S3's tail
 * is rarely shared by two requests. GETs are timed per size class (under 256 KiB, under
 * 4 MiB, larger or whole objects), so that a large read-ahead is not taken for a slow small
 * one. Every other operation passes through unchanged.
 */
import type { ByteRange, ObjectStore } from '../../../lib/stores/object-store.js';
import {
  DEFAULT_HEDGE,
  HedgePolicy,
  settledWithin,
  type HedgeSettings,
} from '../hedging/hedge-policy.js';

export type HedgedGetOutcome = 'won' | 'lost';

export interface HedgedGetsOptions {
  readonly settings?: HedgeSettings;
  /** Told of each hedge once one of the two GETs answered: 'won' when the hedge did. */
  readonly onHedge?: (outcome: HedgedGetOutcome) => void;
}

type SizeClass = 'small' | 'medium' | 'large';

function sizeClass(range: ByteRange | undefined): SizeClass {
  if (range === undefined) return 'large';
  const bytes = range.end - range.start + 1;
  if (bytes < 256 * 1024) return 'small';
  return bytes < 4 * 1024 * 1024 ? 'medium' : 'large';
}

export function withHedgedGets(store: ObjectStore, options: HedgedGetsOptions = {}): ObjectStore {
  const settings = options.settings ?? DEFAULT_HEDGE;
  const policies: Record<SizeClass, HedgePolicy> = {
    small: new HedgePolicy(settings),
    medium: new HedgePolicy(settings),
    large: new HedgePolicy(settings),
  };

  async function timedGet(policy: HedgePolicy, key: string, range?: ByteRange): Promise<Buffer> {
    const started = performance.now();
    const bytes = await store.get(key, range);
    policy.record(performance.now() - started);
    return bytes;
  }

  async function get(key: string, range?: ByteRange): Promise<Buffer> {
    const policy = policies[sizeClass(range)];
    const delay = policy.starting();
    const first = timedGet(policy, key, range);
    if (delay === undefined) return first;
    if ((await settledWithin(first, delay)) !== 'late') return first;
    policy.hedged();
    const second = timedGet(policy, key, range);
    const winner = await Promise.any([
      first.then((bytes) => ({ bytes, hedge: 'lost' as const })),
      second.then((bytes) => ({ bytes, hedge: 'won' as const })),
    ]).catch(async () => ({ bytes: await first, hedge: 'lost' as const }));
    // The slower GET's bytes, or its error, are dropped when they arrive.
    void Promise.allSettled([first, second]);
    options.onHedge?.(winner.hedge);
    return winner.bytes;
  }

  return {
    put: (key, body, putOptions) => store.put(key, body, putOptions),
    get,
    head: (key) => store.head(key),
    list: (prefix, listOptions) => store.list(prefix, listOptions),
    delete: (keys) => store.delete(keys),
  };
}
