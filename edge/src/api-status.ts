/** docs/api-status.md as the edge's handler registry makes it true. */
import { renderApiStatus, type AdvertisedRange } from '../../lib/kafka/api-status.js';
import { singleEdgeView } from './cluster-view.js';
import { buildRegistry } from './edge.js';

export function currentApiStatus(): string {
  const registry = buildRegistry(
    singleEdgeView({ nodeId: 0, host: 'localhost', port: 9092, rack: null }, 'docs'),
  );
  const advertised = new Map<number, AdvertisedRange>(
    registry
      .all()
      .map((h) => [h.api.apiKey, { minVersion: h.minVersion, maxVersion: h.maxVersion }]),
  );
  return renderApiStatus(advertised);
}
