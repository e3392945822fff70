/**
 * Leader election of the controlplane replicas through the MetadataStore. Campaigning is
 * one transaction: put `controlplane/leader` with this replica's lease if the key is
 * absent (version 0). Every replica watches the key; when it disappears (the leader's
 * lease expired or was revoked, or it resigned) the standbys campaign at once, so one
 * takes over within the lease TTL of the leader's death.
 *
 * Leadership is never trusted on its own (invariant 2): `leaderRevision` is the create
 * revision of our leader key, and every write that depends on leading compares it. A
 * replica that learns it was deposed (its key deleted or replaced, or its lease lost)
 * stops leading at once and campaigns again after `recampaignDelayMs`, which gives the
 * standbys that saw the key go the first chance.
 */
import { keys } from '../../../lib/metadata/keys.js';
import type {
  Lease,
  MetadataStore,
  Watch,
  WatchEvent,
} from '../../../lib/stores/metadata-store.js';
import type { LeaderFence } from './leader-fence.js';
import { encodeLeaderRecord } from '../../../lib/metadata/leader-record.js';

export interface LeaderElectionOptions {
  readonly replicaId: string;
  /** Where this replica can be reached, recorded in the leader key (default empty). */
  readonly address?: string;
  readonly leaseTtlSeconds: number;
  /** Wait before a deposed replica campaigns again (default 500 ms). */
  readonly recampaignDelayMs?: number;
  /** Wait before retrying after a store error (default 1,000 ms). */
  readonly retryDelayMs?: number;
  readonly onError?: (error: unknown) => void;
}

export type ElectionEvent =
  | { readonly type: 'elected'; readonly revision: number }
  | { readonly type: 'deposed'; readonly revision: number };

export type ElectionListener = (event: ElectionEvent) => void;

export class LeaderElection {
  private readonly key = keys.controlplaneLeader();
  private currentLease: Lease | undefined;
  private revision: number | undefined;
  private watch: Watch | undefined;
  private readonly listeners = new Set<ElectionListener>();
  private campaigning: Promise<void> | undefined;
  private campaignAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** A deposed replica lets the standbys campaign first, until this time. */
  private holdOffUntil = 0;

  constructor(
    private readonly store: MetadataStore,
    private readonly options: LeaderElectionOptions,
  ) {}

  /** Starts watching the leader key and campaigns once; resolves after that first campaign. */
  async start(): Promise<void> {
    await this.startWatch();
    await this.campaign();
  }

  get isLeader(): boolean {
    return this.revision !== undefined;
  }

  /** The create revision of our leader key while we lead (what fenced writes compare). */
  get leaderRevision(): number | undefined {
    return this.revision;
  }

  /** The lease this replica campaigns with (a leader's key is attached to it). */
  get lease(): Lease | undefined {
    return this.currentLease;
  }

  /** The compare a leader-only write must carry, or undefined when not leading. */
  fence(): LeaderFence | undefined {
    return this.revision === undefined
      ? undefined
      : { key: this.key, createRevision: this.revision };
  }

  on(listener: ElectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops campaigning and resigns (revokes the lease, which deletes our leader key). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.watch?.cancel();
    this.watch = undefined;
    await this.campaigning;
    const lease = this.currentLease;
    this.currentLease = undefined;
    this.depose();
    await lease?.revoke().catch((e: unknown) => this.options.onError?.(e));
  }

  private async startWatch(): Promise<void> {
    const { revision } = await this.store.list(this.key);
    let failed = false;
    this.watch = await this.store.watch(this.key, {
      fromRevision: revision + 1,
      onEvents: (events) => {
        if (!failed) this.onEvents(events);
      },
      onError: (error) => {
        failed = true;
        this.onWatchError(error);
      },
    });
  }

  private onEvents(events: readonly WatchEvent[]): void {
    for (const e of events) {
      if (e.type === 'delete' && e.key === this.key) {
        this.depose();
        this.scheduleCampaign(0);
      } else if (e.type === 'put' && e.kv.key === this.key && this.isLeader) {
        if (e.kv.createRevision !== this.revision) this.depose();
      }
    }
  }

  private onWatchError(error: Error): void {
    if (this.stopped) return;
    this.options.onError?.(error);
    this.watch = undefined;
    const retry = (): void => {
      if (this.stopped) return;
      this.startWatch()
        .then(() => {
          this.scheduleCampaign(0);
        })
        .catch((e: unknown) => {
          this.options.onError?.(e);
          setTimeout(retry, this.options.retryDelayMs ?? 1000).unref();
        });
    };
    retry();
  }

  /** Campaigns after `delayMs`, and never before the hold-off of a recent deposition. */
  private scheduleCampaign(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const wait = Math.max(delayMs, this.holdOffUntil - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.campaign().catch((e: unknown) => this.options.onError?.(e));
    }, wait);
  }

  /** One campaign at a time; a request during a campaign runs another after it. */
  private async campaign(): Promise<void> {
    if (this.campaigning !== undefined) {
      this.campaignAgain = true;
      return this.campaigning;
    }
    this.campaigning = (async () => {
      do {
        this.campaignAgain = false;
        await this.campaignOnce();
      } while (this.shouldCampaignAgain());
    })().finally(() => {
      this.campaigning = undefined;
    });
    return this.campaigning;
  }

  private async campaignOnce(): Promise<void> {
    if (this.stopped || this.isLeader) return;
    try {
      const lease = await this.ensureLease();
      const result = await this.store.txn(
        [{ key: this.key, target: 'version', op: '=', value: 0 }],
        [
          {
            type: 'put',
            key: this.key,
            value: encodeLeaderRecord({
              replicaId: this.options.replicaId,
              address: this.options.address ?? '',
            }),
            lease: lease.id,
          },
        ],
      );
      if (!result.succeeded) return; // someone leads: the watch tells us when that ends
      if (this.isStopped() || lease !== this.currentLease) return;
      this.revision = result.revision;
      this.emit({ type: 'elected', revision: result.revision });
    } catch (e) {
      // The lease may be gone (revoked or expired): campaign with a fresh one next time.
      this.dropLease();
      this.options.onError?.(e);
      this.scheduleCampaign(this.options.retryDelayMs ?? 1000);
    }
  }

  private async ensureLease(): Promise<Lease> {
    if (this.currentLease !== undefined) return this.currentLease;
    const lease = await this.store.grantLease(this.options.leaseTtlSeconds);
    this.currentLease = lease;
    lease.onLost(() => {
      if (this.currentLease !== lease) return;
      this.currentLease = undefined;
      this.depose();
      this.scheduleCampaign(0);
    });
    return lease;
  }

  /** Forgets a lease we may no longer trust (revoking it, best effort). */
  private dropLease(): void {
    const lease = this.currentLease;
    this.currentLease = undefined;
    lease?.revoke().catch(() => undefined);
  }

  // Methods, not fields, where state changes across an await (no stale narrowing).
  private isStopped(): boolean {
    return this.stopped;
  }

  private shouldCampaignAgain(): boolean {
    return this.campaignAgain && !this.stopped;
  }

  private depose(): void {
    const revision = this.revision;
    if (revision === undefined) return;
    this.revision = undefined;
    this.holdOffUntil = Date.now() + (this.options.recampaignDelayMs ?? 500);
    // Our key is gone or no longer ours: its lease is not to be reused.
    this.dropLease();
    this.emit({ type: 'deposed', revision });
  }

  private emit(event: ElectionEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A listener's failure must not stop the election.
      }
    }
  }
}
