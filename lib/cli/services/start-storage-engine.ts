/** A storage engine configured from KAFSCALE_* storage settings, with its flush metrics. */
import type { Registry } from 'prom-client';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { storageMetrics } from '../../../storage-node/src/storage-metrics.js';
import type { KafscaleConfig } from '../../config/config.js';
import type { MetadataStore } from '../../stores/metadata-store.js';
import type { ObjectStore } from '../../stores/object-store.js';

export async function startStorageEngine(
  config: KafscaleConfig,
  nodeId: string,
  metadata: MetadataStore,
  objects: ObjectStore,
  registry: Registry,
): Promise<{ engine: StorageEngine; untrack: () => void }> {
  const s = config.storage;
  const metrics = storageMetrics(registry);
  const engine = await StorageEngine.start({
    nodeId,
    metadata,
    objects,
    flushIntervalMs: s.flushIntervalMs,
    flushBytes: s.flushBytes,
    maxInflightFlushes: s.maxInflightFlushes,
    maxBufferedBytes: s.bufferBytes,
    leaseTtlSeconds: s.leaseTtlSeconds,
    recentRunsBytes: s.cacheBytes,
    onFlush: metrics.onFlush,
    onSequenceVerdict: metrics.onSequenceVerdict,
  });
  return { engine, untrack: metrics.track(engine) };
}
