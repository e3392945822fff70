/**
 * The shape every per-partition storage call of the edge shares (ListOffsets,
 * DeleteRecords, OffsetForLeaderEpoch, DescribeProducers): the partitions are grouped by
 * the storage node that owns them, one call goes to each node, and whatever cannot be
 * asked becomes the Kafka error: UNKNOWN_TOPIC_OR_PARTITION for a topic or partition this
 * edge does not know, LEADER_NOT_AVAILABLE while no node owns it, NOT_LEADER_OR_FOLLOWER
 * for an unknown node or a failed call (the client refreshes metadata and retries).
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { ClusterView } from '../cluster-view.js';
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
  for (const item of noOwner) spec.onError(item, KafkaError.LEADER_NOT_AVAILABLE);
  await Promise.all(
    [...byNode].map(async ([nodeId, located]) => {
      const client = storage.get(nodeId);
      if (client === undefined) {
        for (const l of located) spec.onError(l.item, KafkaError.NOT_LEADER_OR_FOLLOWER);
        return;
      }
      try {
        const results = await spec.call(client, located);
        located.forEach((l, i) => {
          const r = results[i];
          if (r === undefined) spec.onError(l.item, KafkaError.UNKNOWN_SERVER_ERROR);
          else spec.onResult(l, r);
        });
      } catch (err) {
        log.warn({ err, nodeId }, `${spec.what} on storage node failed`);
        for (const l of located) spec.onError(l.item, KafkaError.NOT_LEADER_OR_FOLLOWER);
      }
    }),
  );
}
