/**
 * Every etcd key Kafscale writes, in one place (docs/storage.md, "Keys in etcd").
 * Topic ids appear in keys in their base64url text form; offsets are zero-padded so that
 * key order is offset order.
 */

export const ROOT = '/kafscale/';

const OFFSET_DIGITS = 20;

export function padOffset(offset: bigint): string {
  if (offset < 0n) throw new RangeError(`negative offset ${offset} in a key`);
  return offset.toString().padStart(OFFSET_DIGITS, '0');
}

/** A group id in a key: any string is a valid group id, so `/` and `%` are escaped. */
export function groupKey(groupId: string): string {
  return encodeURIComponent(groupId);
}

export const keys = {
  clusterId: () => `${ROOT}cluster/id`,
  topicsPrefix: () => `${ROOT}topics/`,
  topic: (name: string) => `${ROOT}topics/${name}`,
  storageNodesPrefix: () => `${ROOT}nodes/storage/`,
  storageNode: (id: string) => `${ROOT}nodes/storage/${id}`,
  edgesPrefix: () => `${ROOT}nodes/edge/`,
  edge: (id: string) => `${ROOT}nodes/edge/${id}`,
  controlplaneLeader: () => `${ROOT}controlplane/leader`,
  controlplaneReplicasPrefix: () => `${ROOT}nodes/controlplane/`,
  controlplaneReplica: (id: string) => `${ROOT}nodes/controlplane/${id}`,
  groupShardCount: () => `${ROOT}cluster/group-shards`,
  /** The first producer id not yet handed to any controlplane replica (decimal text). */
  producerIdNext: () => `${ROOT}producer-ids/next`,
  groupShardsPrefix: () => `${ROOT}group-shards/`,
  groupShardOwner: (shard: number) => `${ROOT}group-shards/${shard}/owner`,
  groupShardEpoch: (shard: number) => `${ROOT}group-shards/${shard}/epoch`,
  /** Every group of a shard: its state key and its committed offsets. */
  shardGroupsPrefix: (shard: number) => `${ROOT}groups/${shard}/`,
  groupPrefix: (shard: number, groupId: string) => `${ROOT}groups/${shard}/${groupKey(groupId)}/`,
  groupState: (shard: number, groupId: string) =>
    `${ROOT}groups/${shard}/${groupKey(groupId)}/state`,
  groupOffset: (shard: number, groupId: string, topic: string, partition: number) =>
    `${ROOT}groups/${shard}/${groupKey(groupId)}/offsets/${topic}/${partition}`,
  assignmentsPrefix: () => `${ROOT}assign/`,
  topicAssignmentsPrefix: (topicId: string) => `${ROOT}assign/${topicId}/`,
  assignment: (topicId: string, partition: number) => `${ROOT}assign/${topicId}/${partition}`,
  /** An operator's pin of a partition to a storage node (MovePartition). */
  pinsPrefix: () => `${ROOT}pins/`,
  pin: (topicId: string, partition: number) => `${ROOT}pins/${topicId}/${partition}`,
  /** A storage node that an operator drained: the planner gives it no partitions. */
  drainsPrefix: () => `${ROOT}drains/`,
  drain: (nodeId: string) => `${ROOT}drains/${nodeId}`,
  partitionsPrefix: () => `${ROOT}part/`,
  partitionPrefix: (topicId: string, partition: number) => `${ROOT}part/${topicId}/${partition}/`,
  partitionState: (topicId: string, partition: number) =>
    `${ROOT}part/${topicId}/${partition}/state`,
  partitionOwner: (topicId: string, partition: number) =>
    `${ROOT}part/${topicId}/${partition}/owner`,
  /** The log start offset DeleteRecords moved (written by the owner, next to `state`). */
  partitionLogStart: (topicId: string, partition: number) =>
    `${ROOT}part/${topicId}/${partition}/start`,
  indexPrefix: (topicId: string, partition: number) => `${ROOT}part/${topicId}/${partition}/idx/`,
  indexEntry: (topicId: string, partition: number, baseOffset: bigint) =>
    `${ROOT}part/${topicId}/${partition}/idx/${padOffset(baseOffset)}`,
  objectRecordsPrefix: () => `${ROOT}objects/`,
  objectRecord: (objectKey: string) => `${ROOT}objects/${objectKey}`,
  topicPartitionsPrefix: (topicId: string) => `${ROOT}part/${topicId}/`,
  deletedTopicsPrefix: () => `${ROOT}deleted-topics/`,
  deletedTopic: (topicId: string) => `${ROOT}deleted-topics/${topicId}`,
  /** Every SCRAM credential: `scram/<user>/<mechanism>` (lib/metadata/scram-records.ts). */
  scramPrefix: () => `${ROOT}scram/`,
  /** One user's credential for one mechanism (SCRAM-SHA-256 or SCRAM-SHA-512). */
  scramCredential: (user: string, mechanism: string) =>
    `${ROOT}scram/${encodeURIComponent(user)}/${mechanism}`,
  /** Every client quota value: `quotas/<entity path>/<quota key>` (lib/metadata/quota-records.ts). */
  quotasPrefix: () => `${ROOT}quotas/`,
  /** One value of one client quota entity; `entityPath` comes from lib/quota/quota-entity.ts. */
  clientQuota: (entityPath: string, quotaKey: string) => `${ROOT}quotas/${entityPath}/${quotaKey}`,
  /** The storage node that runs the object sweep; attached to its lease. */
  sweeper: () => `${ROOT}lifecycle/sweeper`,
} as const;
