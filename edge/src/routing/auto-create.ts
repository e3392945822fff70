/**
 * Auto-creation of topics a client asks Metadata for (KAFSCALE_AUTO_CREATE_TOPICS): asks
 * the controlplane to create them with the default partition count, then waits briefly for
 * this edge's view to show them, so the same Metadata response can describe them.
 */
import type { ClusterView } from '../cluster-view.js';
import type { AutoCreate } from '../handlers/03-metadata.js';
import { awaitTopics } from './await-topics.js';
import type { ControlPlaneClient } from './controlplane-client.js';

const CREATE_TIMEOUT_MS = 5000;
const SHOW_TIMEOUT_MS = 1000;

export function autoCreateVia(controlplane: ControlPlaneClient, cluster: ClusterView): AutoCreate {
  return async (names) => {
    const res = await controlplane.createTopics(
      {
        validateOnly: false,
        timeoutMs: CREATE_TIMEOUT_MS,
        topics: names.map((name) => ({
          name,
          numPartitions: -1,
          replicationFactor: -1,
          configs: {},
        })),
      },
      { timeoutMs: CREATE_TIMEOUT_MS },
    );
    const codes = new Map(res.topics.map((r) => [r.name, r.errorCode]));
    const ok = names.filter((n) => codes.get(n) === 0);
    await awaitTopics(cluster, ok, true, SHOW_TIMEOUT_MS);
    return codes;
  };
}
