/**
 * Which shard a consumer group belongs to. Edges (to route a group's requests) and
 * controlplane replicas (to know which groups they coordinate) must agree on it, so both
 * use this one function: FNV-1a (32 bit) over the group id's UTF-8 bytes, modulo the
 * cluster's shard count. The shard count is fixed when the cluster is first started
 * (`cluster/group-shards` in etcd), so a group never changes shard.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function groupShardOf(groupId: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1)
    throw new RangeError(`group shard count must be a positive integer, got ${shardCount}`);
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(groupId, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash % shardCount;
}
