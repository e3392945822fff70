/**
 * Waits until the cluster view shows (or no longer shows) the named topics, so that a
 * client that creates a topic and produces to it at once finds it. Bounded by a deadline;
 * the view is fed by the controlplane's watch, so this is normally a few milliseconds.
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
