/**
 * Registers an edge under `nodes/edge/<brokerId>` with its lease, so that Metadata on
 * every edge lists it. Without KAFSCALE_EDGE_ID the edge takes the lowest free id with a
 * compare-and-swap, so two edges starting together never share one.
 */
import { keys } from '../../metadata/keys.js';
import { encodeNodeRecord, type NodeRegistration } from '../../metadata/topic-records.js';
import type { Lease, MetadataStore } from '../../stores/metadata-store.js';

const MAX_EDGES = 10_000;

export async function registerEdge(
  store: MetadataStore,
  lease: Lease,
  wanted: number | undefined,
  registration: NodeRegistration,
): Promise<number> {
  const candidates =
    wanted === undefined ? Array.from({ length: MAX_EDGES }, (_, i) => i) : [wanted];
  for (const id of candidates) {
    const key = keys.edge(String(id));
    const record = encodeNodeRecord({ id: String(id), ...registration, startedAtMs: Date.now() });
    const result = await store.txn(
      [{ key, target: 'version', op: '=', value: 0 }],
      [{ type: 'put', key, value: record, lease: lease.id }],
    );
    if (result.succeeded) return id;
  }
  throw new Error(
    wanted === undefined
      ? `no free edge id below ${MAX_EDGES}`
      : `edge id ${wanted} is already registered by a live edge`,
  );
}
