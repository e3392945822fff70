/** GET /ui/api/metrics: the live figures of the broker metrics (metrics/broker-figures.ts). */
import { brokerFigures, type BrokerFigures } from '../metrics/broker-figures.js';
import type { MetricsSampler } from '../metrics/metrics-sampler.js';

export async function metricsView(sampler: MetricsSampler): Promise<BrokerFigures> {
  if (!sampler.configured) {
    return brokerFigures(
      {
        current: { at: Date.now(), sources: [], samples: [], counters: new Set() },
        baseline: undefined,
      },
      false,
    );
  }
  return brokerFigures(await sampler.read(), true);
}
