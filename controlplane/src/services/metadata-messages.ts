/**
 * The WatchMetadata messages, built from the metadata view: a partition's storage node is
 * its current owner when claimed (with the owner's epoch as leader epoch), else the node it
 * is assigned to (leader epoch -1), else none.
 */
import { create } from '@bufbuild/protobuf';
import {
  WatchMetadataResponseSchema,
  type WatchMetadataResponse,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import {
  EdgeListenerSchema,
  EdgeNodeSchema,
  GroupShardSchema,
  MetadataSnapshotSchema,
  MetadataUpdateSchema,
  PartitionAssignmentSchema,
  StorageNodeSchema,
  TopicPartitionAssignmentsSchema,
  TopicSchema,
  type EdgeNode,
  type GroupShard,
  type PartitionAssignment,
  type StorageNode,
  type Topic,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/metadata_pb.js';
import {
  edgeBrokerId,
  topicIdToBytes,
  type NodeRecord,
} from '../../../lib/metadata/topic-records.js';
import type { ShardClaim } from '../groups/group-record.js';
import { clientQuotaMessage } from '../../../lib/quota/quota-messages.js';
import { clientQuotaOf } from '../quotas/client-quota-message.js';
import { scramUserMessage } from '../scram/scram-user-message.js';
import type { ChangeSet } from '../metadata-view/change-set.js';
import type { MetadataView, TopicEntry } from '../metadata-view/metadata-view.js';

export function partitionAssignment(
  view: MetadataView,
  topicId: string,
  partition: number,
): PartitionAssignment {
  const owner = view.owner(topicId, partition);
  return create(PartitionAssignmentSchema, {
    partition,
    storageNodeId: owner?.owner ?? view.assignedNode(topicId, partition) ?? '',
    leaderEpoch: owner?.epoch ?? -1,
  });
}

export function topicMessage(view: MetadataView, entry: TopicEntry): Topic {
  const { topicId, name, partitions, configs } = entry.record;
  return create(TopicSchema, {
    topicId: topicIdToBytes(topicId),
    name,
    partitionCount: partitions,
    configs: { ...configs },
    partitions: Array.from({ length: partitions }, (_, p) => partitionAssignment(view, topicId, p)),
  });
}

/** Undefined for an edge whose id is not a Kafka broker id (it cannot be advertised). */
export function edgeMessage(node: NodeRecord): EdgeNode | undefined {
  const nodeId = edgeBrokerId(node.id);
  if (nodeId === undefined) return undefined;
  return create(EdgeNodeSchema, {
    nodeId,
    host: node.host,
    port: node.port,
    rack: node.rack ?? '',
    listeners: (node.listeners ?? []).map((l) => create(EdgeListenerSchema, l)),
  });
}

export function storageNodeMessage(node: NodeRecord): StorageNode {
  return create(StorageNodeSchema, { nodeId: node.id, host: node.host, port: node.port });
}

export function groupShardMessage(shard: number, claim: ShardClaim): GroupShard {
  return create(GroupShardSchema, {
    shard,
    replicaId: claim.replicaId,
    address: claim.address,
    epoch: BigInt(claim.epoch),
  });
}

export function snapshotMessage(view: MetadataView, clusterId: string): WatchMetadataResponse {
  return create(WatchMetadataResponseSchema, {
    revision: BigInt(view.revision),
    event: {
      case: 'snapshot',
      value: create(MetadataSnapshotSchema, {
        clusterId,
        topics: view.topics().map((t) => topicMessage(view, t)),
        edges: view.edges().flatMap((e) => edgeMessage(e) ?? []),
        storageNodes: view.storageNodes().map(storageNodeMessage),
        groupShardCount: view.groupShardCount(),
        groupShards: view.groupShards().map(([shard, claim]) => groupShardMessage(shard, claim)),
        scramUsers: view.scramUserNames().map((name) => scramUserMessage(view, name)),
        clientQuotas: view.clientQuotas().map((q) => clientQuotaMessage(q.entity, q.values)),
      }),
    },
  });
}

/** The update for `changes` as the view now stands; undefined when nothing is left to say. */
export function updateMessage(
  view: MetadataView,
  changes: ChangeSet,
): WatchMetadataResponse | undefined {
  const update = create(MetadataUpdateSchema);
  for (const topicId of [...changes.topics].sort()) {
    const entry = view.topicById(topicId);
    if (entry === undefined) update.deletedTopicIds.push(topicIdToBytes(topicId));
    else update.topics.push(topicMessage(view, entry));
  }
  for (const [topicId, partitions] of changes.partitions) {
    if (changes.topics.has(topicId)) continue; // sent whole (or deleted) above
    const entry = view.topicById(topicId);
    if (entry === undefined) continue; // not a topic the watcher knows; it will come whole
    const count = entry.record.partitions;
    const ps = [...partitions].filter((p) => p < count).sort((a, b) => a - b);
    if (ps.length === 0) continue;
    update.partitionAssignments.push(
      create(TopicPartitionAssignmentsSchema, {
        topicId: topicIdToBytes(topicId),
        partitions: ps.map((p) => partitionAssignment(view, topicId, p)),
      }),
    );
  }
  for (const id of [...changes.edges].sort()) {
    const nodeId = edgeBrokerId(id);
    if (nodeId === undefined) continue;
    const node = view.edge(id);
    const message = node && edgeMessage(node);
    if (message === undefined) update.removedEdgeIds.push(nodeId);
    else update.edges.push(message);
  }
  for (const id of [...changes.storageNodes].sort()) {
    const node = view.storageNode(id);
    if (node === undefined) update.removedStorageNodeIds.push(id);
    else update.storageNodes.push(storageNodeMessage(node));
  }
  for (const shard of [...changes.groupShards].sort((a, b) => a - b)) {
    const claim = view.groupShard(shard);
    if (claim === undefined) update.releasedGroupShards.push(shard);
    else update.groupShards.push(groupShardMessage(shard, claim));
  }
  for (const name of [...changes.scramUsers].sort())
    update.scramUsers.push(scramUserMessage(view, name));
  for (const path of [...changes.clientQuotas].sort()) {
    const quota = clientQuotaOf(view, path);
    if (quota !== undefined) update.clientQuotas.push(quota);
  }
  const empty =
    update.clientQuotas.length === 0 &&
    update.scramUsers.length === 0 &&
    update.releasedGroupShards.length === 0 &&
    update.groupShards.length === 0 &&
    update.deletedTopicIds.length === 0 &&
    update.topics.length === 0 &&
    update.partitionAssignments.length === 0 &&
    update.removedEdgeIds.length === 0 &&
    update.edges.length === 0 &&
    update.removedStorageNodeIds.length === 0 &&
    update.storageNodes.length === 0;
  if (empty) return undefined;
  return create(WatchMetadataResponseSchema, {
    revision: BigInt(view.revision),
    event: { case: 'update', value: update },
  });
}
