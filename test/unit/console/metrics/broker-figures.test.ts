import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { brokerFigures } from '../../../../console/src/metrics/broker-figures.js';
import {
  MetricsSampler,
  type MetricsWindow,
} from '../../../../console/src/metrics/metrics-sampler.js';
import { parsePrometheusText } from '../../../../console/src/metrics/prometheus-text.js';
import type { SourceReading } from '../../../../console/src/metrics/scrape-source.js';
import { instrumentObjectStore } from '../../../../lib/metrics/store-metrics.js';
import { ObjectNotFoundError } from '../../../../lib/stores/object-store.js';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';

async function reading(url: string, registry: Registry): Promise<SourceReading> {
  const parsed = parsePrometheusText(await registry.metrics());
  return {
    url,
    ok: true,
    error: undefined,
    samples: parsed.samples,
    counters: [...parsed.types].filter(([, t]) => t === 'counter').map(([n]) => n),
  };
}

function windowOf(...sources: SourceReading[]): MetricsWindow {
  return {
    current: {
      at: 1_000,
      sources,
      samples: sources.flatMap((s) => s.samples),
      counters: new Set(sources.flatMap((s) => s.counters)),
    },
    baseline: undefined,
  };
}

describe('brokerFigures', () => {
  it('shows every figure as unavailable (null) when nothing is configured', () => {
    const f = brokerFigures(windowOf(), false);
    expect(f.configured).toBe(false);
    expect(f.throughput).toEqual({ produceRps: null, fetchRps: null });
    expect(f.objectStore.requests).toBeNull();
    expect(f.objectStore.errors).toBeNull();
    expect(f.objectStore.latency.p99Seconds).toBeNull();
    expect(f.metadataStore.txns).toBeNull();
    expect(f.metadataStore.txnLatency.p50Seconds).toBeNull();
  });

  it('reads the object store figures the storage metrics export, errors by outcome', async () => {
    const registry = new Registry();
    const store = instrumentObjectStore(new MemoryObjectStore(), registry);
    await store.put('a', new Uint8Array(100));
    await store.put('b', new Uint8Array(28));
    await store.get('a');
    await expect(store.get('missing')).rejects.toBeInstanceOf(ObjectNotFoundError);
    const f = brokerFigures(windowOf(await reading('http://s/metrics', registry)), true);
    expect(f.objectStore.requests).toBe(4);
    // not_found is an answer, not an error.
    expect(f.objectStore.errors).toBe(0);
    expect(f.objectStore.putBytes).toBe(128);
    expect(f.objectStore.getBytes).toBe(100);
    expect(f.objectStore.operations.map((o) => [o.op, o.requests])).toEqual([
      ['get', 2],
      ['put', 2],
    ]);
    expect(f.objectStore.latency.observations).toBe(4);
    expect(f.objectStore.latency.p50Seconds).toBeGreaterThan(0);
    expect(f.objectStore.latency.windowSeconds).toBeNull();
    // The edge's gauges are not in this endpoint: unavailable, not 0.
    expect(f.throughput.produceRps).toBeNull();
  });

  it('counts a declared counter without samples as 0, an undeclared one as unavailable', async () => {
    const registry = new Registry();
    instrumentObjectStore(new MemoryObjectStore(), registry);
    const f = brokerFigures(windowOf(await reading('http://s/metrics', registry)), true);
    expect(f.objectStore.requests).toBe(0);
    expect(f.objectStore.errors).toBe(0);
    expect(f.objectStore.getBytes).toBe(0);
    expect(f.objectStore.latency.p99Seconds).toBeNull();
    expect(f.metadataStore.txns).toBeNull();
  });

  it('adds up the gauges of several edges', async () => {
    const edges = await Promise.all(
      [120, 30.5].map(async (rps, i) => {
        const registry = new Registry();
        new Gauge({ name: 'kafscale_produce_rps', help: 'p', registers: [registry] }).set(rps);
        new Gauge({ name: 'kafscale_fetch_rps', help: 'f', registers: [registry] }).set(rps / 2);
        return reading(`http://edge-${i}/metrics`, registry);
      }),
    );
    const f = brokerFigures(windowOf(...edges), true);
    expect(f.throughput).toEqual({ produceRps: 150.5, fetchRps: 75.25 });
    expect(f.sources.map((s) => s.ok)).toEqual([true, true]);
  });

  it('gives latencies over the recent window when an earlier reading is kept', async () => {
    const registry = new Registry();
    const store = instrumentObjectStore(new MemoryObjectStore(), registry);
    let now = 0;
    const sampler = new MetricsSampler({
      urls: ['http://s/metrics'],
      now: () => now,
      scrape: (url) => reading(url, registry),
    });
    await store.put('a', new Uint8Array(1));
    await sampler.read();
    now = 30_000;
    await store.put('b', new Uint8Array(1));
    await store.put('c', new Uint8Array(1));
    const f = brokerFigures(await sampler.read(), true);
    expect(f.objectStore.latency.windowSeconds).toBe(30);
    expect(f.objectStore.latency.observations).toBe(2);
    expect(f.objectStore.requests).toBe(3);
  });
});

describe('MetricsSampler', () => {
  it('shares one scrape between reads a second apart and keeps a 60 s window', async () => {
    let now = 0;
    let scrapes = 0;
    const sampler = new MetricsSampler({
      urls: ['http://a/metrics'],
      now: () => now,
      scrape: (url) => {
        scrapes++;
        return Promise.resolve({ url, ok: true, error: undefined, samples: [], counters: [] });
      },
    });
    const [a, b] = await Promise.all([sampler.read(), sampler.read()]);
    expect(scrapes).toBe(1);
    expect(a.current).toBe(b.current);
    expect(a.baseline).toBeUndefined();
    now = 500;
    await sampler.read();
    expect(scrapes).toBe(1);
    now = 20_000;
    const w = await sampler.read();
    expect(scrapes).toBe(2);
    expect(w.baseline?.at).toBe(0);
    now = 90_000;
    const later = await sampler.read();
    // The readings at 0 and 20 s are older than the window: the oldest kept is the newest.
    expect(later.baseline).toBeUndefined();
  });

  it('reports an endpoint that fails, and leaves that reading out of the window', async () => {
    let now = 0;
    let ok = false;
    const sampler = new MetricsSampler({
      urls: ['http://a/metrics'],
      now: () => now,
      scrape: (url) =>
        Promise.resolve(
          ok
            ? { url, ok: true, error: undefined, samples: [], counters: [] }
            : { url, ok: false, error: 'connect ECONNREFUSED', samples: [], counters: [] },
        ),
    });
    const first = await sampler.read();
    expect(first.current.sources[0]?.error).toBe('connect ECONNREFUSED');
    const f = brokerFigures(first, true);
    expect(f.sources).toEqual([
      { url: 'http://a/metrics', ok: false, error: 'connect ECONNREFUSED' },
    ]);
    expect(f.throughput.produceRps).toBeNull();
    ok = true;
    now = 5_000;
    const second = await sampler.read();
    expect(second.baseline).toBeUndefined();
  });
});
