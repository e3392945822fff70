/**
 * Client quota enforcement on one edge (Kafka's ClientQuotaManager, one per quota kind):
 * a rate per sharing group (quota-resolution.ts) measured over `samples × windowMs`
 * (sampled-rate.ts), and the throttle time of a request that takes it over the bound
 * (throttle-time.ts).
 *
 * Across edges each edge enforces its share of the cluster-wide quota: the bound divided by
 * the number of live edges in its cluster view. No request waits on another edge, and a
 * client spread over all edges (as Metadata spreads partition leadership) gets the whole
 * quota; one that talks to fewer edges gets less (docs/security.md, "Quotas").
 *
 * The hot path is ConnectionQuotas.record: while neither the quotas, the connection's user
 * and client id, nor the set of rates changed, it is one comparison, an array write in the
 * rate and a division; rates are looked up (and made) only when something changed.
 */
import {
  CONSUMER_BYTE_RATE,
  PRODUCER_BYTE_RATE,
  REQUEST_PERCENTAGE,
} from '../../../lib/quota/quota-keys.js';
import type { ClientQuotaCache } from './client-quota-cache.js';
import { resolveQuota } from './quota-resolution.js';
import { SampledRate } from './sampled-rate.js';
import { throttleTimeMs } from './throttle-time.js';

/** Produce request bytes, fetch response bytes, and request handling time. */
export type QuotaKind = 'produce' | 'fetch' | 'request';

export const QUOTA_KINDS: readonly QuotaKind[] = ['produce', 'fetch', 'request'];

const QUOTA_KEY_OF: Readonly<Record<QuotaKind, string>> = {
  produce: PRODUCER_BYTE_RATE,
  fetch: CONSUMER_BYTE_RATE,
  request: REQUEST_PERCENTAGE,
};

export interface QuotaWindow {
  /** Kafka's quota.window.num (default 11). */
  readonly samples: number;
  /** Kafka's quota.window.size.seconds, in ms (default 1,000). */
  readonly windowMs: number;
}

/** One sharing group's measured rate and the cluster-wide bound that applies to it. */
interface QuotaRate {
  readonly rate: SampledRate;
  bound: number;
}

/** Rates that no longer count anything are forgotten this often (at most). */
const SWEEP_INTERVAL_MS = 60_000;

export class ClientQuotas {
  private readonly rates: Record<QuotaKind, Map<string, QuotaRate>> = {
    produce: new Map(),
    fetch: new Map(),
    request: new Map(),
  };
  private sweeps = 0;
  private lastSweep = 0;

  constructor(
    private readonly cache: ClientQuotaCache,
    readonly window: QuotaWindow,
    /** The number of live edges, this one included (at least 1). */
    private readonly liveEdges: () => number,
    /** Told of every throttle (the metrics). */
    private readonly onThrottle?: (kind: QuotaKind, ms: number) => void,
  ) {}

  /** Changes whenever a connection must look its rates up again. */
  get generation(): number {
    return this.cache.generation + this.sweeps;
  }

  get anyQuota(): boolean {
    return !this.cache.isEmpty;
  }

  /** The rate `user` and `clientId` share for `kind`, or undefined when no quota applies. */
  rateFor(kind: QuotaKind, user: string, clientId: string, now: number): QuotaRate | undefined {
    this.maybeSweep(now);
    const resolved = resolveQuota((p) => this.cache.values(p), QUOTA_KEY_OF[kind], user, clientId);
    if (resolved === undefined) return undefined;
    const key = `${resolved.rateUser}\0${resolved.rateClientId}`;
    const rates = this.rates[kind];
    let found = rates.get(key);
    if (found === undefined) {
      found = { rate: new SampledRate(this.window.samples, this.window.windowMs), bound: 0 };
      rates.set(key, found);
    }
    found.bound = resolved.bound;
    return found;
  }

  /** Records `value` into `r` at `now`; the throttle time it earns, 0 when within the share. */
  record(kind: QuotaKind, r: QuotaRate, value: number, now: number): number {
    r.rate.record(value, now);
    const share = r.bound / Math.max(1, this.liveEdges());
    const ms = throttleTimeMs(r.rate.perSecond(now), share, r.rate.windowSizeMs(now));
    if (ms > 0) this.onThrottle?.(kind, ms);
    return ms;
  }

  /** Takes back what `record` added (a throttled fetch sends no data). */
  unrecord(r: QuotaRate, value: number, now: number): void {
    r.rate.record(-value, now);
  }

  private maybeSweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    let removed = false;
    for (const kind of QUOTA_KINDS) {
      for (const [key, r] of this.rates[kind]) {
        if (!r.rate.idle(now)) continue;
        this.rates[kind].delete(key);
        removed = true;
      }
    }
    // Connections holding a forgotten rate must look theirs up again.
    if (removed) this.sweeps++;
  }
}

export type { QuotaRate };
