/**
 * Which group shards this replica coordinates. Every live replica (registered under
 * `nodes/controlplane/<id>` with its lease) computes the same rendezvous choice of one
 * replica per shard; a replica claims the unheld shards it is chosen for and releases the
 * ones a newly joined replica is chosen for, so coordination spreads over the replicas and
 * a dead replica's shards (its claims vanish with its lease) move to the survivors.
 *
 * A claim is one etcd transaction: the owner key must be absent, the shard's epoch grows,
 * and the owner key is attached to this replica's lease. Every group write then compares
 * the claim's create revision (ShardFence), so a replica that lost a shard cannot write.
 */
import { createHash } from 'node:crypto';
import { isInt } from '../../../lib/metadata/json-value.js';
import { keys } from '../../../lib/metadata/keys.js';
import { encodeNodeRecord } from '../../../lib/metadata/topic-records.js';
import type { Lease, MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import type { GroupCoordinator } from './group-coordinator.js';
import { encodeShardClaim } from './group-record.js';
import type { GroupWriter } from './group-writer.js';

export interface ShardKeeperOptions {
  readonly replicaId: string;
  /** host:port of this replica's gRPC server, as edges dial it. */
  readonly address: string;
  readonly version: string;
  readonly leaseTtlSeconds: number;
  readonly shardCount: number;
  readonly onError?: (error: unknown) => void;
}

function weight(shard: number, replicaId: string): bigint {
  return createHash('sha1').update(`${shard}#${replicaId}`).digest().readBigUInt64BE(0);
}

/** The replica rendezvous hashing chooses for a shard among `replicas`. */
export function chosenReplica(shard: number, replicas: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const id of replicas) {
    const w = weight(shard, id);
    if (w > bestWeight || (w === bestWeight && best !== undefined && id < best)) {
      best = id;
      bestWeight = w;
    }
  }
  return best;
}

export class ShardKeeper {
  private lease: Lease | undefined;
  /** Shards claimed here, with the create revision of the claim. */
  private readonly claims = new Map<number, number>();
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: MetadataStore,
    private readonly view: MetadataView,
    private readonly coordinator: GroupCoordinator,
    private readonly writer: GroupWriter,
    private readonly options: ShardKeeperOptions,
  ) {}

  async start(): Promise<void> {
    await this.register();
    this.unsubscribe = this.view.subscribe((change) => {
      if (
        change.reset ||
        change.changes.groupShards.size > 0 ||
        change.changes.controlplaneReplicas.size > 0
      )
        this.reconcile();
    });
    this.reconcile();
    await this.running;
  }

  /** The writer found this replica's claim on `shard` gone: stop serving it. */
  lost(shard: number): void {
    if (!this.claims.delete(shard)) return;
    this.coordinator.drop(shard);
    this.reconcile();
  }

  /** Shards this replica holds now. */
  held(): number[] {
    return [...this.claims.keys()].sort((a, b) => a - b);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.running;
    for (const shard of [...this.claims.keys()]) await this.release(shard);
    await this.lease?.revoke().catch(() => undefined);
  }

  private async register(): Promise<void> {
    const lease = await this.store.grantLease(this.options.leaseTtlSeconds);
    const [host, port] = splitAddress(this.options.address);
    await this.store.txn(
      [],
      [
        {
          type: 'put',
          key: keys.controlplaneReplica(this.options.replicaId),
          value: encodeNodeRecord({
            id: this.options.replicaId,
            host,
            port,
            version: this.options.version,
            startedAtMs: Date.now(),
          }),
          lease: lease.id,
        },
      ],
    );
    this.lease = lease;
    lease.onLost(() => {
      void this.onLeaseLost(lease);
    });
  }

  private async onLeaseLost(lost: Lease): Promise<void> {
    if (this.stopped || this.lease !== lost) return;
    this.lease = undefined;
    for (const shard of [...this.claims.keys()]) {
      this.claims.delete(shard);
      this.coordinator.drop(shard);
    }
    while (!this.isStopped()) {
      try {
        await this.register();
        this.reconcile();
        return;
      } catch (error) {
        this.options.onError?.(error);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Read through a method: stop() may flip it while a loop awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  /** Runs one pass now, or another one right after the pass in progress. */
  private reconcile(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.reconcile();
        }
      });
  }

  private async pass(): Promise<void> {
    const me = this.options.replicaId;
    const live = new Set(this.view.controlplaneReplicas().map((r) => r.id));
    if (this.lease === undefined) return;
    live.add(me);
    const replicas = [...live];
    for (let shard = 0; shard < this.options.shardCount && !this.stopped; shard++) {
      const claim = this.view.groupShard(shard);
      const mine = this.claims.has(shard);
      const chosen = chosenReplica(shard, replicas) === me;
      const ourRevision = this.claims.get(shard) ?? 0;
      const gone =
        (claim !== undefined && claim.replicaId !== me) ||
        // Absent in a view that has seen our claim: it expired with a lease we still think
        // we hold. (A view older than the claim has simply not caught up yet.)
        (claim === undefined && this.view.revision >= ourRevision);
      if (mine && gone) {
        this.claims.delete(shard);
        this.coordinator.drop(shard);
        if (chosen && claim === undefined) await this.claim(shard);
      } else if (mine && !chosen) {
        await this.release(shard);
      } else if (!mine && chosen && claim === undefined) {
        await this.claim(shard);
      }
    }
  }

  private async claim(shard: number): Promise<void> {
    const lease = this.lease;
    if (lease === undefined) return;
    const ownerKey = keys.groupShardOwner(shard);
    const epochKey = keys.groupShardEpoch(shard);
    const epochKv = await this.store.get(epochKey);
    const stored = epochKv ? Number(Buffer.from(epochKv.value).toString('utf8')) : 0;
    const epoch = (isInt(stored) ? stored : 0) + 1;
    const result = await this.store.txn(
      [
        { key: ownerKey, target: 'version', op: '=', value: 0 },
        { key: epochKey, target: 'modRevision', op: '=', value: epochKv?.modRevision ?? 0 },
      ],
      [
        {
          type: 'put',
          key: ownerKey,
          value: encodeShardClaim({
            replicaId: this.options.replicaId,
            address: this.options.address,
            epoch,
          }),
          lease: lease.id,
        },
        { type: 'put', key: epochKey, value: Buffer.from(String(epoch)) },
      ],
    );
    if (!result.succeeded) return; // another replica moved first; the view will say who
    this.claims.set(shard, result.revision);
    try {
      await this.coordinator.load({ shard, ownerKey, createRevision: result.revision });
    } catch (error) {
      this.options.onError?.(error);
      await this.release(shard);
    }
  }

  /** Hands a shard back: stop serving it, let its writes finish, then delete the claim. */
  private async release(shard: number): Promise<void> {
    const createRevision = this.claims.get(shard);
    if (createRevision === undefined) return;
    this.claims.delete(shard);
    this.coordinator.drop(shard);
    await this.writer.drain();
    const ownerKey = keys.groupShardOwner(shard);
    await this.store
      .txn(
        [{ key: ownerKey, target: 'createRevision', op: '=', value: createRevision }],
        [{ type: 'delete', key: ownerKey }],
      )
      .catch((error: unknown) => this.options.onError?.(error));
  }
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  return [address.slice(0, at), Number.isInteger(port) && port > 0 && port < 65536 ? port : 1];
}
