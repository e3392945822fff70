/**
 * The storage node's metrics, declared once per injected registry:
 * - kafscale_storage_flushes_total{outcome}: committed|partial|put-failed (FlushEvent.outcome)
 * - kafscale_storage_flush_bytes: histogram of object size per flush
 * - kafscale_storage_flush_partitions: histogram of partitions per flush
 * - kafscale_storage_flush_put_duration_seconds: the flush object's PUT, failures included
 * - kafscale_storage_hedged_puts_total{outcome}: flush PUTs hedged (flush/hedged-put.ts): won
 *   (the second PUT finished first) or lost
 * - kafscale_storage_hedged_gets_total{outcome}: object GETs hedged (read/hedged-gets.ts): won
 *   (the second GET answered first) or lost
 * - kafscale_storage_idempotent_batches_total{verdict}: idempotent batches not written:
 *   duplicate (answered with the first write's offsets) or the Kafka error name of a refusal
 *   (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH)
 * - kafscale_storage_flush_commits_total{together}: flushes committed, by whether their etcd
 *   transaction also committed other flushes (flush/commit-together.ts): yes or no
 * - kafscale_storage_flush_interval_seconds: histogram of the time between the starts of two
 *   flushes of one node
 * - kafscale_storage_flush_wait_seconds: how long pending appends now wait while flushes are in
 *   flight (flush/flush-pacing.ts)
 * - kafscale_storage_owned_partitions, kafscale_storage_buffered_bytes,
 *   kafscale_storage_cache_bytes: gauges read at scrape time from the tracked engines (summed
 *   when one process runs several)
 * - kafscale_storage_cache_reads_total{outcome}, kafscale_storage_cache_read_bytes_total{outcome}:
 *   fetch reads of the read cache (read/recent-runs.ts) and the bytes of the ranges they
 *   took: hit (in memory), joined (waited for a load already in flight) or miss (a GET of
 *   its own); read from the tracked engines' totals at scrape time
 *
 * Wiring: pass `onFlush` in StorageEngineOptions and `onHedgedGet` to withHedgedGets, then
 * `track(engine)` once it has started.
 * Object-store and metadata-store calls are counted by lib/metrics/store-metrics.ts.
 */
import type { Registry } from 'prom-client';
import type { HedgedGetOutcome } from './read/hedged-gets.js';
import {
  COUNT_BUCKETS,
  LATENCY_BUCKETS,
  SIZE_BUCKETS,
  counter,
  counterOfTotals,
  gauge,
  histogram,
  oncePerRegistry,
} from '../../lib/metrics/define.js';
import type { FlushEvent } from './flush/flusher.js';
import type { CacheOutcome, CacheReadTotals } from './read/recent-runs.js';
import { errorInfo } from '../../lib/kafka/error-codes.js';

/** What the gauges and cache counters read from an engine (StorageEngine has them all). */
export interface TrackedEngine {
  readonly bufferedBytes: number;
  /** How long pending appends now wait while flushes are in flight (flush/flush-pacing.ts). */
  readonly flushWaitMs: number;
  ownedPartitions(): readonly unknown[];
  cachedBytes(): number;
  cacheReads(): CacheReadTotals;
}

const CACHE_OUTCOMES: readonly CacheOutcome[] = ['hit', 'joined', 'miss'];

export interface StorageMetrics {
  /** Records one finished flush; pass as StorageEngineOptions.onFlush. */
  readonly onFlush: (event: FlushEvent) => void;
  /** Counts one idempotent batch not written; pass as StorageEngineOptions.onSequenceVerdict. */
  readonly onSequenceVerdict: (verdict: 'duplicate' | 'refused', errorCode: number) => void;
  /** Counts one hedged GET; pass as withHedgedGets' onHedge. */
  readonly onHedgedGet: (outcome: HedgedGetOutcome) => void;
  /** Reports this engine in the gauges until the returned function is called. */
  track(engine: TrackedEngine): () => void;
}

