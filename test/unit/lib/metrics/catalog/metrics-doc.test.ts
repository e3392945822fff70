import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeMetrics } from '../../../../../lib/metrics/catalog/describe-metrics.js';
import {
  metricsSectionOf,
  renderMetricsSection,
  spliceMetricsSection,
} from '../../../../../lib/metrics/catalog/metrics-doc.js';
import {
  PROCESS_KINDS,
  processRegistry,
} from '../../../../../lib/metrics/catalog/process-registries.js';

const page = () =>
  readFileSync(join(import.meta.dirname, '../../../../../docs/operations.md'), 'utf8');

describe('docs/operations.md, ## Metrics', () => {
  it('lists every metric each process registers', async () => {
    // The first cell of a row of the section's tables (prettier pads cells with spaces).
    const listed = new Set(
      [...(metricsSectionOf(page()) ?? '').matchAll(/^\| `(kafscale_\w+)` +\|/gm)].map((m) => m[1]),
    );
    const missing: string[] = [];
    for (const kind of PROCESS_KINDS)
      for (const m of await describeMetrics(processRegistry(kind)))
        if (!listed.has(m.name)) missing.push(`${kind}: ${m.name}`);
    expect(missing, 'run npx tsx scripts/metrics-doc.ts').toEqual([]);
  });

  it('is what scripts/metrics-doc.ts writes', async () => {
    const doc = page();
    expect(doc.startsWith('# Operations\n')).toBe(true);
    expect(
      spliceMetricsSection(doc, await renderMetricsSection()),
      'run npx tsx scripts/metrics-doc.ts',
    ).toBe(doc);
  });
});

describe('spliceMetricsSection', () => {
  const section = '## Metrics\n\nnew\n';

  it('replaces only the metrics section', () => {
    const doc =
      '# Ops\n\nintro\n\n## Run\n\nrun it\n\n## Metrics\n\nold\nolder\n\n## Drain\n\ndrain it\n';
    expect(spliceMetricsSection(doc, section)).toBe(
      '# Ops\n\nintro\n\n## Run\n\nrun it\n\n## Metrics\n\nnew\n\n## Drain\n\ndrain it\n',
    );
    expect(metricsSectionOf(doc)).toBe('## Metrics\n\nold\nolder\n');
  });

  it('replaces a last section, and appends one to a page without it', () => {
    expect(spliceMetricsSection('# Ops\n\n## Metrics\n\nold\n', section)).toBe(
      '# Ops\n\n## Metrics\n\nnew\n',
    );
    expect(spliceMetricsSection('# Ops\n\nintro\n', section)).toBe(
      '# Ops\n\nintro\n\n## Metrics\n\nnew\n',
    );
    expect(metricsSectionOf('# Ops\n')).toBeUndefined();
  });
});
