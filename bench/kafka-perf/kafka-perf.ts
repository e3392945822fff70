/**
 * Kafscale against Apache Kafka with Kafka's own perf tools as the client (docs/benchmark.md):
 * Kafscale's real stack (etcd, MinIO, controlplane, storage node, edge as processes) and a
 * reference Kafka 3.9.1 broker on the same machine, the same phases against both, tables of
 * ratios Kafscale / Kafka. KAFSCALE_BENCH_RECORDS sets the records of the throughput phases
 * (default 1,000,000 of 1 KiB). Without the reference broker's jars only Kafscale runs.
 */
import { execFileSync } from 'node:child_process';
import { brokerJars, toolJars } from './jars.js';
import { startKafkaBroker, type KafkaBroker } from './kafka-broker.js';
import { startKafscaleStack, type KafscaleStack } from './kafscale-stack.js';
import { PeakRss } from './peak-rss.js';
import { RECORD_BYTES } from './perf-tools.js';
import { runPhases, type PhaseSettings, type Target } from './phases.js';
import { printCostTable, printCpuTable, printMetricTables, printRssTable } from './report.js';
import { SOURCE_ROOT } from '../../test/fixtures/kafscale-source.js';
import { readCounters } from '../../test/support/store-counters.js';
import { describeModel } from '../../test/fixtures/s3-model/parse-model-flag.js';
import type { BenchArgs } from '../bench-args.js';

const log = (line: string): void => {
  console.log(line);
};

/**
 * The storage node's cache for the run: large enough to hold the records the consume
 * phases read (with a quarter to spare for batch framing and index pieces), and never
 * below the default 256 MiB. Kafka serves its warm read from the OS page cache, which
 * holds the whole log here; with the default cache, a 1,000,000-record warm read went
 * to S3 again.
 */
function cacheBytesFor(records: number): number {
  return Math.max(256 * 2 ** 20, Math.ceil(records * RECORD_BYTES * 1.25));
}

function settings(args: BenchArgs): PhaseSettings {
  const raw = process.env.KAFSCALE_BENCH_RECORDS;
  const records =
    raw === undefined || raw === '' ? (args.quick ? 100_000 : 1_000_000) : Number(raw);
  if (!Number.isInteger(records) || records < 1000)
    throw new Error(`KAFSCALE_BENCH_RECORDS must be an integer >= 1000, not ${String(raw)}`);
  const rateRecordsPerSec = 10_240; // 10 MiB/s of 1 KiB records
  // About 20 s at the fixed rate, fewer in a quick run.
  return {
    records,
    rateRecordsPerSec,
    rateRecords: Math.min(records, 20 * rateRecordsPerSec),
    roundTrips: Math.min(1000, Math.max(200, Math.round(records / 1000))),
    partitions: 6,
  };
}

/** The commit Kafscale runs from (it runs from source) and any local changes to its source. */
function sourceVersion(): string {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: SOURCE_ROOT, encoding: 'utf8' }).trim();
  try {
    const changed = git(
      'status',
      '--porcelain',
      '--',
      'lib',
      'edge',
      'controlplane',
      'storage-node',
    );
    const n = changed === '' ? 0 : changed.split('\n').length;
    return `${git('describe', '--always')}${n === 0 ? '' : ` with ${n} changed source files`}`;
  } catch {
    return '(not a git checkout)';
  }
}

