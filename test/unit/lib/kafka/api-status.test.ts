import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { currentApiStatus } from '../../../../edge/src/api-status.js';
import { API_DEFINITIONS } from '../../../../lib/kafka/gen/index.js';

it('docs/api-status.md is what npm run docs writes, with a row per API key', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../../../docs/api-status.md'), 'utf8');
  expect(doc, 'docs/api-status.md is stale: run npm run docs').toBe(currentApiStatus());
  for (const api of API_DEFINITIONS) expect(doc).toContain(`| ${api.apiKey} | ${api.name} |`);
  expect(doc).toMatch(/\| 18 \| ApiVersions \| 0-4 \| 3\+ \| 0-4 \|/);
  expect(doc).toMatch(/\| 0 \| Produce \| 0-11 \| 9\+ \| 3-11 \|/);
  expect(doc).toMatch(/\| 11 \| JoinGroup \| 0-9 \| 6\+ \| 0-9 \|/);
});
