/**
 * The storage lifecycle's metrics, declared once per injected registry:
 * - kafscale_storage_objects_deleted_total{reason}: unreferenced (every run deleted by
 *   retention, DeleteRecords or topic deletion) or orphan (never committed)
 * - kafscale_storage_retention_trims_total: log start moves made by retention
 * - kafscale_storage_sweeps_total, kafscale_storage_sweep_duration_seconds: object sweeps
 *   run by this process (it holds the sweeper seat)
 * - kafscale_storage_deleted_topic_partitions_total: partitions of deleted topics whose keys
 *   the sweep removed
 * - kafscale_storage_compactions_total, kafscale_storage_compacted_entries_total,
 *   kafscale_storage_compacted_bytes_total: segments written, index entries they replaced,
 *   and their bytes
 * - kafscale_storage_compaction_workers: partitions the latest compaction pass compacted at
 *   once (compaction-pace.ts)
 */
import type { Registry } from 'prom-client';
import {
  LATENCY_BUCKETS,
  counter,
  gauge,
  histogram,
  oncePerRegistry,
} from '../../../lib/metrics/define.js';
import type { SweepStats } from './sweeper.js';

export interface LifecycleMetrics {
  readonly onObjectDeleted: (objectKey: string, reason: 'unreferenced' | 'orphan') => void;
  readonly onTrimmed: () => void;
  readonly onSweep: (stats: SweepStats, ms: number) => void;
  readonly onCompacted: (entries: number, bytes: number) => void;
  readonly onCompactionWorkers: (workers: number) => void;
}

export const lifecycleMetrics = oncePerRegistry((registry: Registry): LifecycleMetrics => {
  const deleted = counter(registry, {
    name: 'kafscale_storage_objects_deleted_total',
    help: 'Objects deleted: unreferenced (all their runs deleted) or orphan (never committed).',
    labelNames: ['reason'],
  });
  const trims = counter(registry, {
    name: 'kafscale_storage_retention_trims_total',
    help: 'Times retention moved a partition log start.',
  });
  const sweeps = counter(registry, {
    name: 'kafscale_storage_sweeps_total',
    help: 'Object sweeps run by this process.',
  });
  const sweepDuration = histogram(registry, {
    name: 'kafscale_storage_sweep_duration_seconds',
    help: 'Duration of each object sweep.',
    buckets: LATENCY_BUCKETS,
  });
  const topicPartitions = counter(registry, {
    name: 'kafscale_storage_deleted_topic_partitions_total',
    help: 'Partitions of deleted topics whose keys the sweep removed.',
  });
  const compactions = counter(registry, {
    name: 'kafscale_storage_compactions_total',
    help: 'Segments written by compaction.',
  });
  const compactedEntries = counter(registry, {
    name: 'kafscale_storage_compacted_entries_total',
    help: 'Index entries replaced by compacted segments.',
  });
  const compactedBytes = counter(registry, {
    name: 'kafscale_storage_compacted_bytes_total',
    help: 'Bytes written into compacted segments.',
  });
  const compactionWorkers = gauge(registry, {
    name: 'kafscale_storage_compaction_workers',
    help: 'Partitions the latest compaction pass compacted at once.',
  });
  return {
    onCompactionWorkers: (workers) => {
      compactionWorkers.set(workers);
    },
    onCompacted: (entries, bytes) => {
      compactions.inc();
      compactedEntries.inc(entries);
      compactedBytes.inc(bytes);
    },
    onObjectDeleted: (_key, reason) => {
      deleted.inc({ reason });
    },
    onTrimmed: () => {
      trims.inc();
    },
    onSweep: (stats, ms) => {
      sweeps.inc();
      sweepDuration.observe(ms / 1000);
      topicPartitions.inc(stats.partitionsDeleted);
    },
  };
});
