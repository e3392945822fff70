import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { describeMetrics } from '../../../../../lib/metrics/catalog/describe-metrics.js';
import {
  PROCESS_KINDS,
  processRegistry,
} from '../../../../../lib/metrics/catalog/process-registries.js';

const names = async (kind: (typeof PROCESS_KINDS)[number]) =>
  (await describeMetrics(processRegistry(kind))).map((m) => m.name);

describe('processRegistry', () => {
  it('declares what each process exports, and only that', async () => {
    const edge = await names('edge');
    const storage = await names('storage-node');
    const controlplane = await names('controlplane');
    for (const all of [edge, storage, controlplane]) {
      expect(all).toContain('kafscale_process_resident_memory_bytes');
      expect(all).toContain('kafscale_nodejs_eventloop_lag_p99_seconds');
      expect(all).toContain('kafscale_etcd_txn_duration_seconds');
      expect(all.every((n) => n.startsWith('kafscale_'))).toBe(true);
    }
    expect(edge).toEqual(
      expect.arrayContaining([
        'kafscale_produce_rps',
        'kafscale_fetch_rps',
        'kafscale_kafka_requests_total',
      ]),
    );
    expect(edge).not.toContain('kafscale_s3_requests_total');
    expect(storage).toEqual(
      expect.arrayContaining([
        'kafscale_s3_request_duration_seconds',
        'kafscale_storage_cache_reads_total',
        'kafscale_storage_flush_interval_seconds',
        'kafscale_storage_compactions_total',
      ]),
    );
    expect(storage).not.toContain('kafscale_produce_rps');
    expect(controlplane).toEqual(
      expect.arrayContaining(['kafscale_controlplane_leader', 'kafscale_group_shards_held']),
    );
    expect(controlplane).not.toContain('kafscale_storage_owned_partitions');
    const consoleNames = await names('console');
    expect(consoleNames).toEqual(
      expect.arrayContaining([
        'kafscale_console_http_requests_total',
        'kafscale_console_controlplane_up',
        'kafscale_process_resident_memory_bytes',
      ]),
    );
    // The console never talks to etcd.
    expect(consoleNames).not.toContain('kafscale_etcd_txn_duration_seconds');
  });

  it('builds a fresh registry each time', () => {
    expect(processRegistry('edge')).not.toBe(processRegistry('edge'));
  });
});

describe('describeMetrics', () => {
  it('gives each metric its type, declared labels (not le) and help, by name', async () => {
    const registry = new Registry();
    new Histogram({
      name: 'b_seconds',
      help: 'B.',
      labelNames: ['op'],
      buckets: [1],
      registers: [registry],
    });
    new Counter({ name: 'a_total', help: 'A.', registers: [registry] });
    expect(await describeMetrics(registry)).toEqual([
      { name: 'a_total', type: 'counter', labels: [], help: 'A.' },
      { name: 'b_seconds', type: 'histogram', labels: ['op'], help: 'B.' },
    ]);
  });
});
