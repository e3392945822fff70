/**
 * An in-memory view of the cluster kept from ONE watch of the whole `/kafscale/` prefix:
 * a listing first, then the watch from the listing's revision + 1, so the view moves from
 * one etcd revision to the next and never misses or reorders a change. If the watch stops
 * (history compacted, connection lost for good) the view lists again, replaces its state
 * and notifies a reset, and watches on from the new listing.
 *
 * Note: the startup listing carries every key under the prefix (index entries included);
 * only the keys the view follows are kept, the rest is dropped as soon as it is read.
 */
import { ROOT } from '../../../lib/metadata/keys.js';
import type { OwnerClaim } from '../../../lib/metadata/partition-records.js';
import type { NodeRecord } from '../../../lib/metadata/topic-records.js';
import type { ScramCredential } from '../../../lib/security/scram/scram-credential.js';
import type { MetadataStore, Watch, WatchEvent } from '../../../lib/stores/metadata-store.js';
import type { ShardClaim } from '../groups/group-record.js';
import { ChangeSet, type ViewChange } from './change-set.js';
import { ClusterState, type ClientQuotaEntry, type TopicEntry } from './cluster-state.js';

export type { ClientQuotaEntry, TopicEntry } from './cluster-state.js';

export interface MetadataViewOptions {
  /** Called when the watch fails and the view resynchronises (for logs). */
  readonly onError?: (error: Error) => void;
  /** Delay before listing again after a failed resync (default 1,000 ms). */
  readonly resyncDelayMs?: number;
}

export type ViewListener = (change: ViewChange) => void;

