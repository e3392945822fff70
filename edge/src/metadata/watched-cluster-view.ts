/**
 * The edge's cluster view fed by the controlplane's WatchMetadata stream: a full snapshot
 * first, then updates (group shards: released ones are removed, then claimed ones set). Handlers read it without waiting; when the stream breaks, the last
 * view stays in use and the watch reconnects with backoff, starting again from a snapshot.
 */
import type { Client } from '@connectrpc/connect';
import type {
  ControlPlaneService,
  WatchMetadataResponse,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import type {
  EdgeNode,
  GroupShard,
  PartitionAssignment,
  Topic,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/metadata_pb.js';
import type { Logger } from '../../../lib/log/logger.js';
import { topicIdText } from '../../../lib/metadata/topic-records.js';
import { ClientQuotaCache } from '../quota/client-quota-cache.js';
import { ScramCredentialCache } from '../security/scram-credential-cache.js';
import type {
  AdvertisedBroker,
  ClusterView,
  GroupShardHolder,
  PartitionView,
  TopicView,
} from '../cluster-view.js';

export interface StorageNodeAddress {
  readonly host: string;
  readonly port: number;
}

function partitionView(p: PartitionAssignment): PartitionView {
  return {
    index: p.partition,
    storageNodeId: p.storageNodeId === '' ? undefined : p.storageNodeId,
    leaderEpoch: p.leaderEpoch,
  };
}

function topicView(t: Topic): TopicView {
  const partitions: PartitionView[] = Array.from({ length: t.partitionCount }, (_, index) => ({
    index,
    storageNodeId: undefined,
    leaderEpoch: -1,
  }));
  for (const p of t.partitions)
    if (p.partition >= 0 && p.partition < partitions.length)
      partitions[p.partition] = partitionView(p);
  return { name: t.name, topicId: topicIdText(t.topicId), partitions, configs: { ...t.configs } };
}

function edgeBroker(n: EdgeNode): AdvertisedBroker {
  return {
    nodeId: n.nodeId,
    host: n.host,
    port: n.port,
    rack: n.rack === '' ? null : n.rack,
    ...(n.listeners.length === 0
      ? {}
      : { listeners: n.listeners.map((l) => ({ name: l.name, host: l.host, port: l.port })) }),
  };
}

function shardHolder(g: GroupShard): GroupShardHolder {
  return { replicaId: g.replicaId, address: g.address, epoch: g.epoch };
}

export class WatchedClusterView implements ClusterView {
  clusterId = '';
  private readonly byName = new Map<string, TopicView>();
  private readonly byId = new Map<string, TopicView>();
  private readonly edgeNodes = new Map<number, AdvertisedBroker>();
  private readonly storage = new Map<string, StorageNodeAddress>();
  private shardCount = 0;
  private readonly shardHolders = new Map<number, GroupShardHolder>();
  private revision = -1n;
  /** The SCRAM credentials the stream carries (SASL listeners authenticate with them). */
  readonly scram = new ScramCredentialCache();
  /** The client quotas the stream carries (the edge enforces them). */
  readonly quotas = new ClientQuotaCache();
  private stopped = false;
  private readonly abort = new AbortController();
  private readyResolve: (() => void) | undefined;
  /** Resolves once the first snapshot has been applied. */
  readonly ready: Promise<void>;

  constructor(
    private readonly me: AdvertisedBroker,
    private readonly client: Client<typeof ControlPlaneService>,
    private readonly watcherId: string,
    private readonly log: Logger,
  ) {
    this.ready = new Promise((resolve) => {
      this.readyResolve = resolve;
    });
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (!this.stopped) {
      try {
        for await (const event of this.client.watchMetadata(
          { watcherId: this.watcherId },
          { signal: this.abort.signal },
        )) {
          this.apply(event);
          backoffMs = 100;
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.log.warn({ err }, 'metadata watch broke; reconnecting');
      }
      await new Promise((r) => setTimeout(r, backoffMs));
      backoffMs = Math.min(5000, backoffMs * 2);
    }
  }

  /** Applies one event of the stream (exposed for tests). */
  apply(event: WatchMetadataResponse): void {
    const e = event.event;
    if (e.case === 'snapshot') {
      this.clusterId = e.value.clusterId;
      this.byName.clear();
      this.byId.clear();
      this.edgeNodes.clear();
      this.storage.clear();
      for (const t of e.value.topics) this.setTopic(topicView(t));
      for (const n of e.value.edges) this.edgeNodes.set(n.nodeId, edgeBroker(n));
      this.scram.replaceAll(e.value.scramUsers);
      this.quotas.replaceAll(e.value.clientQuotas);
      for (const n of e.value.storageNodes)
        this.storage.set(n.nodeId, { host: n.host, port: n.port });
      this.shardCount = e.value.groupShardCount;
      this.shardHolders.clear();
      for (const g of e.value.groupShards) this.shardHolders.set(g.shard, shardHolder(g));
      this.readyResolve?.();
    } else if (e.case === 'update') {
      const u = e.value;
      for (const id of u.deletedTopicIds) this.deleteTopic(topicIdText(id));
      for (const t of u.topics) this.setTopic(topicView(t));
      for (const a of u.partitionAssignments) {
        const existing = this.byId.get(topicIdText(a.topicId));
        if (existing === undefined) continue;
        const partitions = [...existing.partitions];
        for (const p of a.partitions)
          if (p.partition >= 0 && p.partition < partitions.length)
            partitions[p.partition] = partitionView(p);
        this.setTopic({ ...existing, partitions });
      }
      for (const id of u.removedEdgeIds) this.edgeNodes.delete(id);
      for (const n of u.edges) this.edgeNodes.set(n.nodeId, edgeBroker(n));
      for (const user of u.scramUsers) this.scram.setUser(user);
      for (const quota of u.clientQuotas) this.quotas.setEntity(quota);
      for (const id of u.removedStorageNodeIds) this.storage.delete(id);
      for (const n of u.storageNodes) this.storage.set(n.nodeId, { host: n.host, port: n.port });
      for (const shard of u.releasedGroupShards) this.shardHolders.delete(shard);
      for (const g of u.groupShards) this.shardHolders.set(g.shard, shardHolder(g));
    }
    this.revision = event.revision;
  }

  private setTopic(t: TopicView): void {
    const old = this.byId.get(t.topicId);
    if (old !== undefined && old.name !== t.name) this.byName.delete(old.name);
    this.byName.set(t.name, t);
    this.byId.set(t.topicId, t);
  }

  private deleteTopic(topicId: string): void {
    const old = this.byId.get(topicId);
    if (old === undefined) return;
    this.byId.delete(topicId);
    if (this.byName.get(old.name) === old) this.byName.delete(old.name);
  }

  get lastRevision(): bigint {
    return this.revision;
  }

  self(): AdvertisedBroker {
    return this.me;
  }

  edges(): readonly AdvertisedBroker[] {
    const all = new Map(this.edgeNodes);
    all.set(this.me.nodeId, this.me);
    return [...all.values()].sort((a, b) => a.nodeId - b.nodeId);
  }

  /** How many edges are live, this one included, without building the list. */
  liveEdgeCount(): number {
    return this.edgeNodes.size + (this.edgeNodes.has(this.me.nodeId) ? 0 : 1);
  }

  topic(name: string): TopicView | undefined {
    return this.byName.get(name);
  }

  topicById(topicId: string): TopicView | undefined {
    return this.byId.get(topicId);
  }

  topics(): readonly TopicView[] {
    return [...this.byName.values()];
  }

  groupShardCount(): number {
    return this.shardCount;
  }

  groupShardHolder(shard: number): GroupShardHolder | undefined {
    return this.shardHolders.get(shard);
  }

  storageNode(id: string): StorageNodeAddress | undefined {
    return this.storage.get(id);
  }

  /** The live storage nodes' ids, sorted. */
  storageNodeIds(): readonly string[] {
    return [...this.storage.keys()].sort();
  }
}
