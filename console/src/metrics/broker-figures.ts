/**
 * The live figures the console shows, computed from the broker metrics: throughput (the
 * edges' produce and fetch records per second), the object store (requests, errors, bytes,
 * p50/p99 latency per operation) and the metadata store (transactions, p50/p99 latency).
 * A figure no endpoint exports is null, which the pages show as "unavailable": nothing is
 * estimated or filled in (a counter an endpoint declares but has not incremented is 0). Samples of several endpoints add up (several edges' rates, the
 * buckets of several storage nodes).
 *
 * Latencies are over the sampler's recent window when there is an earlier reading to
 * subtract, else since the processes started; each says which (`windowSeconds`, null for
 * since start).
 */
import { histogramDelta, histogramOf, histogramQuantile, type Histogram } from './histogram.js';
import type { MetricsReading, MetricsWindow } from './metrics-sampler.js';
import type { Labels, Sample } from './prometheus-text.js';

export interface Latency {
  readonly p50Seconds: number | null;
  readonly p99Seconds: number | null;
  /** Observations the quantiles are over. */
  readonly observations: number | null;
  /** The window the quantiles cover; null: since the processes started. */
  readonly windowSeconds: number | null;
}

export interface ObjectStoreOperation {
  readonly op: string;
  readonly requests: number | null;
  readonly errors: number | null;
  readonly latency: Latency;
}

export interface BrokerFigures {
  /** False when no endpoint is configured: every figure is null. */
  readonly configured: boolean;
  readonly takenAt: number;
  readonly sources: readonly { url: string; ok: boolean; error: string | null }[];
  readonly throughput: { readonly produceRps: number | null; readonly fetchRps: number | null };
  readonly objectStore: {
    readonly requests: number | null;
    /** Requests that failed: outcome retriable, failed or unexpected. */
    readonly errors: number | null;
    readonly putBytes: number | null;
    readonly getBytes: number | null;
    readonly latency: Latency;
    readonly operations: readonly ObjectStoreOperation[];
    /** Flushes by outcome (committed, partial, put-failed). */
    readonly flushes: Readonly<Record<string, number>>;
  };
  readonly metadataStore: {
    readonly txns: number | null;
    /** Transactions whose compare was false (a lost race, not a fault). */
    readonly txnsFailed: number | null;
    /** Transactions that threw. */
    readonly txnErrors: number | null;
    readonly readErrors: number | null;
    readonly leasesLost: number | null;
    readonly txnLatency: Latency;
  };
}

const S3_ERROR_OUTCOMES = new Set(['retriable', 'failed', 'unexpected']);
const S3_LATENCY = 'kafscale_s3_request_duration_seconds';
const ETCD_TXN_LATENCY = 'kafscale_etcd_txn_duration_seconds';

/** The sum of the samples named `name` whose labels `match` accepts; null when there are none. */
export function sumOf(
  samples: readonly Sample[],
  name: string,
  match: (labels: Labels) => boolean = () => true,
): number | null {
  let total: number | null = null;
  for (const s of samples) {
    if (s.name === name && match(s.labels)) total = (total ?? 0) + s.value;
  }
  return total;
}

/** Values of the `label` label among the samples named `name`, sorted. */
function labelValues(samples: readonly Sample[], name: string, label: string): string[] {
  const values = new Set<string>();
  for (const s of samples) {
    const v = s.labels[label];
    if (s.name === name && v !== undefined) values.add(v);
  }
  return [...values].sort();
}

function latencyOf(
  window: MetricsWindow,
  name: string,
  match: (labels: Labels) => boolean = () => true,
): Latency {
  const now = histogramOf(window.current.samples, name, match);
  if (now === undefined) {
    return { p50Seconds: null, p99Seconds: null, observations: null, windowSeconds: null };
  }
  let h: Histogram = now;
  let windowSeconds: number | null = null;
  const base = window.baseline;
  if (base !== undefined && window.current.sources.every((s) => s.ok)) {
    const then = histogramOf(base.samples, name, match);
    const delta = then === undefined ? undefined : histogramDelta(now, then);
    if (delta !== undefined && delta.count > 0) {
      h = delta;
      windowSeconds = Math.round((window.current.at - base.at) / 1000);
    }
  }
  return {
    p50Seconds: histogramQuantile(0.5, h) ?? null,
    p99Seconds: histogramQuantile(0.99, h) ?? null,
    observations: h.count,
    windowSeconds,
  };
}

/**
 * A counter's total over the samples `match` accepts: 0 when the counter is declared but
 * has no such sample yet (it has not counted any), null when no endpoint declares it.
 */
export function counterTotal(
  reading: MetricsReading,
  name: string,
  match: (labels: Labels) => boolean = () => true,
): number | null {
  const total = sumOf(reading.samples, name, match);
  if (total !== null) return total;
  return reading.counters.has(name) || sumOf(reading.samples, name) !== null ? 0 : null;
}

export function brokerFigures(window: MetricsWindow, configured: boolean): BrokerFigures {
  const reading = window.current;
  const samples = reading.samples;
  const count = (name: string, match?: (labels: Labels) => boolean) =>
    counterTotal(reading, name, match);
  const s3Requests = 'kafscale_s3_requests_total';
  const isError = (l: Labels) => S3_ERROR_OUTCOMES.has(l.outcome ?? '');
  const flushes: Record<string, number> = {};
  for (const outcome of labelValues(samples, 'kafscale_storage_flushes_total', 'outcome')) {
    flushes[outcome] = count('kafscale_storage_flushes_total', (l) => l.outcome === outcome) ?? 0;
  }
  return {
    configured,
    takenAt: reading.at,
    sources: reading.sources.map((s) => ({ url: s.url, ok: s.ok, error: s.error ?? null })),
    throughput: {
      produceRps: sumOf(samples, 'kafscale_produce_rps'),
      fetchRps: sumOf(samples, 'kafscale_fetch_rps'),
    },
    objectStore: {
      requests: count(s3Requests),
      errors: count(s3Requests, isError),
      putBytes: count('kafscale_s3_put_bytes_total'),
      getBytes: count('kafscale_s3_get_bytes_total'),
      latency: latencyOf(window, S3_LATENCY),
      operations: labelValues(samples, s3Requests, 'op').map((op) => ({
        op,
        requests: count(s3Requests, (l) => l.op === op),
        errors: count(s3Requests, (l) => l.op === op && isError(l)),
        latency: latencyOf(window, S3_LATENCY, (l) => l.op === op),
      })),
      flushes,
    },
    metadataStore: {
      txns: count('kafscale_etcd_txns_total'),
      txnsFailed: count('kafscale_etcd_txns_total', (l) => l.outcome === 'failed'),
      txnErrors: count('kafscale_etcd_txns_total', (l) => l.outcome === 'error'),
      readErrors: count('kafscale_etcd_reads_total', (l) => l.outcome === 'error'),
      leasesLost: count('kafscale_etcd_leases_lost_total'),
      txnLatency: latencyOf(window, ETCD_TXN_LATENCY),
    },
  };
}
