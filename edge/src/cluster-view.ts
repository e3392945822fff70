/**
 * What the edge knows of the cluster: the brokers it advertises and the topics that exist.
 * Until the controlplane's watch stream feeds it, the edge advertises itself alone and
 * knows no topics.
 */
export interface AdvertisedBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface TopicView {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: readonly {
    readonly index: number;
    readonly leaderNodeId: number;
    readonly leaderEpoch: number;
  }[];
}

export interface ClusterView {
  readonly clusterId: string;
  /** The node id of the broker clients treat as controller. */
  readonly controllerId: number;
  brokers(): readonly AdvertisedBroker[];
  topic(name: string): TopicView | undefined;
  topics(): readonly TopicView[];
}

/** A view of one edge and no topics: all there is before storage and the controlplane exist. */
export function singleEdgeView(self: AdvertisedBroker, clusterId: string): ClusterView {
  return {
    clusterId,
    controllerId: self.nodeId,
    brokers: () => [self],
    topic: () => undefined,
    topics: () => [],
  };
}
