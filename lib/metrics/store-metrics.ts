/**
 * Decorators for the two store ports that count and time every call, so a benchmark or a
 * fault test can read what it caused from /metrics. They change nothing about the calls:
 * arguments, results and errors pass through untouched.
 *
 * Object store (named `s3` after the production adapter, whatever the adapter):
 * - kafscale_s3_requests_total{op, outcome[, store]}: op put|get|head|list|delete; outcome
 *   ok|exists|not_found|retriable|failed|unexpected (see objectStoreOutcome)
 * - kafscale_s3_request_duration_seconds{op[, store]}
 * - kafscale_s3_put_bytes_total{[store]}, kafscale_s3_get_bytes_total{[store]}: successful calls
 * Metadata store (named `etcd` likewise):
 * - kafscale_etcd_txns_total{outcome}: succeeded|failed (compares false)|error (threw)
 * - kafscale_etcd_txn_ops: histogram of the ops in each transaction's success branch
 * - kafscale_etcd_txn_duration_seconds
 * - kafscale_etcd_reads_total{op, outcome}: op get|list; outcome ok|error
 * - kafscale_etcd_read_duration_seconds{op}
 * - kafscale_etcd_lease_grants_total{outcome}: ok|error
 * - kafscale_etcd_leases_lost_total: granted leases that were then lost
 * `watch` and `close` pass through uncounted.
 */
import type { Registry } from 'prom-client';
import type {
  Compare,
  Lease,
  ListResult,
  MetadataStore,
  TxnOp,
  TxnResult,
  Watch,
  WatchOptions,
  KeyValue,
} from '../stores/metadata-store.js';
import {
  ObjectExistsError,
  ObjectNotFoundError,
  ObjectStoreError,
  type ByteRange,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
} from '../stores/object-store.js';
import { COUNT_BUCKETS, LATENCY_BUCKETS, counter, histogram, oncePerRegistry } from './define.js';

export type ObjectStoreOp = 'put' | 'get' | 'head' | 'list' | 'delete';

/** Extra labels on every object-store sample, to tell several stores in one process apart. */
export interface ObjectStoreMetricLabels {
  /** A short fixed name for the store (for example `data`); never a key or a bucket per tenant. */
  readonly store?: string;
}

/** The `outcome` label of a failed object-store call. */
export function objectStoreOutcome(error: unknown): string {
  if (error instanceof ObjectExistsError) return 'exists';
  if (error instanceof ObjectNotFoundError) return 'not_found';
  if (error instanceof ObjectStoreError) return error.retriable ? 'retriable' : 'failed';
  return 'unexpected';
}

const objectStoreMetrics = oncePerRegistry((registry: Registry) => ({
  requests: counter(registry, {
    name: 'kafscale_s3_requests_total',
    help: 'Object store requests by operation and outcome.',
    labelNames: ['op', 'outcome', 'store'],
  }),
  duration: histogram(registry, {
    name: 'kafscale_s3_request_duration_seconds',
    help: 'Object store request latency by operation, failures included.',
    labelNames: ['op', 'store'],
    buckets: LATENCY_BUCKETS,
  }),
  putBytes: counter(registry, {
    name: 'kafscale_s3_put_bytes_total',
    help: 'Bytes written by successful object store puts.',
    labelNames: ['store'],
  }),
  getBytes: counter(registry, {
    name: 'kafscale_s3_get_bytes_total',
    help: 'Bytes returned by successful object store gets.',
    labelNames: ['store'],
  }),
}));

function bodySize(body: Uint8Array | readonly Uint8Array[]): number {
  if (body instanceof Uint8Array) return body.length;
  let n = 0;
  for (const part of body) n += part.length;
  return n;
}

