import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { counterOfTotals, type LabelledTotal } from '../../../../lib/metrics/define.js';

describe('counterOfTotals', () => {
  it('adds what each label set grew by since the last scrape, and rebases on a drop', async () => {
    const registry = new Registry();
    let totals: LabelledTotal<'outcome'>[] = [];
    counterOfTotals(registry, {
      name: 'test_reads_total',
      help: 'Reads.',
      labelNames: ['outcome'],
      totals: () => totals,
    });
    const value = async (outcome: string) => {
      const metric = registry.getSingleMetric('test_reads_total');
      const got = await metric?.get();
      return got?.values.find((v) => v.labels.outcome === outcome)?.value;
    };
    totals = [
      { labels: { outcome: 'hit' }, total: 5 },
      { labels: { outcome: 'miss' }, total: 1 },
    ];
    expect(await value('hit')).toBe(5);
    expect(await value('hit')).toBe(5); // read twice, counted once
    totals = [
      { labels: { outcome: 'hit' }, total: 8 },
      { labels: { outcome: 'miss' }, total: 1 },
    ];
    expect(await value('hit')).toBe(8);
    // A source went away: its part of the total is not counted back, and growth from the
    // new baseline is counted.
    totals = [{ labels: { outcome: 'hit' }, total: 2 }];
    expect(await value('hit')).toBe(8);
    totals = [{ labels: { outcome: 'hit' }, total: 4 }];
    expect(await value('hit')).toBe(10);
    expect(await value('miss')).toBe(1);
  });
});
