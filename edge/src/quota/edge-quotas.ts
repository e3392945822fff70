/** The client quotas of an edge fed by the metadata stream, with its metrics. */
import type { Registry } from 'prom-client';
import type { KafscaleConfig } from '../../../lib/config/config.js';
import type { WatchedClusterView } from '../metadata/watched-cluster-view.js';
import { ClientQuotas } from './client-quotas.js';
import { quotaMetrics } from './quota-metrics.js';

export function edgeQuotas(
  view: WatchedClusterView,
  config: Pick<KafscaleConfig, 'quotaWindowNum' | 'quotaWindowSizeSec'>,
  registry: Registry,
): ClientQuotas {
  return new ClientQuotas(
    view.quotas,
    { samples: config.quotaWindowNum, windowMs: config.quotaWindowSizeSec * 1000 },
    () => view.liveEdgeCount(),
    quotaMetrics(registry),
  );
}
