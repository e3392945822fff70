/**
 * One Prometheus registry per process, served with /healthz and /readyz on
 * KAFSCALE_METRICS_ADDR, and the decorators that count every etcd and S3 call.
 */
import { Registry } from 'prom-client';
import type { KafscaleConfig } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import { startMetricsServer, type Readiness } from '../../metrics/metrics-server.js';
import { registerProcessMetrics } from '../../metrics/process-metrics.js';
import { instrumentMetadataStore, instrumentObjectStore } from '../../metrics/store-metrics.js';
import type { MetadataStore } from '../../stores/metadata-store.js';
import type { ObjectStore } from '../../stores/object-store.js';

export interface Observability {
  readonly registry: Registry;
  readonly metricsPort: number;
  /** Sets what /readyz reports: true, or the reason the process is not ready. */
  setReady(state: Readiness): void;
  metadata(store: MetadataStore): MetadataStore;
  objects(store: ObjectStore): ObjectStore;
  close(): Promise<void>;
}

export async function startObservability(
  config: KafscaleConfig,
  log: Logger,
): Promise<Observability> {
  const registry = new Registry();
  registerProcessMetrics(registry);
  let readiness: Readiness = 'starting';
  const server = await startMetricsServer({
    listen: config.metricsAddr,
    registry,
    ready: () => readiness,
  });
  log.info({ port: server.port }, 'metrics, /healthz and /readyz served');
  return {
    registry,
    metricsPort: server.port,
    setReady: (state) => {
      readiness = state;
    },
    metadata: (store) => instrumentMetadataStore(store, registry),
    objects: (store) => instrumentObjectStore(store, registry),
    close: () => server.close(),
  };
}
