import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from '../../../lib/metrics/metrics-server.js';
import {
  instrumentMetadataStore,
  instrumentObjectStore,
} from '../../../lib/metrics/store-metrics.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { storageMetrics } from '../../../storage-node/src/storage-metrics.js';
import { sample, scrape } from '../../support/scrape-metrics.js';
import {
  batchOf,
  ControlledObjectStore,
  deferred,
  offsetOf,
} from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** An engine over instrumented in-memory stores, its metrics served over HTTP. */
async function setup(objects = new ControlledObjectStore(new MemoryObjectStore())) {
  const registry = new Registry();
  const metrics = storageMetrics(registry);
  const engine = await StorageEngine.start({
    nodeId: 'node-0',
    metadata: instrumentMetadataStore(new MemoryMetadataStore(), registry),
    objects: instrumentObjectStore(objects, registry),
    flushIntervalMs: 20,
    flushBytes: 1 << 20,
    maxInflightFlushes: 4,
    maxBufferedBytes: 64 << 20,
    leaseTtlSeconds: 10,
    recentRunsBytes: 8 << 20,
    onFlush: metrics.onFlush,
  });
  const untrack = metrics.track(engine);
  const server: MetricsServer = await startMetricsServer({
    listen: { host: '127.0.0.1', port: 0 },
    registry,
  });
  cleanup.push(async () => {
    untrack();
    await engine.stop();
    await server.close();
  });
  return { engine, objects, registry, read: () => scrape(server.port) };
}

