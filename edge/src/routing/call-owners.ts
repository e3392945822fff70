/**
 * The shape every per-partition storage call of the edge shares (ListOffsets,
 * DeleteRecords, OffsetForLeaderEpoch, DescribeProducers): the partitions are grouped by
 * the storage node that owns them, one call goes to each node, and whatever cannot be
 * asked becomes the Kafka error: UNKNOWN_TOPIC_OR_PARTITION for a topic or partition this
 * edge does not know, LEADER_NOT_AVAILABLE while no node owns it, NOT_LEADER_OR_FOLLOWER
 * for an unknown node or a failed call (the client refreshes metadata and retries). A call
 * that any storage node can answer from committed data (`anyNode`) goes instead, for such
 * partitions, to another live node (committed-reader.ts).
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { ClusterView } from '../cluster-view.js';
import { committedReader } from './committed-reader.js';
import { groupByNode, type Located } from './group-by-node.js';
import type { StorageClient, StorageClients } from './storage-clients.js';

export interface OwnerCall<T, R> {
  /** The topic name and partition index an item is about. */
  readonly locate: (item: T) => { readonly topicName: string; readonly partition: number };
  /** One call to a node for its items; results in the items' order. */
  readonly call: (client: StorageClient, located: readonly Located<T>[]) => Promise<readonly R[]>;
  readonly onResult: (located: Located<T>, result: R) => void;
  readonly onError: (item: T, errorCode: number) => void;
  /** For the log line of a failed call. */
  readonly what: string;
  /** Any storage node can answer from committed data when the owner cannot. */
  readonly anyNode?: boolean;
}

export async function callOwners<T, R>(
  cluster: ClusterView,
  storage: StorageClients,
  items: readonly T[],
  spec: OwnerCall<T, R>,
  log: Logger,
): Promise<void> {
  const { byNode, unknownTopic, noOwner } = groupByNode(items, (item) => {
    const { topicName, partition } = spec.locate(item);
    return { topic: cluster.topic(topicName), partition };
  });
  for (const item of unknownTopic) spec.onError(item, KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
  const elsewhere: { located: Located<T>; avoid: string | undefined }[] = [];
  for (const item of noOwner) {
    const { topicName, partition } = spec.locate(item);
    const topic = cluster.topic(topicName);
    if (spec.anyNode === true && topic !== undefined)
      elsewhere.push({ located: { item, topic, partition, leaderEpoch: -1 }, avoid: undefined });
    else spec.onError(item, KafkaError.LEADER_NOT_AVAILABLE);
  }
  /** Asks one node; false when it is unknown or the call failed. */
  const ask = async (nodeId: string, located: readonly Located<T>[]): Promise<boolean> => {
    const client = storage.get(nodeId);
    if (client === undefined) return false;
    try {
      const results = await spec.call(client, located);
      located.forEach((l, i) => {
        const r = results[i];
        if (r === undefined) spec.onError(l.item, KafkaError.UNKNOWN_SERVER_ERROR);
        else spec.onResult(l, r);
      });
      return true;
    } catch (err) {
      log.warn({ err, nodeId }, `${spec.what} on storage node failed`);
      return false;
    }
  };
  await Promise.all(
    [...byNode].map(async ([nodeId, located]) => {
      if (await ask(nodeId, located)) return;
      for (const l of located)
        if (spec.anyNode === true) elsewhere.push({ located: l, avoid: nodeId });
        else spec.onError(l.item, KafkaError.NOT_LEADER_OR_FOLLOWER);
    }),
  );
  const byReader = new Map<string, Located<T>[]>();
  for (const { located, avoid } of elsewhere) {
    const reader = committedReader(
      storage.nodeIds(),
      located.topic.topicId,
      located.partition,
      avoid,
    );
    if (reader === undefined)
      spec.onError(
        located.item,
        avoid === undefined ? KafkaError.LEADER_NOT_AVAILABLE : KafkaError.NOT_LEADER_OR_FOLLOWER,
      );
    else byReader.set(reader, [...(byReader.get(reader) ?? []), located]);
  }
  await Promise.all(
    [...byReader].map(async ([nodeId, located]) => {
      if (await ask(nodeId, located)) return;
      for (const l of located) spec.onError(l.item, KafkaError.NOT_LEADER_OR_FOLLOWER);
    }),
  );
}
