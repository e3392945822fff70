/**
 * Rendezvous (highest-random-weight) hashing: picks the edge that clients are told leads
 * a partition, so that client load spreads over edges and moves only for the partitions
 * of an edge that joins or leaves. Any edge can serve any partition; this only decides
 * what Metadata advertises.
 */
import { createHash } from 'node:crypto';
import type { AdvertisedBroker } from '../cluster-view.js';

function weight(key: string, nodeId: number): bigint {
  return createHash('sha1').update(`${key}#${nodeId}`).digest().readBigUInt64BE(0);
}

export function rendezvousPick(
  key: string,
  edges: readonly AdvertisedBroker[],
): AdvertisedBroker | undefined {
  let best: AdvertisedBroker | undefined;
  let bestWeight = -1n;
  for (const e of edges) {
    const w = weight(key, e.nodeId);
    if (w > bestWeight || (w === bestWeight && best !== undefined && e.nodeId < best.nodeId)) {
      best = e;
      bestWeight = w;
    }
  }
  return best;
}
