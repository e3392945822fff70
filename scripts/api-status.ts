/**
 * Writes docs/api-status.md from the generated codec's registry: every Kafka API key with
 * the versions the codec encodes and decodes. `--check` fails when the file is stale.
 *
 *   tsx scripts/api-status.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { currentApiStatus } from '../edge/src/api-status.js';

const path = fileURLToPath(new URL('../docs/api-status.md', import.meta.url));
const text = currentApiStatus();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('docs/api-status.md is stale: run npm run docs');
    process.exit(1);
  }
} else {
  writeFileSync(path, text);
}
