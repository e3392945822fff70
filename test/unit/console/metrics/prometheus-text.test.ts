import { Registry, Counter, Histogram } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  parsePrometheusText,
  parseSampleLine,
} from '../../../../console/src/metrics/prometheus-text.js';

describe('parsePrometheusText', () => {
  it('reads samples, labels with escapes, special values and TYPE lines', () => {
    const text = [
      '# HELP kafscale_x_total A counter.',
      '# TYPE kafscale_x_total counter',
      'kafscale_x_total{op="put",outcome="ok"} 12',
      'kafscale_x_total{op="get",note="a \\"quoted\\" \\\\ back\\nslash"} 3 1700000000000',
      'kafscale_gauge 1.5e3',
      'kafscale_h_bucket{le="+Inf"} +Inf',
      'kafscale_nan NaN',
      'kafscale_neg -Inf',
      '',
      '   ',
    ].join('\n');
    const parsed = parsePrometheusText(text);
    expect(parsed.skippedLines).toBe(0);
    expect(parsed.types.get('kafscale_x_total')).toBe('counter');
    expect(parsed.samples).toHaveLength(6);
    expect(parsed.samples[0]).toEqual({
      name: 'kafscale_x_total',
      labels: { op: 'put', outcome: 'ok' },
      value: 12,
    });
    expect(parsed.samples[1]?.labels).toEqual({
      op: 'get',
      note: 'a "quoted" \\ back\nslash',
    });
    expect(parsed.samples[2]?.value).toBe(1500);
    expect(parsed.samples[3]?.value).toBe(Infinity);
    expect(parsed.samples[4]?.value).toBeNaN();
    expect(parsed.samples[5]?.value).toBe(-Infinity);
  });

  it('skips and counts malformed lines instead of failing', () => {
    const parsed = parsePrometheusText(
      [
        'good 1',
        '{no_name="x"} 1',
        'bad{unterminated="x} 1',
        'bad{x=unquoted} 1',
        'bad{x="\\q"} 1',
        'bad 1 2 3',
        'bad notanumber',
        'bad',
        'also_good{} 2',
      ].join('\n'),
    );
    expect(parsed.samples.map((s) => [s.name, s.value])).toEqual([
      ['good', 1],
      ['also_good', 2],
    ]);
    expect(parsed.skippedLines).toBe(7);
  });

  it('reads what prom-client writes', async () => {
    const registry = new Registry();
    const c = new Counter({
      name: 'kafscale_c_total',
      help: 'c',
      labelNames: ['a'],
      registers: [registry],
    });
    const h = new Histogram({
      name: 'kafscale_h_seconds',
      help: 'h',
      buckets: [0.1, 1],
      registers: [registry],
    });
    c.inc({ a: 'x"y' }, 2);
    h.observe(0.05);
    h.observe(5);
    const { samples, skippedLines, types } = parsePrometheusText(await registry.metrics());
    expect(skippedLines).toBe(0);
    expect(types.get('kafscale_h_seconds')).toBe('histogram');
    expect(samples).toContainEqual({ name: 'kafscale_c_total', labels: { a: 'x"y' }, value: 2 });
    expect(samples).toContainEqual({
      name: 'kafscale_h_seconds_bucket',
      labels: { le: '+Inf' },
      value: 2,
    });
    expect(samples).toContainEqual({ name: 'kafscale_h_seconds_count', labels: {}, value: 2 });
  });

  it('parses one line on its own', () => {
    expect(parseSampleLine('a_b:c{x="1", y = "2",} 7')).toEqual({
      name: 'a_b:c',
      labels: { x: '1', y: '2' },
      value: 7,
    });
  });
});
