/**
 * What an edge knows of the cluster, fed by the controlplane's metadata watch: the live
 * edges (advertised to clients as brokers), the topics with each partition's owning
 * storage node and leader epoch, where storage nodes listen, and which controlplane
 * replica coordinates each group shard. Handlers read it on every request; it never makes
 * a call itself.
 */
export interface AdvertisedBroker {
  readonly nodeId: number;
  /** The first listener's advertised address (the edge's address when it has one listener). */
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  /** Every listener's advertised address, by listener name (routing/listener-address.ts). */
  readonly listeners?: readonly ListenerAddress[];
}

export interface ListenerAddress {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export interface PartitionView {
  readonly index: number;
  /** The storage node that owns the partition, if it is claimed or assigned. */
  readonly storageNodeId: string | undefined;
  /** The owner's epoch (Kafka leader epoch), or -1 when unknown. */
  readonly leaderEpoch: number;
}

export interface TopicView {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: readonly PartitionView[];
  readonly configs: Readonly<Record<string, string>>;
}

/** The controlplane replica that coordinates the consumer groups of one shard. */
export interface GroupShardHolder {
  readonly replicaId: string;
  /** Where its GroupCoordinatorService listens (host:port). */
  readonly address: string;
  /** Grows at every change of holder. */
  readonly epoch: bigint;
}

export interface ClusterView {
  readonly clusterId: string;
  /** This edge, as clients reach it. */
  self(): AdvertisedBroker;
  /** Every live edge, this one included. */
  edges(): readonly AdvertisedBroker[];
  topic(name: string): TopicView | undefined;
  topicById(topicId: string): TopicView | undefined;
  topics(): readonly TopicView[];
  /** How many group shards the cluster has, or 0 while it is not known. */
  groupShardCount(): number;
  /** The replica holding a group shard, or undefined while no replica does. */
  groupShardHolder(shard: number): GroupShardHolder | undefined;
}

/** A fixed view, for an edge without a controlplane (tests, docs). */
export class StaticClusterView implements ClusterView {
  private readonly byName = new Map<string, TopicView>();
  private readonly byId = new Map<string, TopicView>();
  private shardCount = 0;
  private readonly shardHolders = new Map<number, GroupShardHolder>();

  constructor(
    readonly clusterId: string,
    private readonly me: AdvertisedBroker,
    topics: readonly TopicView[] = [],
  ) {
    for (const t of topics) this.setTopic(t);
  }

  setTopic(t: TopicView): void {
    this.byName.set(t.name, t);
    this.byId.set(t.topicId, t);
  }

  /** Sets the group shard count and every shard's holder (none when `holders` has no entry). */
  setGroupShards(count: number, holders: ReadonlyMap<number, GroupShardHolder> = new Map()): void {
    this.shardCount = count;
    this.shardHolders.clear();
    for (const [shard, holder] of holders) this.shardHolders.set(shard, holder);
  }

  self(): AdvertisedBroker {
    return this.me;
  }

  edges(): readonly AdvertisedBroker[] {
    return [this.me];
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
}