describe('storage node metrics', () => {
  it('counts one committed flush, one PUT and one etcd transaction for three appends in one flush', async () => {
    const { engine, read } = await setup();
    expect((await engine.claim(T, 0)).kind).toBe('claimed');
    expect((await engine.claim(T, 1)).kind).toBe('claimed');
    const before = await read();
    const txnsBefore = sample(before, 'kafscale_etcd_txns_total', { outcome: 'succeeded' }) ?? 0;
    expect(txnsBefore).toBeGreaterThan(0); // the claims
    expect(sample(before, 'kafscale_storage_flushes_total', { outcome: 'committed' })).toBe(
      undefined,
    );

    const parts = [
      { topicId: T, partition: 0, records: batchOf('a') },
      { topicId: T, partition: 0, records: batchOf('b', 'c') },
      { topicId: T, partition: 1, records: batchOf('d') },
    ];
    // Three appends in one tick: one flush window, one object.
    const outcomes = await Promise.all(parts.map((p) => engine.append([p])));
    expect(outcomes.map(([o]) => offsetOf(o))).toEqual([0n, 1n, 0n]);

    const text = await read();
    expect(sample(text, 'kafscale_storage_flushes_total', { outcome: 'committed' })).toBe(1);
    expect(sample(text, 'kafscale_s3_requests_total', { op: 'put', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'kafscale_etcd_txns_total', { outcome: 'succeeded' })).toBe(txnsBefore + 1);
    expect(sample(text, 'kafscale_storage_flush_partitions_count')).toBe(1);
    expect(sample(text, 'kafscale_storage_flush_partitions_sum')).toBe(2);
    const recordBytes = parts.reduce((n, p) => n + p.records.length, 0);
    const objectBytes = sample(text, 'kafscale_storage_flush_bytes_sum') ?? 0;
    expect(objectBytes).toBeGreaterThanOrEqual(recordBytes);
    expect(sample(text, 'kafscale_s3_put_bytes_total')).toBe(objectBytes);
    expect(sample(text, 'kafscale_storage_flush_put_duration_seconds_count')).toBe(1);
    expect(sample(text, 'kafscale_storage_owned_partitions')).toBe(2);
    expect(sample(text, 'kafscale_storage_buffered_bytes')).toBe(0);
  });

  it('reports buffered bytes while a flush is in flight, and a failed PUT as put-failed', async () => {
    const { engine, objects, read } = await setup();
    expect((await engine.claim(T, 0)).kind).toBe('claimed');
    const gate = deferred();
    objects.gate = gate.promise;
    objects.failNext = 1;
    const records = batchOf('x', 'y');
    const appended = engine.append([{ topicId: T, partition: 0, records }]);
    expect(engine.bufferedBytes).toBe(records.length);
    expect(sample(await read(), 'kafscale_storage_buffered_bytes')).toBe(records.length);
    gate.resolve();
    const [outcome] = await appended;
    expect(outcome?.ok).toBe(false);

    const text = await read();
    expect(sample(text, 'kafscale_storage_flushes_total', { outcome: 'put-failed' })).toBe(1);
    expect(sample(text, 'kafscale_storage_flushes_total', { outcome: 'committed' })).toBe(
      undefined,
    );
    expect(sample(text, 'kafscale_s3_requests_total', { op: 'put', outcome: 'unexpected' })).toBe(
      1,
    );
    expect(sample(text, 'kafscale_storage_buffered_bytes')).toBe(0);
    expect(engine.bufferedBytes).toBe(0);
  });

  it('shares one metric set per registry and stops reporting an untracked engine', async () => {
    const registry = new Registry();
    expect(storageMetrics(registry)).toBe(storageMetrics(registry));
    const totals = { hit: 0, joined: 0, miss: 0 };
    const fake = {
      bufferedBytes: 7,
      flushWaitMs: 12,
      ownedPartitions: () => [1, 2, 3],
      cachedBytes: () => 11,
      cacheReads: () => ({ reads: totals, bytes: totals }),
    };
    const untrack = storageMetrics(registry).track(fake);
    const server = await startMetricsServer({ listen: { host: '127.0.0.1', port: 0 }, registry });
    cleanup.push(() => server.close());
    let text = await scrape(server.port);
    expect(sample(text, 'kafscale_storage_owned_partitions')).toBe(3);
    expect(sample(text, 'kafscale_storage_buffered_bytes')).toBe(7);
    expect(sample(text, 'kafscale_storage_cache_bytes')).toBe(11);
    expect(sample(text, 'kafscale_storage_flush_wait_seconds')).toBe(0.012);
    untrack();
    text = await scrape(server.port);
    expect(sample(text, 'kafscale_storage_owned_partitions')).toBe(0);
  });
});

describe('flush interval and read cache metrics', () => {
  it('observe the time between flush starts, from the second flush on', async () => {
    const { engine, read } = await setup();
    expect((await engine.claim(T, 0)).kind).toBe('claimed');
    for (const v of ['a', 'b', 'c'])
      offsetOf((await engine.append([{ topicId: T, partition: 0, records: batchOf(v) }]))[0]);
    const text = await read();
    expect(sample(text, 'kafscale_storage_flushes_total', { outcome: 'committed' })).toBe(3);
    expect(sample(text, 'kafscale_storage_flush_interval_seconds_count')).toBe(2);
    expect(sample(text, 'kafscale_storage_flush_interval_seconds_sum')).toBeGreaterThan(0);
  });

  it('count fetch reads of the cache by outcome and report its size', async () => {
    const { engine, read } = await setup();
    expect((await engine.claim(T, 0)).kind).toBe('claimed');
    const records = batchOf('a', 'b');
    offsetOf((await engine.append([{ topicId: T, partition: 0, records }]))[0]);
    const fetchAll = () =>
      engine.fetch([{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }], {
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
      });
    await fetchAll();
    await fetchAll();
    let text = await read();
    expect(sample(text, 'kafscale_storage_cache_reads_total', { outcome: 'hit' })).toBe(2);
    expect(sample(text, 'kafscale_storage_cache_read_bytes_total', { outcome: 'hit' })).toBe(
      2 * records.length,
    );
    expect(sample(text, 'kafscale_storage_cache_reads_total', { outcome: 'miss' })).toBe(undefined);
    expect(sample(text, 'kafscale_storage_cache_bytes')).toBe(engine.cachedBytes());
    // Totals are counted once: a second scrape adds only what came since.
    await fetchAll();
    text = await read();
    expect(sample(text, 'kafscale_storage_cache_reads_total', { outcome: 'hit' })).toBe(3);
  });
});

describe('idempotent batch metrics', () => {
  it('counts duplicates and refusals by Kafka error name', async () => {
    const registry = new Registry();
    const metrics = storageMetrics(registry);
    metrics.onSequenceVerdict('duplicate', 0);
    metrics.onSequenceVerdict('duplicate', 0);
    metrics.onSequenceVerdict('refused', 45);
    const text = await registry.metrics();
    expect(text).toContain('kafscale_storage_idempotent_batches_total{verdict="duplicate"} 2');
    expect(text).toContain(
      'kafscale_storage_idempotent_batches_total{verdict="OUT_OF_ORDER_SEQUENCE_NUMBER"} 1',
    );
  });
});
