/**
 * A storage engine configured from KAFSCALE_* storage settings, with its flush metrics, and
 * its lifecycle: the object collector (fed by the engine's DeleteRecords, retention and
 * compaction), retention and compaction of the partitions it owns, and the object sweep
 * when it holds the sweeper seat.
 */
import type { Registry } from 'prom-client';
import { DEFAULT_HEDGE } from '../../../storage-node/src/hedging/hedge-policy.js';
import { withHedgedGets } from '../../../storage-node/src/read/hedged-gets.js';
import { CompactionRunner } from '../../../storage-node/src/lifecycle/compaction-runner.js';
import { lifecycleMetrics } from '../../../storage-node/src/lifecycle/lifecycle-metrics.js';
import { ObjectCollector } from '../../../storage-node/src/lifecycle/object-collector.js';
import { ReleaseQueue } from '../../../storage-node/src/lifecycle/release-queue.js';
import { RetentionRunner } from '../../../storage-node/src/lifecycle/retention-runner.js';
import { Sweeper } from '../../../storage-node/src/lifecycle/sweeper.js';
import { TopicConfigsView } from '../../../storage-node/src/lifecycle/topic-configs-view.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { storageMetrics } from '../../../storage-node/src/storage-metrics.js';
import type { KafscaleConfig } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import type { MetadataStore } from '../../stores/metadata-store.js';
import type { ObjectStore } from '../../stores/object-store.js';

/** The most entries one merge replaces (one range delete removes their keys). */
const MAX_ENTRIES_PER_MERGE = 1024;

export interface StartedStorageEngine {
  readonly engine: StorageEngine;
  /** Stops the lifecycle work and the metrics tracking (before engine.stop()). */
  readonly stopLifecycle: () => Promise<void>;
}

export async function startStorageEngine(
  config: KafscaleConfig,
  nodeId: string,
  metadata: MetadataStore,
  objects: ObjectStore,
  registry: Registry,
  log: Logger,
): Promise<StartedStorageEngine> {
  const s = config.storage;
  const metrics = storageMetrics(registry);
  const lifecycle = lifecycleMetrics(registry);
  const collector = new ObjectCollector({
    metadata,
    objects,
    graceMs: s.objectGraceMs,
    onDeleted: lifecycle.onObjectDeleted,
  });
  const released = new ReleaseQueue({ collector, log });
  const engine = await StorageEngine.start({
    nodeId,
    metadata,
    objects: withHedgedGets(objects, {
      settings: {
        quantile: s.readHedgePercentile / 100,
        maxShare: s.readHedgePercent / 100,
        minSamples: DEFAULT_HEDGE.minSamples,
      },
      onHedge: metrics.onHedgedGet,
    }),
    flushIntervalMs: s.flushIntervalMs,
    minFlushIntervalMs: s.minFlushIntervalMs,
    flushBytes: s.flushBytes,
    flushPipelineBytes: s.flushPipelineBytes,
    maxInflightFlushes: s.maxInflightFlushes,
    hedge: {
      quantile: s.hedgePercentile / 100,
      maxShare: s.hedgePercent / 100,
      minSamples: DEFAULT_HEDGE.minSamples,
    },
    maxBufferedBytes: s.bufferBytes,
    leaseTtlSeconds: s.leaseTtlSeconds,
    recentRunsBytes: s.cacheBytes,
    readAheadPieces: s.readAheadSegments,
    onFlush: metrics.onFlush,
    onSequenceVerdict: metrics.onSequenceVerdict,
    onRunsDeleted: (objectKeys) => {
      released.release(objectKeys);
    },
  });
  const untrack = metrics.track(engine);
  const topics = new TopicConfigsView(metadata, log);
  await topics.start();
  const retention = new RetentionRunner({
    engine,
    topics,
    intervalMs: s.retentionCheckIntervalMs,
    log,
    onTrimmed: lifecycle.onTrimmed,
  });
  retention.start();
  const sweeper = new Sweeper({
    nodeId,
    metadata,
    objects,
    collector,
    intervalMs: s.objectSweepIntervalMs,
    leaseTtlSeconds: s.leaseTtlSeconds,
    log,
    onPass: lifecycle.onSweep,
  });
  sweeper.start();
  const compaction = new CompactionRunner({
    engine,
    settings: {
      segmentBytes: s.segmentBytes,
      minEntries: s.compactionMinRuns,
      maxEntries: MAX_ENTRIES_PER_MERGE,
    },
    intervalMs: s.compactionIntervalMs,
    concurrency: s.compactionConcurrency,
    log,
    onCompacted: lifecycle.onCompacted,
    onWorkers: lifecycle.onCompactionWorkers,
  });
  compaction.start();
  return {
    engine,
    stopLifecycle: async () => {
      await compaction.stop();
      await released.stop();
      await sweeper.stop();
      await retention.stop();
      await topics.stop();
      untrack();
    },
  };
}
