/**
 * Client quotas on the real stack (etcd, MinIO, controlplane, storage node and edge as
 * separate processes) with Apache Kafka's own tools:
 * 1. kafka-configs (ConfigCommand) sets producer_byte_rate=262144 (256 KiB/s) for client id
 *    `throttled`, and --describe shows it; a user's default client id gets
 *    consumer_byte_rate and request_percentage, described the same way; a byte rate that is
 *    not whole is refused with a message naming it.
 * 2. Two ProducerPerformance runs (kafka-clients 3.9.1, 1 KiB records, acks=1, as fast as they
 *    can) produce at the same time for about 75 s, client ids `throttled` and `free`, each to
 *    its own topic. Over the last 60 s (the first 15 s are left out: Kafka's quota window lets
 *    a new client burst up to ten windows' worth), `throttled`'s acknowledged payload rate is
 *    within 20% of the quota, and `free` produces at least three times as fast.
 * 3. The edge reports the throttling in kafscale_client_quota_throttle_seconds{quota=produce},
 *    and kafka-configs --delete-config removes the quota.
 * The rates are printed, for the record.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnJava } from '../../../bench/kafka-perf/java.js';
import { startCluster, type Cluster } from '../../fixtures/kafscale-cluster.js';
import { clusterKafka, createTopic } from '../../support/cluster-kafka.js';
import { sample, scrape } from '../../support/scrape-metrics.js';
import { runJavaTool, shownRun, type JavaToolRun } from '../../compat/support/java-tool.js';
import { cacheDir, requireInstalled } from '../../compat/support/paths.js';

const toolsDir = join(cacheDir, 'compat/kafka-tools');
const QUOTA = 256 * 1024;
const RECORD_BYTES = 1024;
const WARM_UP_MS = 15_000;
const MEASURE_MS = 60_000;

let cluster: Cluster;
let bootstrap: string;

beforeAll(async () => {
  requireInstalled(join(toolsDir, 'lib'), 'the kafka-tools jars');
  cluster = await startCluster();
  bootstrap = `127.0.0.1:${cluster.edge.port}`;
  const kafka = clusterKafka(cluster, 'quota-setup');
  await createTopic(kafka, 'quota-throttled', 1);
  await createTopic(kafka, 'quota-free', 1);
}, 180_000);

afterAll(async () => {
  await cluster.stop();
});

function configs(args: readonly string[]): Promise<JavaToolRun> {
  return runJavaTool('kafka.admin.ConfigCommand', args, {
    toolsDir,
    bootstrap,
    timeoutMs: 60_000,
  });
}

/** When each periodic ProducerPerformance line arrived and how many records it counted. */
interface Report {
  readonly atMs: number;
  readonly records: number;
}

/** A ProducerPerformance run that goes on until stopped, its periodic reports collected. */
function producerPerformance(clientId: string, topic: string) {
  const reports: Report[] = [];
  const proc = spawnJava({
    lib: join(toolsDir, 'lib'),
    name: `producer-perf-${clientId}`,
    mainClass: 'org.apache.kafka.tools.ProducerPerformance',
    heap: ['-Xmx256M'],
    args: [
      '--topic',
      topic,
      '--num-records',
      '100000000',
      '--record-size',
      String(RECORD_BYTES),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      `client.id=${clientId}`,
      'acks=1',
    ],
    onLine: (line, stream) => {
      const m = /^(\d+) records sent, /.exec(line);
      if (stream === 'stdout' && m !== null)
        reports.push({ atMs: performance.now(), records: Number(m[1]) });
    },
  });
  return { proc, reports };
}

/** Payload bytes per second acknowledged between `fromMs` and the last report. */
function rateSince(reports: readonly Report[], fromMs: number): number {
  const first = reports.findIndex((r) => r.atMs >= fromMs);
  const last = reports.at(-1);
  if (first < 1 || last === undefined || last.atMs - fromMs < MEASURE_MS / 2) return Number.NaN;
  const start = reports[first - 1]?.atMs ?? fromMs;
  const records = reports.slice(first).reduce((n, r) => n + r.records, 0);
  return (records * RECORD_BYTES * 1000) / (last.atMs - start);
}