export function instrumentObjectStore(
  store: ObjectStore,
  registry: Registry,
  labels: ObjectStoreMetricLabels = {},
): ObjectStore {
  const m = objectStoreMetrics(registry);
  const extra = labels.store === undefined ? {} : { store: labels.store };
  const opLabels = {
    put: { op: 'put', ...extra },
    get: { op: 'get', ...extra },
    head: { op: 'head', ...extra },
    list: { op: 'list', ...extra },
    delete: { op: 'delete', ...extra },
  } as const;

  async function timed<T>(op: ObjectStoreOp, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await call();
    } catch (e) {
      outcome = objectStoreOutcome(e);
      throw e;
    } finally {
      m.duration.observe(opLabels[op], (performance.now() - started) / 1000);
      m.requests.inc({ ...opLabels[op], outcome });
    }
  }

  return {
    put: async (key: string, body: Uint8Array | readonly Uint8Array[], options?: PutOptions) => {
      await timed('put', () => store.put(key, body, options));
      m.putBytes.inc(extra, bodySize(body));
    },
    get: async (key: string, range?: ByteRange) => {
      const data = await timed('get', () => store.get(key, range));
      m.getBytes.inc(extra, data.length);
      return data;
    },
    head: (key: string): Promise<ObjectInfo | undefined> => timed('head', () => store.head(key)),
    list: (
      prefix: string,
      options?: { readonly after?: string; readonly limit?: number },
    ): Promise<ListPage> => timed('list', () => store.list(prefix, options)),
    delete: (keys: readonly string[]) => timed('delete', () => store.delete(keys)),
  };
}

const metadataStoreMetrics = oncePerRegistry((registry: Registry) => ({
  txns: counter(registry, {
    name: 'kafscale_etcd_txns_total',
    help: 'Metadata store transactions by outcome: succeeded, failed (a compare was false) or error.',
    labelNames: ['outcome'],
  }),
  txnOps: histogram(registry, {
    name: 'kafscale_etcd_txn_ops',
    help: "Ops in each metadata store transaction's success branch.",
    buckets: [0, ...COUNT_BUCKETS.filter((b) => b <= 128)],
  }),
  txnDuration: histogram(registry, {
    name: 'kafscale_etcd_txn_duration_seconds',
    help: 'Metadata store transaction latency, failures included.',
    buckets: LATENCY_BUCKETS,
  }),
  reads: counter(registry, {
    name: 'kafscale_etcd_reads_total',
    help: 'Metadata store reads (get, list) by outcome.',
    labelNames: ['op', 'outcome'],
  }),
  readDuration: histogram(registry, {
    name: 'kafscale_etcd_read_duration_seconds',
    help: 'Metadata store read latency by operation.',
    labelNames: ['op'],
    buckets: LATENCY_BUCKETS,
  }),
  leaseGrants: counter(registry, {
    name: 'kafscale_etcd_lease_grants_total',
    help: 'Metadata store lease grants by outcome.',
    labelNames: ['outcome'],
  }),
  leasesLost: counter(registry, {
    name: 'kafscale_etcd_leases_lost_total',
    help: 'Granted leases that were lost (expired, revoked elsewhere, keep-alive failed).',
  }),
}));

export function instrumentMetadataStore(store: MetadataStore, registry: Registry): MetadataStore {
  const m = metadataStoreMetrics(registry);

  async function read<T>(op: 'get' | 'list', call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await call();
    } catch (e) {
      outcome = 'error';
      throw e;
    } finally {
      m.readDuration.observe({ op }, (performance.now() - started) / 1000);
      m.reads.inc({ op, outcome });
    }
  }

  return {
    get: (key: string): Promise<KeyValue | undefined> => read('get', () => store.get(key)),
    list: (prefix: string): Promise<ListResult> => read('list', () => store.list(prefix)),
    txn: async (
      compares: readonly Compare[],
      success: readonly TxnOp[],
      failure?: readonly TxnOp[],
    ): Promise<TxnResult> => {
      const started = performance.now();
      let outcome = 'error';
      try {
        const result = await store.txn(compares, success, failure);
        outcome = result.succeeded ? 'succeeded' : 'failed';
        return result;
      } finally {
        m.txnDuration.observe((performance.now() - started) / 1000);
        m.txnOps.observe(success.length);
        m.txns.inc({ outcome });
      }
    },
    grantLease: async (ttlSeconds: number): Promise<Lease> => {
      let lease: Lease;
      try {
        lease = await store.grantLease(ttlSeconds);
      } catch (e) {
        m.leaseGrants.inc({ outcome: 'error' });
        throw e;
      }
      m.leaseGrants.inc({ outcome: 'ok' });
      lease.onLost(() => {
        m.leasesLost.inc();
      });
      return lease;
    },
    watch: (prefix: string, options: WatchOptions): Promise<Watch> => store.watch(prefix, options),
    close: () => store.close(),
  };
}
