import { Histogram as PromHistogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  histogramDelta,
  histogramOf,
  histogramQuantile,
  type Histogram,
} from '../../../../console/src/metrics/histogram.js';
import { parsePrometheusText } from '../../../../console/src/metrics/prometheus-text.js';

function hist(buckets: [number, number][]): Histogram {
  const last = buckets[buckets.length - 1]?.[1] ?? 0;
  return { buckets: buckets.map(([le, count]) => ({ le, count })), count: last, sum: 0 };
}

describe('histogramQuantile', () => {
  it('interpolates inside the bucket holding the rank, as PromQL does', () => {
    // 10 observations: 4 in (0, 0.1], 4 in (0.1, 0.5], 2 in (0.5, 1].
    const h = hist([
      [0.1, 4],
      [0.5, 8],
      [1, 10],
      [Infinity, 10],
    ]);
    expect(histogramQuantile(0.5, h)).toBeCloseTo(0.1 + 0.4 * (1 / 4));
    expect(histogramQuantile(0.99, h)).toBeCloseTo(0.5 + 0.5 * (1.9 / 2));
    expect(histogramQuantile(0.2, h)).toBeCloseTo(0.05);
    expect(histogramQuantile(0, h)).toBe(0);
  });

  it('gives the highest finite bound when the rank is in the +Inf bucket', () => {
    const h = hist([
      [0.1, 1],
      [1, 2],
      [Infinity, 10],
    ]);
    expect(histogramQuantile(0.99, h)).toBe(1);
  });

  it('is undefined without observations, without +Inf, or for q outside [0, 1]', () => {
    expect(
      histogramQuantile(
        0.5,
        hist([
          [0.1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeUndefined();
    expect(
      histogramQuantile(
        0.5,
        hist([
          [0.1, 3],
          [1, 3],
        ]),
      ),
    ).toBeUndefined();
    expect(
      histogramQuantile(
        1.5,
        hist([
          [0.1, 3],
          [Infinity, 3],
        ]),
      ),
    ).toBeUndefined();
  });

  it('agrees with observations made through prom-client', async () => {
    const registry = new Registry();
    const h = new PromHistogram({
      name: 'kafscale_t_seconds',
      help: 't',
      labelNames: ['op'],
      buckets: [0.001, 0.01, 0.1, 1],
      registers: [registry],
    });
    for (let i = 0; i < 98; i++) h.observe({ op: 'put' }, 0.005);
    h.observe({ op: 'get' }, 0.5);
    h.observe({ op: 'get' }, 0.5);
    const { samples } = parsePrometheusText(await registry.metrics());
    const all = histogramOf(samples, 'kafscale_t_seconds');
    if (all === undefined) throw new Error('the histogram was not read back');
    expect(all.count).toBe(100);
    // p50 falls in (0.001, 0.01]: 50 of the 98 there.
    expect(histogramQuantile(0.5, all)).toBeCloseTo(0.001 + 0.009 * (50 / 98));
    // p99 in (0.1, 1]: rank 99, one of the two observations there.
    expect(histogramQuantile(0.99, all)).toBeCloseTo(0.1 + 0.9 * 0.5);
    const gets = histogramOf(samples, 'kafscale_t_seconds', (l) => l.op === 'get');
    expect(gets?.count).toBe(2);
    expect(histogramOf(samples, 'kafscale_absent_seconds')).toBeUndefined();
  });
});

describe('histogramDelta', () => {
  it('subtracts an earlier reading bucket by bucket', () => {
    const earlier = hist([
      [0.1, 2],
      [Infinity, 3],
    ]);
    const later = hist([
      [0.1, 5],
      [Infinity, 9],
    ]);
    expect(histogramDelta(later, earlier)?.buckets).toEqual([
      { le: 0.1, count: 3 },
      { le: Infinity, count: 6 },
    ]);
  });

  it('refuses readings that do not line up (other buckets, a restarted process)', () => {
    const a = hist([
      [0.1, 2],
      [Infinity, 3],
    ]);
    expect(histogramDelta(a, hist([[Infinity, 3]]))).toBeUndefined();
    expect(
      histogramDelta(
        a,
        hist([
          [0.1, 5],
          [Infinity, 9],
        ]),
      ),
    ).toBeUndefined();
  });
});
