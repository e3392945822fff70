import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  instrumentMetadataStore,
  instrumentObjectStore,
  objectStoreOutcome,
} from '../../../../lib/metrics/store-metrics.js';
import { startMetricsServer, type MetricsServer } from '../../../../lib/metrics/metrics-server.js';
import { registerProcessMetrics } from '../../../../lib/metrics/process-metrics.js';
import { MemoryLease } from '../../../../lib/stores/memory/memory-lease.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import {
  ObjectExistsError,
  ObjectNotFoundError,
  ObjectStoreError,
} from '../../../../lib/stores/object-store.js';
import { sample, scrape } from '../../../support/scrape-metrics.js';

const servers: MetricsServer[] = [];

async function serve(registry: Registry): Promise<() => Promise<string>> {
  const server = await startMetricsServer({ listen: { host: '127.0.0.1', port: 0 }, registry });
  servers.push(server);
  return () => scrape(server.port);
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('instrumented object store', () => {
  it('counts requests by operation and outcome, their latency and the bytes moved', async () => {
    const registry = new Registry();
    const read = await serve(registry);
    const store = instrumentObjectStore(new MemoryObjectStore(), registry);
    await store.put('a/1', bytes('hello'));
    await store.put('a/2', [bytes('ab'), bytes('cde')], { ifNoneMatch: true });
    await expect(store.put('a/2', bytes('x'), { ifNoneMatch: true })).rejects.toBeInstanceOf(
      ObjectExistsError,
    );
    expect((await store.get('a/1', { start: 1, end: 2 })).toString()).toBe('el');
    await expect(store.get('missing')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.head('a/2')).toMatchObject({ key: 'a/2', size: 5 });
    expect(await store.head('missing')).toBeUndefined();
    expect((await store.list('a/')).objects.map((o) => o.key)).toEqual(['a/1', 'a/2']);
    await store.delete(['a/1']);

    const text = await read();
    const requests = (op: string, outcome: string) =>
      sample(text, 'kafscale_s3_requests_total', { op, outcome });
    expect(requests('put', 'ok')).toBe(2);
    expect(requests('put', 'exists')).toBe(1);
    expect(requests('get', 'ok')).toBe(1);
    expect(requests('get', 'not_found')).toBe(1);
    expect(requests('head', 'ok')).toBe(2);
    expect(requests('list', 'ok')).toBe(1);
    expect(requests('delete', 'ok')).toBe(1);
    expect(sample(text, 'kafscale_s3_request_duration_seconds_count', { op: 'put' })).toBe(3);
    expect(
      sample(text, 'kafscale_s3_request_duration_seconds_bucket', { op: 'get', le: '10' }),
    ).toBe(2);
    expect(sample(text, 'kafscale_s3_put_bytes_total')).toBe(10);
    expect(sample(text, 'kafscale_s3_get_bytes_total')).toBe(2);
    expect(text).toContain('# TYPE kafscale_s3_request_duration_seconds histogram');
    expect(text).toContain('le="0.001"');
  });

  it('declares its metrics once per registry, so two stores can share one registry', async () => {
    const registry = new Registry();
    const read = await serve(registry);
    const data = instrumentObjectStore(new MemoryObjectStore(), registry, { store: 'data' });
    const other = instrumentObjectStore(new MemoryObjectStore(), registry);
    await data.put('k', bytes('1234'));
    await other.put('k', bytes('1'));
    await other.put('j', bytes('1'));
    const text = await read();
    expect(
      sample(text, 'kafscale_s3_requests_total', { op: 'put', outcome: 'ok', store: 'data' }),
    ).toBe(1);
    expect(sample(text, 'kafscale_s3_requests_total', { op: 'put', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'kafscale_s3_put_bytes_total', { store: 'data' })).toBe(4);
    expect(text.match(/^# TYPE kafscale_s3_requests_total /gm)).toHaveLength(1);
  });

  it('names the outcome of a failure by its kind', () => {
    expect(objectStoreOutcome(new ObjectExistsError('k'))).toBe('exists');
    expect(objectStoreOutcome(new ObjectNotFoundError('k'))).toBe('not_found');
    expect(objectStoreOutcome(new ObjectStoreError('slow down', true))).toBe('retriable');
    expect(objectStoreOutcome(new ObjectStoreError('denied', false))).toBe('failed');
    expect(objectStoreOutcome(new Error('bug'))).toBe('unexpected');
  });
});

describe('instrumented metadata store', () => {
  it('counts transactions by outcome with their ops and latency, reads, and lease grants', async () => {
    const registry = new Registry();
    const read = await serve(registry);
    const inner = new MemoryMetadataStore();
    const store = instrumentMetadataStore(inner, registry);
    const put = (key: string) => ({ type: 'put' as const, key, value: bytes('v') });
    expect((await store.txn([], [put('a'), put('b'), put('c')])).succeeded).toBe(true);
    expect(
      (await store.txn([{ key: 'a', target: 'version', op: '=', value: 0 }], [put('a')])).succeeded,
    ).toBe(false);
    await expect(
      store.txn(
        [],
        Array.from({ length: 200 }, (_, i) => put(`k${i}`)),
      ),
    ).rejects.toThrow(/at most 128/);
    expect((await store.get('a'))?.version).toBe(1);
    expect((await store.list('')).kvs).toHaveLength(3);
    const lease = await store.grantLease(10);
    await lease.revoke();

    const text = await read();
    expect(sample(text, 'kafscale_etcd_txns_total', { outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_txns_total', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_txns_total', { outcome: 'error' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_txn_ops_count')).toBe(3);
    expect(sample(text, 'kafscale_etcd_txn_ops_sum')).toBe(204);
    expect(sample(text, 'kafscale_etcd_txn_ops_bucket', { le: '1' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_txn_ops_bucket', { le: '4' })).toBe(2);
    expect(sample(text, 'kafscale_etcd_txn_duration_seconds_count')).toBe(3);
    expect(sample(text, 'kafscale_etcd_reads_total', { op: 'get', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_reads_total', { op: 'list', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_read_duration_seconds_count', { op: 'list' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_lease_grants_total', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_leases_lost_total')).toBe(0);
    await store.close();
  });

  it('counts a lease that is lost, a refused grant, and errors from a closed store', async () => {
    const registry = new Registry();
    const read = await serve(registry);
    const store = instrumentMetadataStore(new MemoryMetadataStore(), registry);
    const again = instrumentMetadataStore(new MemoryMetadataStore(), registry);
    await expect(store.grantLease(0.5)).rejects.toThrow(RangeError);
    const lease = await store.grantLease(1);
    const lost = new Promise<void>((resolve) => {
      lease.onLost(resolve);
    });
    // The decorator returns the adapter's own lease object.
    expect(lease).toBeInstanceOf(MemoryLease);
    if (lease instanceof MemoryLease) lease.stopKeepAlive();
    await lost;
    await again.close();
    await expect(again.get('x')).rejects.toThrow();
    await expect(again.txn([], [])).rejects.toThrow();
    const text = await read();
    expect(sample(text, 'kafscale_etcd_leases_lost_total')).toBe(1);
    expect(sample(text, 'kafscale_etcd_lease_grants_total', { outcome: 'error' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_lease_grants_total', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_reads_total', { op: 'get', outcome: 'error' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_txns_total', { outcome: 'error' })).toBe(1);
    await store.close();
  });
});

describe('process metrics', () => {
  it('exposes the default process metrics with the kafscale_ prefix, registered once', async () => {
    const registry = new Registry();
    registerProcessMetrics(registry);
    registerProcessMetrics(registry);
    const text = await (await serve(registry))();
    expect(text).toMatch(/^kafscale_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^kafscale_nodejs_heap_size_used_bytes \d+/m);
    expect(text).toContain('# TYPE kafscale_nodejs_eventloop_lag_seconds gauge');
  });
});
