/**
 * Kafka's own tools as the benchmark's client, and their output parsed: TopicCommand
 * (kafka-topics.sh), ProducerPerformance (kafka-producer-perf-test.sh), ConsumerPerformance
 * (kafka-consumer-perf-test.sh), EndToEndLatency, and an end-to-end
 * probe made of ProducerPerformance at a fixed rate plus the console consumer printing each
 * record's CreateTime.
 */
import { sleep } from '../../test/fixtures/processes.js';
import { runJava, spawnJava } from './java.js';

/** kafka-producer-perf-test.sh's and kafka-consumer-perf-test.sh's heap. */
const TOOL_HEAP = ['-Xmx512M'];
export const RECORD_BYTES = 1024;

export interface ToolTarget {
  readonly lib: string;
  readonly bootstrap: string;
  /** `key=value` settings for ProducerPerformance's producer on top of acks=all. */
  readonly producerProps?: readonly string[];
}

export async function createTopic(t: ToolTarget, topic: string, partitions: number): Promise<void> {
  await runJava(
    {
      lib: t.lib,
      name: 'kafka-topics',
      mainClass: 'org.apache.kafka.tools.TopicCommand',
      heap: TOOL_HEAP,
      args: [
        '--bootstrap-server',
        t.bootstrap,
        '--create',
        '--topic',
        topic,
        '--partitions',
        String(partitions),
        '--replication-factor',
        '1',
      ],
    },
    120_000,
  );
}

export interface ProduceResult {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mibPerSec: number;
  readonly avgMs: number;
  readonly maxMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  /** Failed sends the tool printed (each callback exception prints a stack trace). */
  readonly errors: number;
  readonly seconds: number;
}

const PRODUCE_SUMMARY =
  /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.$/m;

/** The last line of ProducerPerformance (its "MB" is MiB: bytes / 1024 / 1024). */
export function parseProducerPerformance(
  output: string,
): Omit<ProduceResult, 'errors' | 'seconds'> {
  const m = PRODUCE_SUMMARY.exec(output);
  if (m === null) throw new Error(`no ProducerPerformance summary in:\n${output.slice(-2000)}`);
  const n = m.slice(1).map(Number);
  return {
    records: n[0] ?? 0,
    recordsPerSec: n[1] ?? 0,
    mibPerSec: n[2] ?? 0,
    avgMs: n[3] ?? 0,
    maxMs: n[4] ?? 0,
    p50Ms: n[5] ?? 0,
    p95Ms: n[6] ?? 0,
    p99Ms: n[7] ?? 0,
    p999Ms: n[8] ?? 0,
  };
}

/** ProducerPerformance with acks=all and 1 KiB records; `recordsPerSec` -1 is unthrottled. */
export async function producerPerformance(
  t: ToolTarget,
  topic: string,
  records: number,
  recordsPerSec: number,
): Promise<ProduceResult> {
  let errors = 0;
  const run = await runJava(
    {
      lib: t.lib,
      name: 'producer-perf',
      mainClass: 'org.apache.kafka.tools.ProducerPerformance',
      heap: TOOL_HEAP,
      args: [
        '--topic',
        topic,
        '--num-records',
        String(records),
        '--record-size',
        '1024',
        '--throughput',
        String(recordsPerSec),
        '--producer-props',
        `bootstrap.servers=${t.bootstrap}`,
        'acks=all',
        ...(t.producerProps ?? []),
      ],
      onLine: (line, stream) => {
        if (stream === 'stderr' && /^org\.apache\.kafka\.\S+(Exception|Error)\b/.test(line))
          errors++;
      },
    },
    // Bounded: a run slower than 50 KiB/s is a stall worth reporting.
    120_000 + records * 20,
  );
  return { ...parseProducerPerformance(run.output), errors, seconds: run.seconds };
}

export interface ConsumeResult {
  readonly records: number;
  readonly mib: number;
  /** MiB/s over the fetch time (the tool's fetch.MB.sec: group join excluded). */
  readonly fetchMibPerSec: number;
  /** MiB/s over the whole run, group join included (the tool's MB.sec). */
  readonly mibPerSec: number;
  readonly rebalanceMs: number;
  /** Set when the tool gave up early (no record for --timeout ms). */
  readonly warning: string | undefined;
}

/** The data line under ConsumerPerformance's header (its "MB" is MiB as well). */
export function parseConsumerPerformance(output: string): Omit<ConsumeResult, 'warning'> {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => l.startsWith('start.time, end.time'));
  const header = lines[at]?.split(', ') ?? [];
  // A warning (the tool gave up early) may stand between the header and the data line.
  const data = lines.slice(at + 1).find((l) => /^\d{4}-\d\d-\d\d /.test(l));
  const values = data?.split(', ') ?? [];
  const field = (name: string): number => {
    const i = header.indexOf(name);
    const v = Number(values[i]);
    if (i < 0 || !Number.isFinite(v))
      throw new Error(`no ${name} in ConsumerPerformance output:\n${output.slice(-2000)}`);
    return v;
  };
  return {
    records: field('data.consumed.in.nMsg'),
    mib: field('data.consumed.in.MB'),
    fetchMibPerSec: field('fetch.MB.sec'),
    mibPerSec: field('MB.sec'),
    rebalanceMs: field('rebalance.time.ms'),
  };
}

