/**
 * `npm run bench:profile`: where Kafscale's CPU goes under the benchmark's load. Starts the
 * real stack with every service under `node --cpu-prof`, produces KAFSCALE_BENCH_RECORDS
 * records of 1 KiB as fast as possible with ProducerPerformance (acks=all, 6 partitions),
 * reads them back with ConsumerPerformance, stops the services (each writes its profile on
 * exit) and prints, per service, self and inclusive time by function and by source. The
 * profiles stay in the printed directory for Chrome DevTools or speedscope.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSummary, summarizeProfile } from './cpu-profile.js';
import { cpuSnapshot, cpuUsed } from './cpu-time.js';
import { toolJars } from './jars.js';
import { startKafscaleStack } from './kafscale-stack.js';
import {
  diffCounters,
  readCounters,
  sumSamples,
  type StoreCounters,
} from '../../test/support/store-counters.js';
import { SOURCE_ROOT } from '../../test/fixtures/kafscale-source.js';
import { scrape } from '../../test/support/scrape-metrics.js';
import { consumerPerformance, createTopic, producerPerformance } from './perf-tools.js';

/** `--no-cpu-prof`: the same run without the profiler, for CPU seconds free of its overhead. */
function parseArgs(argv: readonly string[]): { readonly cpuProf: boolean } {
  let cpuProf = true;
  for (const arg of argv) {
    if (arg === '--no-cpu-prof') cpuProf = false;
    else throw new Error(`unknown argument "${arg}" (expected --no-cpu-prof)`);
  }
  return { cpuProf };
}

/** CPU seconds per process since `before`, and per GiB of `bytes`. */
function formatCpu(used: ReadonlyMap<string, number>, bytes: number): string {
  const gib = bytes / 2 ** 30;
  const total = [...used.values()].reduce((a, b) => a + b, 0);
  const parts = [...used].map(([name, s]) => `${name} ${s.toFixed(1)}`);
  return `cpu s: ${parts.join(', ')}; total ${total.toFixed(1)} = ${(total / gib).toFixed(0)} s/GiB`;
}

async function main(): Promise<void> {
  const raw = process.env.KAFSCALE_BENCH_RECORDS;
  const records = raw === undefined || raw === '' ? 200_000 : Number(raw);
  if (!Number.isInteger(records) || records < 1000)
    throw new Error(`KAFSCALE_BENCH_RECORDS must be an integer >= 1000, not ${String(raw)}`);
  const jars = toolJars();
  if ('missing' in jars) throw new Error(`cannot profile: ${jars.missing}`);
  const { cpuProf } = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'kafscale-profile-'));
  const stack = await startKafscaleStack(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
  const kinds = new Map<number, string>();
  const name = (): void => {
    for (const s of stack.services())
      if (!kinds.has(s.process.pid))
        kinds.set(s.process.pid, `${s.kind}${kinds.size > 2 ? ' (consume)' : ' (produce)'}`);
  };
  name();
  try {
    const target = { lib: jars.lib, bootstrap: stack.bootstrap };
    await createTopic(target, 'profile', 6);
    let before = await readCounters(stack.services());
    const costs = async (): Promise<string> => {
      const after = await readCounters(stack.services());
      const d: StoreCounters = diffCounters(after, before);
      before = after;
      return `S3 ${d.s3Puts} PUTs (${(d.s3PutBytes / 2 ** 20).toFixed(0)} MiB), ${d.s3Gets} GETs (${(d.s3GetBytes / 2 ** 20).toFixed(0)} MiB), ${d.etcdTxns} etcd txns, ${d.flushes} flushes, ${d.compactions} compactions`;
    };
    const latencies = async (): Promise<string> => {
      const texts = await Promise.all(stack.services().map((s) => scrape(s.metricsPort)));
      const mean = (name: string, labels: Record<string, string> = {}): string => {
        const sum = texts.reduce((n, t) => n + sumSamples(t, `${name}_sum`, labels), 0);
        const count = texts.reduce((n, t) => n + sumSamples(t, `${name}_count`, labels), 0);
        return `${((1000 * sum) / Math.max(count, 1)).toFixed(1)} ms`;
      };
      const s3 = 'kafscale_s3_request_duration_seconds';
      return `mean S3 put ${mean(s3, { op: 'put' })}, get ${mean(s3, { op: 'get' })}, etcd txn ${mean('kafscale_etcd_txn_duration_seconds')}`;
    };
    const recordBytes = records * 1024;
    let cpuBefore = cpuSnapshot(stack.pids());
    const cpu = (): string => {
      const now = cpuSnapshot(stack.pids());
      const used = cpuUsed(now, cpuBefore);
      cpuBefore = now;
      return formatCpu(used, recordBytes);
    };
    const p = await producerPerformance(target, 'profile', records, -1);
    console.log(
      `produce: ${p.records} records, ${p.mibPerSec} MiB/s, p99 ${p.p99Ms} ms, ${p.errors} failed; ${await costs()}; ${await latencies()}; ${cpu()}`,
    );
    // The produce's storage node writes its profile; a fresh one serves the reads.
    await stack.restartStorageNode();
    name();
    before = await readCounters(stack.services());
    cpuBefore = cpuSnapshot(stack.pids());
    for (const phase of ['cold', 'warm']) {
      const c = await consumerPerformance(target, 'profile', records, `profile-${phase}`);
      console.log(
        `consume ${phase}: ${c.records} records, ${c.fetchMibPerSec} MiB/s (fetch time)${c.warning === undefined ? '' : ` (${c.warning})`}; ${await costs()}; ${cpu()}`,
      );
    }
  } finally {
    await stack.stop();
    console.log(`service logs:\n${stack.outputSummary()}`);
  }
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]);
    const kind = kinds.get(pid);
    if (kind === undefined) continue; // tsx's own loader process
    console.log(
      `\n${formatSummary(`${kind} (${join(dir, file)})`, summarizeProfile(join(dir, file), SOURCE_ROOT))}`,
    );
  }
}

await main();
