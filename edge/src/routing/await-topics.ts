/**
 * Waits until the cluster view shows (or no longer shows) the named topics, or shows
 * their partitions claimed, so that a client that creates a topic or partitions and
 * produces at once finds them writable. Bounded by a deadline; the view is fed by the
 * controlplane's watch, so this is normally a few milliseconds (a claim takes one etcd
 * transaction on the storage node).
 */
import type { ClusterView } from '../cluster-view.js';

export async function awaitTopics(
  cluster: ClusterView,
  names: readonly string[],
  present: boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (names.some((n) => (cluster.topic(n) !== undefined) !== present) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** True once the view shows `count` partitions of `name`, every one claimed by its owner. */
function writable(cluster: ClusterView, name: string, count: number): boolean {
  const partitions = cluster.topic(name)?.partitions;
  if (partitions === undefined || partitions.length < count) return false;
  return partitions.every((p) => p.storageNodeId !== undefined && p.leaderEpoch >= 0);
}

export async function awaitWritable(
  cluster: ClusterView,
  topics: readonly { readonly name: string; readonly count: number }[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (topics.some((t) => !writable(cluster, t.name, t.count)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
}