describe('client quotas', () => {
  it('kafka-configs sets a producer_byte_rate for a client id and describes it', async () => {
    const alter = await configs([
      '--alter',
      '--entity-type',
      'clients',
      '--entity-name',
      'throttled',
      '--add-config',
      `producer_byte_rate=${QUOTA}`,
    ]);
    expect(alter.code, shownRun(alter, 'kafka-configs')).toBe(0);
    const described = await configs(['--describe', '--entity-type', 'clients']);
    expect(described.code, shownRun(described, 'kafka-configs')).toBe(0);
    expect(described.stdout).toMatch(
      new RegExp(`client-id 'throttled' are producer_byte_rate=${QUOTA}`),
    );
    const user = ['--entity-type', 'users', '--entity-name', 'alice'];
    const defaultClient = ['--entity-type', 'clients', '--entity-default'];
    const userAlter = await configs([
      '--alter',
      ...user,
      ...defaultClient,
      '--add-config',
      'consumer_byte_rate=1048576,request_percentage=50',
    ]);
    expect(userAlter.code, shownRun(userAlter, 'kafka-configs')).toBe(0);
    const userDescribed = await configs(['--describe', ...user, ...defaultClient]);
    expect(userDescribed.code, shownRun(userDescribed, 'kafka-configs')).toBe(0);
    expect(userDescribed.stdout, userDescribed.stdout).toMatch(
      /user-principal 'alice', the default client-id are .*consumer_byte_rate=1048576/,
    );
    expect(userDescribed.stdout, userDescribed.stdout).toMatch(/request_percentage=50/);
    const refused = await configs(['--alter', ...user, '--add-config', 'producer_byte_rate=1.5']);
    expect(refused.code, shownRun(refused, 'kafka-configs')).not.toBe(0);
    expect(refused.stderr).toMatch(/producer_byte_rate must be a Long value, not 1\.5/);
  });

  it('holds the throttled client to its quota while the other keeps its throughput', async () => {
    const throttled = producerPerformance('throttled', 'quota-throttled');
    const free = producerPerformance('free', 'quota-free');
    const started = performance.now();
    try {
      await new Promise((r) => setTimeout(r, WARM_UP_MS + MEASURE_MS));
    } finally {
      await Promise.all([throttled.proc.kill('SIGKILL'), free.proc.kill('SIGKILL')]);
    }
    const throttledRate = rateSince(throttled.reports, started + WARM_UP_MS);
    const freeRate = rateSince(free.reports, started + WARM_UP_MS);
    const kib = (r: number) => `${(r / 1024).toFixed(0)} KiB/s`;
    console.log(
      `client quotas: quota ${kib(QUOTA)}, throttled ${kib(throttledRate)} (${((throttledRate / QUOTA) * 100).toFixed(1)}% of the quota), free ${kib(freeRate)} (${(freeRate / throttledRate).toFixed(1)}× throttled), over ${((performance.now() - started - WARM_UP_MS) / 1000).toFixed(0)} s`,
    );
    const detail = `throttled: ${throttled.proc.outputTail().slice(-1500)}\nfree: ${free.proc.outputTail().slice(-1500)}`;
    expect(throttledRate, detail).toBeGreaterThan(QUOTA * 0.8);
    expect(throttledRate, detail).toBeLessThan(QUOTA * 1.2);
    expect(freeRate, detail).toBeGreaterThan(throttledRate * 3);
    const metrics = await scrape(cluster.edge.metricsPort);
    expect(
      sample(metrics, 'kafscale_client_quota_throttle_seconds_count', { quota: 'produce' }),
    ).toBeGreaterThan(0);
  }, 150_000);

  it('kafka-configs --delete-config removes the quota', async () => {
    const removed = await configs([
      '--alter',
      '--entity-type',
      'clients',
      '--entity-name',
      'throttled',
      '--delete-config',
      'producer_byte_rate',
    ]);
    expect(removed.code, shownRun(removed, 'kafka-configs')).toBe(0);
    const described = await configs([
      '--describe',
      '--entity-type',
      'clients',
      '--entity-name',
      'throttled',
    ]);
    expect(described.stdout).not.toMatch(/producer_byte_rate/);
  });
});