export const storageMetrics = oncePerRegistry((registry: Registry): StorageMetrics => {
  const engines = new Set<TrackedEngine>();
  const flushes = counter(registry, {
    name: 'kafscale_storage_flushes_total',
    help: 'Flushes (one object each) by outcome: committed, partial (some runs not committed) or put-failed.',
    labelNames: ['outcome'],
  });
  const flushBytes = histogram(registry, {
    name: 'kafscale_storage_flush_bytes',
    help: 'Size of each flush object.',
    buckets: SIZE_BUCKETS,
  });
  const flushPartitions = histogram(registry, {
    name: 'kafscale_storage_flush_partitions',
    help: 'Partitions carried by each flush object.',
    buckets: COUNT_BUCKETS,
  });
  const putDuration = histogram(registry, {
    name: 'kafscale_storage_flush_put_duration_seconds',
    help: "Latency of each flush object's PUT, failures included.",
    buckets: LATENCY_BUCKETS,
  });
  const flushInterval = histogram(registry, {
    name: 'kafscale_storage_flush_interval_seconds',
    help: 'Time between the starts of two consecutive flushes of a node.',
    buckets: LATENCY_BUCKETS,
  });
  const commits = counter(registry, {
    name: 'kafscale_storage_flush_commits_total',
    help: 'Flushes committed, by whether their etcd transaction also committed other flushes (together: yes) or only them (no).',
    labelNames: ['together'],
  });
  const hedged = counter(registry, {
    name: 'kafscale_storage_hedged_puts_total',
    help: 'Flush PUTs hedged with a second PUT of the same bytes: won (the hedge was first) or lost.',
    labelNames: ['outcome'],
  });
  const hedgedGets = counter(registry, {
    name: 'kafscale_storage_hedged_gets_total',
    help: 'Object GETs hedged with a second identical GET: won (the hedge answered first) or lost.',
    labelNames: ['outcome'],
  });
  gauge(registry, {
    name: 'kafscale_storage_owned_partitions',
    help: 'Partitions this process owns now.',
    collect() {
      let n = 0;
      for (const e of engines) n += e.ownedPartitions().length;
      this.set(n);
    },
  });
  gauge(registry, {
    name: 'kafscale_storage_buffered_bytes',
    help: 'Bytes of appends accepted and not yet committed or failed.',
    collect() {
      let n = 0;
      for (const e of engines) n += e.bufferedBytes;
      this.set(n);
    },
  });
  gauge(registry, {
    name: 'kafscale_storage_flush_wait_seconds',
    help: 'How long pending appends now wait while flushes are in flight: a share of the measured flush latency, within KAFSCALE_FLUSH_MIN_INTERVAL_MS and KAFSCALE_FLUSH_INTERVAL_MS (the longest of the tracked engines).',
    collect() {
      let longest = 0;
      for (const e of engines) longest = Math.max(longest, e.flushWaitMs);
      this.set(longest / 1000);
    },
  });
  gauge(registry, {
    name: 'kafscale_storage_cache_bytes',
    help: 'Bytes in the read cache (KAFSCALE_CACHE_BYTES bounds it).',
    collect() {
      let n = 0;
      for (const e of engines) n += e.cachedBytes();
      this.set(n);
    },
  });
  const cacheTotals = (pick: (t: CacheReadTotals) => Readonly<Record<CacheOutcome, number>>) =>
    CACHE_OUTCOMES.map((outcome) => {
      let total = 0;
      for (const e of engines) total += pick(e.cacheReads())[outcome];
      return { labels: { outcome }, total };
    });
  counterOfTotals(registry, {
    name: 'kafscale_storage_cache_reads_total',
    help: 'Fetch reads of the read cache by outcome: hit (in memory), joined (waited for a load in flight) or miss (a GET of its own).',
    labelNames: ['outcome'],
    totals: () => cacheTotals((t) => t.reads),
  });
  counterOfTotals(registry, {
    name: 'kafscale_storage_cache_read_bytes_total',
    help: 'Bytes of the ranges fetch reads took from the read cache or S3, by outcome (hit, joined, miss).',
    labelNames: ['outcome'],
    totals: () => cacheTotals((t) => t.bytes),
  });
  const idempotent = counter(registry, {
    name: 'kafscale_storage_idempotent_batches_total',
    help: 'Idempotent batches not written: duplicates answered with the first offsets, or refusals by Kafka error.',
    labelNames: ['verdict'],
  });
  return {
    onSequenceVerdict: (verdict, errorCode) => {
      idempotent.inc({
        verdict: verdict === 'duplicate' ? 'duplicate' : errorInfo(errorCode).name,
      });
    },
    onFlush: (event) => {
      flushes.inc({ outcome: event.outcome });
      if (event.outcome === 'committed')
        commits.inc({ together: event.committedTogether > 1 ? 'yes' : 'no' });
      flushBytes.observe(event.bytes);
      flushPartitions.observe(event.partitions);
      putDuration.observe(event.putMs / 1000);
      if (event.sincePreviousStartMs !== undefined)
        flushInterval.observe(event.sincePreviousStartMs / 1000);
      if (event.hedge !== 'none') hedged.inc({ outcome: event.hedge });
    },
    onHedgedGet: (outcome) => {
      hedgedGets.inc({ outcome });
    },
    track: (engine) => {
      engines.add(engine);
      return () => {
        engines.delete(engine);
      };
    },
  };
});
