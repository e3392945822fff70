/**
 * Writes the "## Metrics" section of docs/operations.md from the processes' metric
 * definitions (lib/metrics/catalog/), leaving the rest of the page as it is. `--check`
 * fails when the section is stale.
 *
 *   npx tsx scripts/metrics-doc.ts [--check]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMetricsSection, spliceMetricsSection } from '../lib/metrics/catalog/metrics-doc.js';

const path = fileURLToPath(new URL('../docs/operations.md', import.meta.url));
const NEW_PAGE = '# Operations\n\nHow to run, observe and look after a Kafscale cluster.\n';

const current = existsSync(path) ? readFileSync(path, 'utf8') : NEW_PAGE;
const next = spliceMetricsSection(current, await renderMetricsSection());
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/operations.md is stale: run npx tsx scripts/metrics-doc.ts');
    process.exit(1);
  }
} else {
  writeFileSync(path, next);
}
// The process metrics keep an event-loop monitor alive.
process.exit(0);