export class MetadataView {
  private state = new ClusterState();
  private currentRevision = 0;
  private watch: Watch | undefined;
  private readonly listeners = new Set<ViewListener>();
  private stopped = false;
  private resyncTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly store: MetadataStore,
    private readonly options: MetadataViewOptions,
  ) {}

  /** Lists the prefix and starts watching it; resolves once the view holds the listing. */
  static async start(
    store: MetadataStore,
    options: MetadataViewOptions = {},
  ): Promise<MetadataView> {
    const view = new MetadataView(store, options);
    await view.sync(false);
    return view;
  }

  /** The etcd revision the view reflects. */
  get revision(): number {
    return this.currentRevision;
  }

  /** Every topic, in name order. */
  topics(): TopicEntry[] {
    return [...this.state.topicsByName.values()].sort((a, b) =>
      a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0,
    );
  }

  topicById(topicId: string): TopicEntry | undefined {
    return this.state.topicsById.get(topicId);
  }

  topicByName(name: string): TopicEntry | undefined {
    return this.state.topicsByName.get(name);
  }

  /** The storage node `assign/<topicId>/<p>` names, if any. */
  assignedNode(topicId: string, partition: number): string | undefined {
    return this.state.assignments.get(topicId)?.get(partition);
  }

  /** Every assignment of a topic, by partition. */
  assignmentsOf(topicId: string): ReadonlyMap<number, string> {
    return this.state.assignments.get(topicId) ?? new Map<number, string>();
  }

  /** The current claim `part/<topicId>/<p>/owner`, if the partition is held. */
  owner(topicId: string, partition: number): OwnerClaim | undefined {
    return this.state.owners.get(topicId)?.get(partition);
  }

  /** Ids of topics that have assignments in etcd (possibly of topics that no longer exist). */
  assignedTopicIds(): string[] {
    return [...this.state.assignments.keys()];
  }

  /** Operators' pins of a topic's partitions: node id by partition. */
  pinsOf(topicId: string): ReadonlyMap<number, string> {
    return this.state.pins.get(topicId) ?? new Map<number, string>();
  }

  /** Ids of topics that have pins (possibly of topics that no longer exist). */
  pinnedTopicIds(): string[] {
    return [...this.state.pins.keys()];
  }

  /** Ids of drained storage nodes (live or not). */
  drainedNodes(): ReadonlySet<string> {
    return this.state.drained;
  }

  edge(id: string): NodeRecord | undefined {
    return this.state.edges.get(id);
  }

  storageNode(id: string): NodeRecord | undefined {
    return this.state.storageNodes.get(id);
  }

  /** Live edges, in id order. */
  edges(): NodeRecord[] {
    return sortedById(this.state.edges);
  }

  /** Live storage nodes, in id order. */
  storageNodes(): NodeRecord[] {
    return sortedById(this.state.storageNodes);
  }

  /** Live controlplane replicas, in id order. */
  controlplaneReplicas(): NodeRecord[] {
    return sortedById(this.state.controlplaneReplicas);
  }

  /** The cluster's group shard count, or 0 while `cluster/group-shards` is not written. */
  groupShardCount(): number {
    return this.state.groupShardCount;
  }

  /** The replica holding a group shard, if any. */
  groupShard(shard: number): ShardClaim | undefined {
    return this.state.groupShards.get(shard);
  }

  /** Every held group shard, in shard order. */
  groupShards(): [number, ShardClaim][] {
    return [...this.state.groupShards].sort((a, b) => a[0] - b[0]);
  }

  /** A user's SCRAM credentials by Kafka mechanism code (empty when it has none). */
  scramUser(name: string): ReadonlyMap<number, ScramCredential> {
    return this.state.scramUsers.get(name) ?? new Map<number, ScramCredential>();
  }

  /** Every user with a SCRAM credential, in name order. */
  scramUserNames(): string[] {
    return [...this.state.scramUsers.keys()].sort();
  }

  /** The client quota values of the entity with this path, if it has any. */
  clientQuota(path: string): ClientQuotaEntry | undefined {
    return this.state.clientQuotas.get(path);
  }

  /** Every entity with a client quota, in path order. */
  clientQuotas(): ClientQuotaEntry[] {
    return [...this.state.clientQuotas]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, entry]) => entry);
  }

  /** Calls `listener` after each change, synchronously with the view's update. */
  subscribe(listener: ViewListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer !== undefined) clearTimeout(this.resyncTimer);
    this.listeners.clear();
    const w = this.watch;
    this.watch = undefined;
    await w?.cancel();
  }

  private async sync(reset: boolean): Promise<void> {
    const listing = await this.store.list(ROOT);
    if (this.stopped) return;
    const state = new ClusterState();
    const ignored = new ChangeSet();
    for (const kv of listing.kvs) state.apply(kv.key, kv, ignored);
    this.state = state;
    this.currentRevision = listing.revision;
    let failed = false;
    const watch = await this.store.watch(ROOT, {
      fromRevision: listing.revision + 1,
      onEvents: (events, revision) => {
        if (!failed) this.onEvents(events, revision);
      },
      onError: (error) => {
        failed = true;
        this.onWatchError(error);
      },
    });
    if (this.isStopped()) {
      await watch.cancel();
      return;
    }
    this.watch = watch;
    if (reset) this.emit({ revision: this.currentRevision, reset: true, changes: new ChangeSet() });
  }

  private isStopped(): boolean {
    return this.stopped;
  }

  private onEvents(events: readonly WatchEvent[], revision: number): void {
    if (this.stopped || revision <= this.currentRevision) return;
    const changes = new ChangeSet();
    for (const e of events) {
      this.state.apply(
        e.type === 'put' ? e.kv.key : e.key,
        e.type === 'put' ? e.kv : undefined,
        changes,
      );
    }
    this.currentRevision = revision;
    if (!changes.isEmpty) this.emit({ revision, reset: false, changes });
  }

  private onWatchError(error: Error): void {
    if (this.stopped) return;
    this.options.onError?.(error);
    this.watch = undefined;
    const attempt = (): void => {
      this.resyncTimer = undefined;
      if (this.stopped) return;
      this.sync(true).catch((e: unknown) => {
        this.options.onError?.(e instanceof Error ? e : new Error(String(e)));
        if (!this.stopped) {
          this.resyncTimer = setTimeout(attempt, this.options.resyncDelayMs ?? 1000);
        }
      });
    };
    attempt();
  }

  private emit(change: ViewChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // One listener's failure must not stop the others or the view.
      }
    }
  }
}

function sortedById(map: ReadonlyMap<string, NodeRecord>): NodeRecord[] {
  return [...map.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
