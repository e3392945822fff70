/**
 * The jars the Kafka benchmark runs with `java -cp DIR/*`:
 * - Kafka's perf tools (kafka-tools 3.9.1), fetched by scripts/test-deps.sh into
 *   $KAFSCALE_CACHE_DIR/compat/kafka-tools/lib for the compatibility tests;
 * - the reference broker (kafka_2.13 3.9.1 with all its dependencies), fetched here on first
 *   use from bench/kafka-broker/pom.xml into $KAFSCALE_CACHE_DIR/bench/kafka-broker/lib,
 *   keyed by the pom's hash as test-deps.sh keys the tools.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, findExecutable } from '../../test/fixtures/processes.js';

const run = promisify(execFile);
const BROKER_POM = join(import.meta.dirname, '../kafka-broker/pom.xml');

/** A lib dir, or why there is none. */
export type Jars = { readonly lib: string } | { readonly missing: string };

function hasJar(lib: string, prefix: string): boolean {
  return (
    existsSync(lib) && readdirSync(lib).some((f) => f.startsWith(prefix) && f.endsWith('.jar'))
  );
}

export function toolJars(): Jars {
  const lib = join(cacheDir(), 'compat', 'kafka-tools', 'lib');
  if (findExecutable('java') === undefined) return { missing: 'java is not on PATH' };
  return hasJar(lib, 'kafka-tools-')
    ? { lib }
    : { missing: `no kafka-tools jars in ${lib}: run \`bash scripts/test-deps.sh\`` };
}

/** Same key as scripts/test-deps.sh's src_hash: the first 16 hex digits of the sha256. */
function pomHash(): string {
  return createHash('sha256').update(readFileSync(BROKER_POM)).digest('hex').slice(0, 16);
}

/** The broker's jars, fetched with Maven when missing or made from another pom. */
export async function brokerJars(log: (line: string) => void): Promise<Jars> {
  const dir = join(cacheDir(), 'bench', 'kafka-broker');
  const lib = join(dir, 'lib');
  const hashFile = join(dir, 'hash');
  const hash = pomHash();
  if (existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash) {
    if (hasJar(lib, 'kafka_2.13-')) return { lib };
  }
  if (findExecutable('mvn') === undefined) return { missing: 'mvn is not on PATH' };
  log(`fetching the Kafka broker jars into ${lib} (cold: about 35 s, 46 MB)`);
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  try {
    await run(
      'mvn',
      ['-q', '-B', '-f', BROKER_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`],
      { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const tail = `${e.stdout ?? ''}${e.stderr ?? ''}`.slice(-2000);
    return { missing: `mvn could not fetch the broker jars: ${e.message}\n${tail}` };
  }
  writeFileSync(hashFile, `${hash}\n`);
  log(`fetched ${readdirSync(lib).length} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { lib };
}
