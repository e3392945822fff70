/**
 * What an edge knows of the cluster, fed by the controlplane's metadata watch: the live
 * edges (advertised to clients as brokers), the topics with each partition's owning
 * storage node and leader epoch, and where storage nodes listen. Handlers read it on every
 * request; it never makes a call itself.
 */
export interface AdvertisedBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
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

export interface ClusterView {
  readonly clusterId: string;
  /** This edge, as clients reach it. */
  self(): AdvertisedBroker;
  /** Every live edge, this one included. */
  edges(): readonly AdvertisedBroker[];
  topic(name: string): TopicView | undefined;
  topicById(topicId: string): TopicView | undefined;
  topics(): readonly TopicView[];
}

/** A fixed view, for an edge without a controlplane (tests, docs). */
export class StaticClusterView implements ClusterView {
  private readonly byName = new Map<string, TopicView>();
  private readonly byId = new Map<string, TopicView>();

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
}
