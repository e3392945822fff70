/** docs/api-status.md as the edge's handler registry makes it true. */
import { renderApiStatus, type AdvertisedRange } from '../../lib/kafka/api-status.js';
import { FixedStorageClients } from './routing/storage-clients.js';
import { StaticClusterView } from './cluster-view.js';
import { buildRegistry } from './edge.js';

export function currentApiStatus(): string {
  const registry = buildRegistry(
    new StaticClusterView('docs', { nodeId: 0, host: 'localhost', port: 9092, rack: null }),
    new FixedStorageClients(new Map()),
  );
  const advertised = new Map<number, AdvertisedRange>(
    registry
      .all()
      .map((h) => [h.api.apiKey, { minVersion: h.minVersion, maxVersion: h.maxVersion }]),
  );
  return renderApiStatus(advertised);
}
