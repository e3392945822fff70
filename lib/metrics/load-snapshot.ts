/**
 * The load a process reports on `GET /load` of its metrics endpoint: a few gauges of its
 * registry, summed over their labels, as one JSON object. The controlplane's cluster status
 * reads it from every edge and storage node; a figure whose metric the process does not
 * register is left out.
 */
import type { Registry } from 'prom-client';

/** The reported figures and the metric each one sums. */
export const LOAD_METRICS = {
  connections: 'kafscale_kafka_connections',
  requestsInflight: 'kafscale_kafka_requests_inflight',
  inflightBytes: 'kafscale_kafka_inflight_bytes',
  produceRecordsPerSec: 'kafscale_produce_rps',
  fetchRecordsPerSec: 'kafscale_fetch_rps',
  ownedPartitions: 'kafscale_storage_owned_partitions',
  bufferedBytes: 'kafscale_storage_buffered_bytes',
  rssBytes: 'kafscale_process_resident_memory_bytes',
  eventLoopLagSeconds: 'kafscale_nodejs_eventloop_lag_p99_seconds',
} as const;

export type LoadField = keyof typeof LOAD_METRICS;
export type LoadSnapshot = Partial<Record<LoadField, number>>;

export async function loadSnapshot(registry: Registry): Promise<LoadSnapshot> {
  const snapshot: LoadSnapshot = {};
  for (const [field, name] of Object.entries(LOAD_METRICS) as [LoadField, string][]) {
    const metric = registry.getSingleMetric(name);
    if (metric === undefined) continue;
    const { values } = await metric.get();
    let sum = 0;
    for (const v of values) if (Number.isFinite(v.value)) sum += v.value;
    snapshot[field] = sum;
  }
  return snapshot;
}
