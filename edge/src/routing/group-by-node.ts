/**
 * Groups the partitions of one Kafka request by the storage node that owns them, so that a
 * request touching many partitions costs one call per node, not one per partition.
 * Partitions whose topic or owner is unknown come back separately with their error.
 */
import type { TopicView } from '../cluster-view.js';

export interface Located<T> {
  readonly item: T;
  readonly topic: TopicView;
  readonly partition: number;
  readonly leaderEpoch: number;
}

export function groupByNode<T>(
  items: readonly T[],
  locate: (item: T) => { topic: TopicView | undefined; partition: number },
): { byNode: Map<string, Located<T>[]>; unknownTopic: T[]; noOwner: T[] } {
  const byNode = new Map<string, Located<T>[]>();
  const unknownTopic: T[] = [];
  const noOwner: T[] = [];
  for (const item of items) {
    const { topic, partition } = locate(item);
    if (topic === undefined) {
      unknownTopic.push(item);
      continue;
    }
    const p = topic.partitions[partition];
    if (p === undefined) {
      unknownTopic.push(item);
      continue;
    }
    if (p.storageNodeId === undefined) {
      noOwner.push(item);
      continue;
    }
    const list = byNode.get(p.storageNodeId) ?? [];
    list.push({ item, topic, partition, leaderEpoch: p.leaderEpoch });
    byNode.set(p.storageNodeId, list);
  }
  return { byNode, unknownTopic, noOwner };
}
