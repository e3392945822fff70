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

export const keys = {
  clusterId: () => `${ROOT}cluster/id`,
  topicsPrefix: () => `${ROOT}topics/`,
  topic: (name: string) => `${ROOT}topics/${name}`,
  storageNodesPrefix: () => `${ROOT}nodes/storage/`,
  storageNode: (id: string) => `${ROOT}nodes/storage/${id}`,
  edgesPrefix: () => `${ROOT}nodes/edge/`,
  edge: (id: string) => `${ROOT}nodes/edge/${id}`,
  controlplaneLeader: () => `${ROOT}controlplane/leader`,
  assignmentsPrefix: () => `${ROOT}assign/`,
  topicAssignmentsPrefix: (topicId: string) => `${ROOT}assign/${topicId}/`,
  assignment: (topicId: string, partition: number) => `${ROOT}assign/${topicId}/${partition}`,
  partitionsPrefix: () => `${ROOT}part/`,
  partitionPrefix: (topicId: string, partition: number) => `${ROOT}part/${topicId}/${partition}/`,
  partitionState: (topicId: string, partition: number) =>
    `${ROOT}part/${topicId}/${partition}/state`,
  partitionOwner: (topicId: string, partition: number) =>
    `${ROOT}part/${topicId}/${partition}/owner`,
  indexPrefix: (topicId: string, partition: number) => `${ROOT}part/${topicId}/${partition}/idx/`,
  indexEntry: (topicId: string, partition: number, baseOffset: bigint) =>
    `${ROOT}part/${topicId}/${partition}/idx/${padOffset(baseOffset)}`,
  objectRecord: (objectKey: string) => `${ROOT}objects/${objectKey}`,
} as const;
