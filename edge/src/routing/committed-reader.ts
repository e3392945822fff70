/**
 * Which storage node reads a partition's committed data when its owner cannot (none, or
 * unknown to this edge, or failing): any live node can (it reads the partition's index from
 * etcd), and the same partition goes to the same node each time, so that node's cache and
 * index snapshot stay useful. `avoid` is the node that just failed.
 */
export function committedReader(
  nodeIds: readonly string[],
  topicId: string,
  partition: number,
  avoid: string | undefined,
): string | undefined {
  const candidates = nodeIds.filter((id) => id !== avoid);
  if (candidates.length === 0) return undefined;
  let hash = 2166136261; // FNV-1a over "topicId/partition"
  for (const ch of `${topicId}/${partition}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return candidates[hash % candidates.length];
}
