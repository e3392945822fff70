/**
 * The metrics each Kafscale process registers, declared on a fresh registry the way the
 * process wiring declares them (lib/cli/services: observability.ts for every process, then
 * run-edge.ts, run-storage-node.ts with start-storage-engine.ts, run-controlplane.ts,
 * run-console.ts;
 * `kafscale dev` registers all three sets on one registry). Nothing is started: the metric
 * modules are only asked to declare their metrics, for the docs and for the checks that a
 * dashboard or an alert uses only names some process exports.
 */
import { Registry } from 'prom-client';
import { consoleMetrics } from '../../../console/src/console-metrics.js';
import { leaderMetrics } from '../../../controlplane/src/election/leader-metrics.js';
import { groupLagMetric } from '../../../controlplane/src/groups/group-lag-metric.js';
import { groupMetrics } from '../../../controlplane/src/groups/group-metrics.js';
import { edgeMetrics } from '../../../edge/src/edge-metrics.js';
import { HandlerRegistry } from '../../../edge/src/handlers/handler-registry.js';
import { quotaMetrics } from '../../../edge/src/quota/quota-metrics.js';
import { securityMetrics } from '../../../edge/src/security/security-metrics.js';
import { lifecycleMetrics } from '../../../storage-node/src/lifecycle/lifecycle-metrics.js';
import { storageMetrics } from '../../../storage-node/src/storage-metrics.js';
import { MemoryMetadataStore } from '../../stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../stores/memory/memory-object-store.js';
import { registerProcessMetrics } from '../process-metrics.js';
import { instrumentMetadataStore, instrumentObjectStore } from '../store-metrics.js';

/** The three services, each of which talks to the metadata store (etcd). */
export const SERVICE_KINDS = ['edge', 'storage-node', 'controlplane'] as const;
/** Every process `kafscale` runs: the services and the console. */
export const PROCESS_KINDS = [...SERVICE_KINDS, 'console'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

export function processRegistry(kind: ProcessKind): Registry {
  const registry = new Registry();
  registerProcessMetrics(registry);
  // The console reads the controlplane's admin API, never etcd.
  if (kind !== 'console') instrumentMetadataStore(new MemoryMetadataStore(), registry);
  switch (kind) {
    case 'edge':
      edgeMetrics(registry, new HandlerRegistry());
      securityMetrics(registry);
      quotaMetrics(registry);
      break;
    case 'storage-node':
      instrumentObjectStore(new MemoryObjectStore(), registry);
      storageMetrics(registry);
      lifecycleMetrics(registry);
      break;
    case 'controlplane':
      groupMetrics(registry);
      groupLagMetric(registry);
      leaderMetrics(registry);
      break;
    case 'console':
      consoleMetrics(registry);
      break;
  }
  return registry;
}