export async function kafkaPerfBenchmark(args: BenchArgs): Promise<void> {
  const s = settings(args);
  log(
    `Kafscale ${sourceVersion()} against Kafka 3.9.1, ${s.records.toLocaleString('en-US')} records ` +
      `(KAFSCALE_BENCH_RECORDS), ${new Date().toISOString()}\n` +
      `Kafscale's object store: ${args.s3Model === undefined ? 'MinIO on loopback' : `MinIO behind the S3 latency model ${describeModel(args.s3Model)}`}\n` +
      `Producers: acks=all, ${args.producerProps.length === 0 ? 'defaults otherwise' : args.producerProps.join(' ')}\n`,
  );
  const tools = toolJars();
  if ('missing' in tools) {
    log(`skipped: ${tools.missing}`);
    return;
  }
  const broker = await brokerJars(log);
  if ('missing' in broker) log(`reference broker skipped: ${broker.missing}`);

  let kafka: KafkaBroker | undefined;
  let stack: KafscaleStack | undefined;
  const kafkaRss = new PeakRss(() =>
    kafka === undefined ? [] : [{ name: 'broker JVM', pid: kafka.pid() }],
  );
  const kafscaleRss = new PeakRss(() => stack?.pids() ?? []);
  try {
    if ('lib' in broker) {
      try {
        kafka = await startKafkaBroker(broker.lib);
      } catch (err) {
        log(`reference broker skipped: it did not start: ${String(err)}`);
      }
    }
    stack = await startKafscaleStack([], args.s3Model, {
      KAFSCALE_CACHE_BYTES: String(cacheBytesFor(s.records)),
    });
    kafkaRss.start();
    kafscaleRss.start();
    const targets: Target[] = [];
    if (kafka !== undefined) {
      const k = kafka;
      targets.push({
        name: 'Kafka',
        tools: { lib: tools.lib, bootstrap: k.bootstrap, producerProps: args.producerProps },
        restartForColdRead: async () => {
          kafkaRss.sample();
          await k.restart();
          return undefined;
        },
        pids: () => [{ name: 'broker JVM', pid: k.pid() }],
        outputTails: () => k.outputTail().slice(-3000),
      });
    }
    const st = stack;
    targets.push({
      name: 'Kafscale',
      tools: { lib: tools.lib, bootstrap: st.bootstrap, producerProps: args.producerProps },
      restartForColdRead: async (topic) => {
        const settled = await st.settleCompaction(topic);
        kafscaleRss.sample();
        await st.restartStorageNode();
        return settled;
      },
      counters: () => readCounters(st.services()),
      pids: () => st.pids(),
      outputTails: () => st.outputTails(),
    });
    const started = performance.now();
    const results = await runPhases(targets, s, log);
    log(`  phases took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const reference = results.get('Kafka');
    const kafscale = results.get('Kafscale') ?? { costs: [], cpu: [], failures: [] };
    printMetricTables(reference, kafscale, s);
    printCostTable(kafscale.costs);
    printCpuTable(reference?.cpu, kafscale.cpu);
    printRssTable(kafka === undefined ? undefined : kafkaRss.stop(), kafscaleRss.stop());
    console.log(
      [
        '',
        'Records of 1 KiB, acks=all, one topic of 6 partitions per phase, client defaults otherwise',
        '(Kafka 3.9.1 clients: linger.ms=0, batch.size=16384, idempotence on)' +
          (args.producerProps.length === 0
            ? '.'
            : `, but for the producers' ${args.producerProps.join(' ')}.`) +
          ' Both servers run with',
        "their defaults but for Kafscale's cache, sized to hold the records read as Kafka's page",
        `cache does (KAFSCALE_CACHE_BYTES=${cacheBytesFor(s.records)}). Acknowledgements differ: Kafka`,
        '(one broker, replication factor 1) acknowledges acks=all once the batch is in its page cache',
        '(log.flush.* defaults leave fsync to the OS); Kafscale acknowledges after the batch is in an',
        'S3 object (PUT) and the object is committed in etcd. Cold: Kafka restarted (its log stays in',
        "the OS page cache), Kafscale's storage node restarted (empty cache: reads are S3 GETs). Ratios",
        'are against the Kafka run of this session.',
      ].join('\n'),
    );
    log(
      `\nKafscale services' output during the run (log level warn; last 16 KiB of each):\n${st.outputSummary()}`,
    );
    for (const [name, r] of results) {
      for (const f of r.failures) console.log(`\n${name} failure: ${f}`);
    }
  } finally {
    await stack?.stop();
    await kafka?.stop();
  }
}