/** ConsumerPerformance: `records` from the start of `topic` in a new group. */
export async function consumerPerformance(
  t: ToolTarget,
  topic: string,
  records: number,
  group: string,
): Promise<ConsumeResult> {
  const run = await runJava(
    {
      lib: t.lib,
      name: 'consumer-perf',
      mainClass: 'org.apache.kafka.tools.ConsumerPerformance',
      heap: TOOL_HEAP,
      args: [
        '--bootstrap-server',
        t.bootstrap,
        '--topic',
        topic,
        '--messages',
        String(records),
        '--group',
        group,
        '--timeout',
        '30000',
      ],
    },
    120_000 + records * 20,
  );
  const warning = /WARNING: Exiting before consuming.*/.exec(run.output)?.[0];
  return { ...parseConsumerPerformance(run.output), warning };
}

export interface EndToEndResult {
  readonly produce: ProduceResult;
  /** Records the consumer saw (it starts at the log end, so the first few may be missed). */
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/**
 * Produce-to-consume latency at a fixed rate: a console consumer (a new group, starting at
 * the log end) prints each record's CreateTime, which the producer set when it called
 * send(); latency is the time the line reaches this process minus that. Both run on this
 * machine, so they share the clock. ProducerPerformance sends at `recordsPerSec` once the
 * consumer has a position on every partition (its log says it reset each one's offset to
 * the end), so it misses none of the records, however long the join takes (a fixed 8 s
 * wait did before; on an idle stack the positions came after about 5 s).
 */
export async function endToEndAtRate(
  t: ToolTarget,
  topic: string,
  partitions: number,
  records: number,
  recordsPerSec: number,
): Promise<EndToEndResult> {
  const latencies: number[] = [];
  let lastRecordAt = Date.now();
  const positioned = new Set<string>();
  const resetLine = new RegExp(`Resetting offset for partition (${escapeRegExp(topic)}-\\d+) `);
  const consumer = spawnJava({
    lib: t.lib,
    name: 'console-consumer',
    mainClass: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
    heap: TOOL_HEAP,
    logLevels: { 'org.apache.kafka.clients.consumer.internals.SubscriptionState': 'info' },
    args: [
      '--bootstrap-server',
      t.bootstrap,
      '--topic',
      topic,
      '--group',
      `bench-e2e-${Date.now()}`,
      '--property',
      'print.timestamp=true',
      '--property',
      'print.value=false',
    ],
    onLine: (line, stream) => {
      if (stream !== 'stdout') {
        const reset = resetLine.exec(line);
        if (reset?.[1] !== undefined) positioned.add(reset[1]);
        return;
      }
      const m = /^CreateTime:(\d+)/.exec(line);
      if (m === null) return;
      lastRecordAt = Date.now();
      latencies.push(lastRecordAt - Number(m[1]));
    },
  });
  try {
    const joinDeadline = Date.now() + CONSUMER_JOIN_TIMEOUT_MS;
    while (positioned.size < partitions) {
      if (consumer.exitStatus() !== undefined)
        throw new Error(`console consumer ${consumer.exitStatus()}:\n${consumer.outputTail()}`);
      if (Date.now() > joinDeadline)
        throw new Error(
          `the console consumer had positions on ${positioned.size} of ${partitions} partitions ` +
            `after ${CONSUMER_JOIN_TIMEOUT_MS} ms:\n${consumer.outputTail()}`,
        );
      await sleep(100);
    }
    const produce = await producerPerformance(t, topic, records, recordsPerSec);
    // Drain: stop once nothing has arrived for 3 s (at most 60 s).
    const deadline = Date.now() + 60_000;
    while (Date.now() - lastRecordAt < 3000 && Date.now() < deadline) await sleep(200);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      produce,
      samples: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      p999Ms: percentile(sorted, 0.999),
      maxMs: sorted.at(-1) ?? Number.NaN,
    };
  } finally {
    await consumer.stop(2000);
  }
}

/** JVM start, the group's initial rebalance delay (3 s on both brokers) and a busy broker. */
const CONSUMER_JOIN_TIMEOUT_MS = 120_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface RoundTripResult {
  readonly count: number;
  readonly avgMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

export function parseEndToEndLatency(output: string, count: number): RoundTripResult {
  const avg = /^Avg latency: ([\d.]+) ms$/m.exec(output);
  const p = /^Percentiles: 50th = (\d+), 99th = (\d+), 99\.9th = (\d+)$/m.exec(output);
  if (avg === null || p === null)
    throw new Error(`no EndToEndLatency summary in:\n${output.slice(-2000)}`);
  return {
    count,
    avgMs: Number(avg[1]),
    p50Ms: Number(p[1]),
    p99Ms: Number(p[2]),
    p999Ms: Number(p[3]),
  };
}

/**
 * Kafka's EndToEndLatency (kafka-run-class.sh org.apache.kafka.tools.EndToEndLatency): one
 * record at a time, send().get() with acks=all and then poll until that record arrives, so
 * it measures an idle system's round trip, not latency under load.
 */
export async function endToEndLatency(
  t: ToolTarget,
  topic: string,
  count: number,
): Promise<RoundTripResult> {
  const run = await runJava(
    {
      lib: t.lib,
      name: 'end-to-end-latency',
      mainClass: 'org.apache.kafka.tools.EndToEndLatency',
      heap: TOOL_HEAP,
      args: [t.bootstrap, topic, String(count), 'all', String(RECORD_BYTES)],
    },
    120_000 + count * 1000,
  );
  return parseEndToEndLatency(run.output, count);
}
