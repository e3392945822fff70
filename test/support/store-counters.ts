/**
 * What a phase cost Kafscale in store requests: the object-store and metadata-store counters
 * of lib/metrics/store-metrics.ts, summed over every label and over every service's /metrics,
 * read before and after the phase; and the storage node's flushes and compacted segments, to
 * tell the PUTs of flushes from the rest.
 */
import type { ServiceProcess } from '../fixtures/kafscale-cluster.js';
import { scrape } from './scrape-metrics.js';

export interface StoreCounters {
  readonly s3Puts: number;
  readonly s3Gets: number;
  readonly s3PutBytes: number;
  readonly s3GetBytes: number;
  readonly etcdTxns: number;
  /** Flush objects (one PUT each). */
  readonly flushes: number;
  /** Segments written by compaction (one PUT each, after GETs of the runs merged). */
  readonly compactions: number;
  /** Flush PUTs hedged with a second PUT (one more PUT each). */
  readonly hedgedPuts: number;
}

/** The sum of every sample of `name` whose labels include `labels`. */
export function sumSamples(
  exposition: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m?.[1] !== name) continue;
    const text = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => text.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

export async function readCounters(services: readonly ServiceProcess[]): Promise<StoreCounters> {
  const texts = await Promise.all(services.map((s) => scrape(s.metricsPort)));
  const total = (name: string, labels: Readonly<Record<string, string>> = {}): number =>
    texts.reduce((sum, t) => sum + sumSamples(t, name, labels), 0);
  return {
    s3Puts: total('kafscale_s3_requests_total', { op: 'put' }),
    s3Gets: total('kafscale_s3_requests_total', { op: 'get' }),
    s3PutBytes: total('kafscale_s3_put_bytes_total'),
    s3GetBytes: total('kafscale_s3_get_bytes_total'),
    etcdTxns: total('kafscale_etcd_txns_total'),
    flushes: total('kafscale_storage_flushes_total'),
    compactions: total('kafscale_storage_compactions_total'),
    hedgedPuts: total('kafscale_storage_hedged_puts_total'),
  };
}

export function diffCounters(after: StoreCounters, before: StoreCounters): StoreCounters {
  const d = (k: keyof StoreCounters): number => after[k] - before[k];
  return {
    s3Puts: d('s3Puts'),
    s3Gets: d('s3Gets'),
    s3PutBytes: d('s3PutBytes'),
    s3GetBytes: d('s3GetBytes'),
    etcdTxns: d('etcdTxns'),
    flushes: d('flushes'),
    compactions: d('compactions'),
    hedgedPuts: d('hedgedPuts'),
  };
}
