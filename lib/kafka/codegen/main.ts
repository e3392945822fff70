/**
 * The Kafka codec generator. Reads Apache Kafka's JSON message definitions from
 * ../shared/kafka-protocol (or KAFKA_PROTOCOL_DIR... no: the path is fixed by the project
 * layout, or given as --specs DIR) and writes lib/kafka/gen/. With --check it writes
 * nothing and exits 1 when the committed output differs from what it would write.
 *
 *   tsx lib/kafka/codegen/main.ts [--specs DIR] [--check]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAll } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const args = process.argv.slice(2);
const specsAt = args.indexOf('--specs');
const specsDir =
  specsAt >= 0 ? resolve(args[specsAt + 1] ?? '') : resolve(root, '../shared/kafka-protocol');
const check = args.includes('--check');
const outDir = join(root, 'lib/kafka/gen');

if (!existsSync(specsDir)) {
  console.error(`codegen: no specs at ${specsDir}`);
  process.exit(2);
}
const files = generateAll(specsDir);

if (check) {
  const stale: string[] = [];
  const existing = existsSync(outDir) ? readdirSync(outDir, { recursive: true }).map(String) : [];
  for (const [name, text] of files) {
    const p = join(outDir, name);
    if (!existsSync(p) || readFileSync(p, 'utf8') !== text) stale.push(name);
  }
  for (const name of existing) {
    if (name.endsWith('.ts') && !files.has(name)) stale.push(`${name} (not generated any more)`);
  }
  if (stale.length > 0) {
    console.error(`codegen: lib/kafka/gen is stale (run npm run codegen): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(`codegen: lib/kafka/gen matches the specs (${files.size} files)`);
} else {
  rmSync(outDir, { recursive: true, force: true });
  for (const [name, text] of files) {
    const p = join(outDir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  console.log(`codegen: wrote ${files.size} files to lib/kafka/gen`);
}
