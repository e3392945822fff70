/**
 * An operator's admin tour with Apache Kafka's own command-line tools (3.9.1) against the real
 * stack: each tool's class run with `java -cp` over the jars test/compat/kafka-tools/pom.xml
 * fetches (scripts/test-deps.sh, into ~/.cache/kafscale/compat/kafka-tools/lib), as the shell
 * scripts run them: kafka-topics.sh (org.apache.kafka.tools.TopicCommand), kafka-configs.sh
 * (kafka.admin.ConfigCommand, in Kafka's core jar), kafka-delete-records.sh
 * (org.apache.kafka.tools.DeleteRecordsCommand), kafka-get-offsets.sh
 * (org.apache.kafka.tools.GetOffsetShell), kafka-console-producer.sh (kafka.tools.ConsoleProducer)
 * and kafka-console-consumer.sh (org.apache.kafka.tools.consumer.ConsoleConsumer). kafkajs
 * (in-process) produces the records whose timestamps the offset checks need.
 * 1. kafka-topics --create (2 partitions, --config retention.ms): created, --list shows it,
 *    --describe shows PartitionCount 2 and the override; kafka-configs --describe shows it.
 * 2. kafka-configs --alter --add-config (two configs): described as DYNAMIC_TOPIC_CONFIG;
 *    --delete-config removes one; an unknown config name is refused with an error naming it,
 *    and nothing changes; --describe --entity-type brokers --all lists the broker's configs.
 * 3. 10 records per partition, record j at T0 + j s except record 6 at T0 + 100 s (the max):
 *    kafka-get-offsets --time -1 = 10, -2 = 0, -3 (max timestamp) = 6, by timestamp
 *    T0 + 3.5 s = 4 and T0 + 6.5 s = 6 (the first record at or after it).
 * 4. kafka-topics --alter --partitions 3: described with 3 partitions; 5 records produced to
 *    the new partition 2 are acknowledged, counted by --time -1 and read back by the console
 *    consumer.
 * 5. kafka-delete-records (partition 0 before offset 4, partition 1 before the high watermark,
 *    -1): the tool reports low watermarks 4 and 10; --time -2 then answers 4, 10, 0, and a
 *    timestamp before every record answers 4 on partition 0.
 * 6. max.message.bytes=1024 and message.timestamp.type=LogAppendTime set with kafka-configs:
 *    a 2,000-byte record is refused (console producer: RecordTooLargeException; kafkajs:
 *    MESSAGE_TOO_LARGE) and the end offsets stay; a small record produced with an old
 *    CreateTime is read back by the console consumer as LogAppendTime at the broker's clock,
 *    the time the produce response reported.
 * 7. kafka-topics --delete: the topic is no longer listed, and --describe says it does not exist.
 * Every check is reported (support/group-result.ts) with what the tool printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Message, type RecordMetadata } from 'kafkajs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker, stopCompatBroker } from '../support/broker.js';
import { runJavaTool, shownRun, type JavaToolRun } from '../support/java-tool.js';
import { errText, within } from '../support/within.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectGroupChecksPassed, type GroupCheck } from '../support/group-result.js';
import { cacheDir, requireInstalled } from '../support/paths.js';

/** Each shell script's class, as bin/kafka-*.sh runs it in Kafka 3.9.1. */
const TOOLS = {
  'kafka-topics': 'org.apache.kafka.tools.TopicCommand',
  'kafka-configs': 'kafka.admin.ConfigCommand',
  'kafka-delete-records': 'org.apache.kafka.tools.DeleteRecordsCommand',
  'kafka-get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  'kafka-console-producer': 'kafka.tools.ConsoleProducer',
  'kafka-console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
} as const;
type ToolName = keyof typeof TOOLS;

const toolsDir =
  process.env.KAFSCALE_COMPAT_KAFKA_TOOLS_DIR ?? join(cacheDir, 'compat/kafka-tools');
const TOPIC = 'tools-admin';
const RETENTION_MS = '7200000';
const PER_PARTITION = 10;
/** The record (index in partitions 0 and 1) carrying the largest timestamp, T0 + 100 s. */
const MAX_TS_INDEX = 6;
const GROWN_RECORDS = 5;
const T0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
const STEP_MS = 1000;
const MAX_MESSAGE_BYTES = 1024;
const TOO_LARGE_BYTES = 2000;
const TOOL_TIMEOUT_MS = 60_000;
const OP_TIMEOUT_MS = 30_000;

let broker: DevBroker;
let workDir: string;
const checks: GroupCheck[] = [];
const timings: Record<string, number> = {};
let toolRuns = 0;
let toolMs = 0;

function add(name: string, ok: boolean, detail: string): boolean {
  checks.push({ name, ok, detail });
  return ok;
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'kafscale-admin-tools-'));
  broker = await startCompatBroker();
});

afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await stopCompatBroker(broker);
});

// ---------------------------------------------------------------------------------------------
// Running a tool

interface ToolRun extends JavaToolRun {
  readonly tool: ToolName;
}

/** Runs a tool's class with --bootstrap-server and `args`, `stdin` piped in; never rejects on a non-zero exit. */
async function runTool(tool: ToolName, args: readonly string[], stdin = ''): Promise<ToolRun> {
  const run = await runJavaTool(TOOLS[tool], args, {
    toolsDir,
    bootstrap: broker.bootstrap,
    timeoutMs: TOOL_TIMEOUT_MS,
    stdin,
  });
  toolRuns++;
  toolMs += run.ms;
  return { ...run, tool };
}

/** What a run printed, for a check's detail. */
const shown = (run: ToolRun): string => shownRun(run, run.tool);

/** Adds a check passed when the run exited 0 and `ok` holds for it; the detail is what it printed. */
function addRun(name: string, run: ToolRun, ok: (run: ToolRun) => boolean): boolean {
  return add(name, run.code === 0 && ok(run), shown(run));
}

// ---------------------------------------------------------------------------------------------
// Reading what the tools print

/** kafka-topics --describe: the topic line's fields and the partition lines' numbers. */
interface TopicDescription {
  readonly partitionCount: number;
  readonly configs: ReadonlyMap<string, string>;
  readonly partitions: readonly number[];
}

function parseTopicDescription(stdout: string): TopicDescription | null {
  const lines = stdout.split('\n');
  const head = lines.find((l) => l.startsWith(`Topic: ${TOPIC}\t`));
  if (head === undefined) return null;
  const count = /\tPartitionCount: (\d+)/.exec(head)?.[1];
  const configText = /\tConfigs: ?(.*)$/.exec(head)?.[1] ?? '';
  const configs = new Map(
    configText
      .split(',')
      .filter((c) => c.includes('='))
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as const),
  );
  const partitions = lines
    .map((l) => /^\s+Topic: \S+\tPartition: (\d+)\tLeader: \d+/.exec(l)?.[1])
    .filter((p) => p !== undefined)
    .map(Number);
  return { partitionCount: Number(count ?? -1), configs, partitions };
}

/** One `name=value sensitive=... synonyms={SOURCE:name=value, ...}` line of kafka-configs --describe. */
interface DescribedConfig {
  readonly value: string;
  /** The synonyms' sources, the entry's own first (ConfigCommand prints no separate source). */
  readonly sources: readonly string[];
}

function parseConfigs(stdout: string): Map<string, DescribedConfig> {
  const out = new Map<string, DescribedConfig>();
  for (const line of stdout.split('\n')) {
    const m = /^\s+([^=\s]+)=(.*) sensitive=(?:true|false) synonyms=\{(.*)\}$/.exec(line);
    if (m === null) continue;
    const sources = (m[3] ?? '')
      .split(', ')
      .filter((s) => s !== '')
      .map((s) => s.slice(0, s.indexOf(':')));
    out.set(m[1] ?? '', { value: m[2] ?? '', sources });
  }
  return out;
}

/** kafka-get-offsets prints `topic:partition:offset` lines: partition -> offset. */
function parseOffsets(stdout: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${TOPIC}:(\\d+):(-?\\d*)$`).exec(line.trim());
    if (m !== null) out.set(Number(m[1]), m[2] ?? '');
  }
  return out;
}

function fmtOffsets(offsets: ReadonlyMap<number, string>): string {
  return [...offsets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([p, o]) => `${p}:${o}`)
    .join(' ');
}

/** kafka-console-consumer with print.timestamp, print.offset and print.key: one record per line. */
interface ConsumedRecord {
  readonly timestampType: string;
  readonly timestamp: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

function parseConsumed(stdout: string): ConsumedRecord[] {
  return stdout
    .split('\n')
    .map((l) =>
      /^(CreateTime|LogAppendTime|NoTimestampType):(-?\d+)\tOffset:(\d+)\t(.*)\t(.*)$/.exec(l),
    )
    .filter((m) => m !== null)
    .map((m) => ({
      timestampType: m[1] ?? '',
      timestamp: Number(m[2]),
      offset: Number(m[3]),
      key: m[4] ?? '',
      value: m[5] ?? '',
    }));
}

// ---------------------------------------------------------------------------------------------
// Checks that run a tool

/** kafka-topics --describe --topic TOPIC: `partitions` partitions and `configs` among the overrides. */
async function checkTopicDescribed(
  name: string,
  partitions: number,
  configs: Readonly<Record<string, string>>,
): Promise<void> {
  const run = await runTool('kafka-topics', ['--describe', '--topic', TOPIC]);
  const d = parseTopicDescription(run.stdout);
  addRun(
    name,
    run,
    () =>
      d !== null &&
      d.partitionCount === partitions &&
      d.partitions.join(',') === Array.from({ length: partitions }, (_, i) => i).join(',') &&
      Object.entries(configs).every(([k, v]) => d.configs.get(k) === v),
  );
}

/**
 * kafka-configs --describe --entity-type topics --entity-name TOPIC (the dynamic configs only):
 * each name in `expected` with its value and source DYNAMIC_TOPIC_CONFIG, or absent (null).
 */
async function checkTopicConfigs(
  name: string,
  expected: Readonly<Record<string, string | null>>,
): Promise<void> {
  const run = await runTool('kafka-configs', [
    '--describe',
    '--entity-type',
    'topics',
    '--entity-name',
    TOPIC,
  ]);
  const described = parseConfigs(run.stdout);
  addRun(
    name,
    run,
    (r) =>
      r.stdout.includes(`Dynamic configs for topic ${TOPIC} are:`) &&
      Object.entries(expected).every(([k, v]) => {
        const c = described.get(k);
        return v === null
          ? c === undefined
          : c?.value === v && c.sources[0] === 'DYNAMIC_TOPIC_CONFIG';
      }),
  );
}

/** kafka-configs --alter --entity-type topics --entity-name TOPIC with `args`: completed. */
async function alterTopicConfigs(name: string, args: readonly string[]): Promise<void> {
  const run = await runTool('kafka-configs', [
    '--alter',
    '--entity-type',
    'topics',
    '--entity-name',
    TOPIC,
    ...args,
  ]);
  addRun(name, run, (r) => r.stdout.includes(`Completed updating config for topic ${TOPIC}.`));
}

/** kafka-get-offsets --topic TOPIC --time `time`: exactly `expected` (partition -> offset). */
async function checkOffsets(
  name: string,
  time: string,
  expected: Readonly<Record<number, number>>,
  partitions?: string,
): Promise<Map<number, string>> {
  const args = ['--topic', TOPIC, '--time', time];
  if (partitions !== undefined) args.push('--partitions', partitions);
  const run = await runTool('kafka-get-offsets', args);
  const got = parseOffsets(run.stdout);
  const want = new Map(Object.entries(expected).map(([p, o]) => [Number(p), String(o)]));
  addRun(name, run, () => fmtOffsets(got) === fmtOffsets(want));
  return got;
}

/** kafka-console-consumer: `count` records of `partition` from `offset`, with timestamps, offsets and keys. */
async function consume(
  partition: number,
  offset: string,
  count: number,
): Promise<{ run: ToolRun; records: ConsumedRecord[] }> {
  const run = await runTool('kafka-console-consumer', [
    '--topic',
    TOPIC,
    '--partition',
    String(partition),
    '--offset',
    offset,
    '--max-messages',
    String(count),
    '--timeout-ms',
    '20000',
    '--property',
    'print.timestamp=true',
    '--property',
    'print.offset=true',
    '--property',
    'print.key=true',
  ]);
  return { run, records: parseConsumed(run.stdout) };
}

// ---------------------------------------------------------------------------------------------
// kafkajs, for records with chosen partitions and timestamps

/** Sends `messages` to TOPIC with acks=all and no retries, through a producer made for it (fresh metadata). */
async function send(kafka: Kafka, messages: Message[]): Promise<RecordMetadata[]> {
  const producer = kafka.producer({
    idempotent: false,
    allowAutoTopicCreation: false,
    retry: { retries: 0 },
  });
  await within(producer.connect(), OP_TIMEOUT_MS, 'producer connect');
  try {
    return await within(producer.send({ topic: TOPIC, acks: -1, messages }), OP_TIMEOUT_MS, 'send');
  } finally {
    await producer.disconnect();
  }
}

function fmtAcks(acks: readonly RecordMetadata[]): string {
  return acks
    .map((m) => `${m.partition}@${m.baseOffset ?? '?'}/error ${m.errorCode}`)
    .sort()
    .join(' ');
}

/** Record j of partitions 0 and 1: T0 + j s, but record MAX_TS_INDEX at T0 + 100 s. */
function timestampOf(j: number): number {
  return j === MAX_TS_INDEX ? T0 + 100 * STEP_MS : T0 + j * STEP_MS;
}

// ---------------------------------------------------------------------------------------------
// The scenario's steps

async function createTopic(): Promise<void> {
  let run = await runTool('kafka-topics', [
    '--create',
    '--topic',
    TOPIC,
    '--partitions',
    '2',
    '--replication-factor',
    '1',
    '--config',
    `retention.ms=${RETENTION_MS}`,
  ]);
  addRun(`kafka-topics --create --config retention.ms=${RETENTION_MS}`, run, (r) =>
    r.stdout.includes(`Created topic ${TOPIC}.`),
  );
  run = await runTool('kafka-topics', ['--list']);
  addRun(`kafka-topics --list shows ${TOPIC}`, run, (r) =>
    r.stdout.split('\n').some((l) => l.trim() === TOPIC),
  );
  await checkTopicDescribed(
    'kafka-topics --describe: PartitionCount 2, partitions 0-1 led, Configs retention.ms',
    2,
    { 'retention.ms': RETENTION_MS },
  );
  await checkTopicConfigs('kafka-configs --describe topic: retention.ms from --create', {
    'retention.ms': RETENTION_MS,
  });
}

async function alterTopicConfigsTour(): Promise<void> {
  await alterTopicConfigs('kafka-configs --alter --add-config retention.bytes, segment.ms', [
    '--add-config',
    'retention.bytes=1073741824,segment.ms=3600000',
  ]);
  await checkTopicConfigs(
    'kafka-configs --describe after --add-config: both DYNAMIC_TOPIC_CONFIG, retention.ms kept',
    { 'retention.ms': RETENTION_MS, 'retention.bytes': '1073741824', 'segment.ms': '3600000' },
  );
  await alterTopicConfigs('kafka-configs --alter --delete-config segment.ms', [
    '--delete-config',
    'segment.ms',
  ]);
  await checkTopicConfigs('kafka-configs --describe after --delete-config: segment.ms gone', {
    'retention.ms': RETENTION_MS,
    'retention.bytes': '1073741824',
    'segment.ms': null,
  });

  const run = await runTool('kafka-configs', [
    '--alter',
    '--entity-type',
    'topics',
    '--entity-name',
    TOPIC,
    '--add-config',
    'no.such.config=1',
  ]);
  add(
    'kafka-configs --alter --add-config no.such.config=1: refused, naming it',
    run.code !== 0 &&
      !run.timedOut &&
      /InvalidConfigurationException.*no\.such\.config/.test(run.stdout + run.stderr),
    shown(run),
  );
  await checkTopicConfigs('kafka-configs --describe after the refused alter: unchanged', {
    'retention.ms': RETENTION_MS,
    'retention.bytes': '1073741824',
    'no.such.config': null,
  });
}

async function describeBrokerConfigs(): Promise<void> {
  const run = await runTool('kafka-configs', ['--describe', '--entity-type', 'brokers', '--all']);
  const described = parseConfigs(run.stdout);
  addRun(
    'kafka-configs --describe --entity-type brokers --all: the broker configs (log.retention.ms, num.partitions, message.max.bytes)',
    run,
    (r) =>
      /^All configs for broker \d+ are:$/m.test(r.stdout) &&
      ['log.retention.ms', 'num.partitions', 'message.max.bytes'].every((k) =>
        /^\d+$/.test(described.get(k)?.value ?? ''),
      ),
  );
}

async function produceAndListOffsets(kafka: Kafka): Promise<void> {
  const messages: Message[] = [];
  for (let p = 0; p < 2; p++)
    for (let j = 0; j < PER_PARTITION; j++)
      messages.push({
        partition: p,
        key: `k${p}-${j}`,
        value: `v${p}-${j}`,
        timestamp: String(timestampOf(j)),
      });
  try {
    const acks = await send(kafka, messages);
    add(
      `kafkajs produces ${PER_PARTITION} records to partitions 0 and 1`,
      acks.length === 2 && acks.every((m) => m.errorCode === 0 && m.baseOffset === '0'),
      fmtAcks(acks),
    );
  } catch (err) {
    add(`kafkajs produces ${PER_PARTITION} records to partitions 0 and 1`, false, errText(err));
  }
  await checkOffsets('kafka-get-offsets --time -1: 10 on each partition', '-1', {
    0: PER_PARTITION,
    1: PER_PARTITION,
  });
  await checkOffsets('kafka-get-offsets --time -2: 0 on each partition', '-2', { 0: 0, 1: 0 });
  await checkOffsets(`kafka-get-offsets --time -3 (max timestamp): offset ${MAX_TS_INDEX}`, '-3', {
    0: MAX_TS_INDEX,
    1: MAX_TS_INDEX,
  });
  await checkOffsets('kafka-get-offsets --time T0+3.5s: offset 4', String(T0 + 3500), {
    0: 4,
    1: 4,
  });
  await checkOffsets(
    `kafka-get-offsets --time T0+6.5s: offset ${MAX_TS_INDEX} (the first at or after it, T0+100s)`,
    String(T0 + 6500),
    { 0: MAX_TS_INDEX, 1: MAX_TS_INDEX },
  );
}

async function growPartitions(kafka: Kafka): Promise<void> {
  const run = await runTool('kafka-topics', ['--alter', '--topic', TOPIC, '--partitions', '3']);
  addRun('kafka-topics --alter --partitions 3', run, () => true);
  await checkTopicDescribed('kafka-topics --describe after --alter: PartitionCount 3', 3, {
    'retention.ms': RETENTION_MS,
  });
  const messages = Array.from({ length: GROWN_RECORDS }, (_, j) => ({
    partition: 2,
    key: `k2-${j}`,
    value: `v2-${j}`,
    timestamp: String(T0 + j * STEP_MS),
  }));
  try {
    const acks = await send(kafka, messages);
    add(
      `kafkajs produces ${GROWN_RECORDS} records to the new partition 2`,
      acks.length === 1 && acks[0]?.partition === 2 && acks[0].baseOffset === '0',
      fmtAcks(acks),
    );
  } catch (err) {
    add(`kafkajs produces ${GROWN_RECORDS} records to the new partition 2`, false, errText(err));
  }
  await checkOffsets('kafka-get-offsets --time -1 after growing: 10, 10, 5', '-1', {
    0: PER_PARTITION,
    1: PER_PARTITION,
    2: GROWN_RECORDS,
  });
  const { run: read, records } = await consume(2, 'earliest', GROWN_RECORDS);
  add(
    `kafka-console-consumer reads the ${GROWN_RECORDS} records of partition 2 back`,
    read.code === 0 &&
      records.map((r) => `${r.offset}:${r.key}:${r.value}:${r.timestamp}`).join(' ') ===
        messages.map((m, j) => `${j}:${m.key}:${m.value}:${m.timestamp}`).join(' ') &&
      records.every((r) => r.timestampType === 'CreateTime'),
    shown(read),
  );
}

async function deleteRecords(): Promise<void> {
  const file = join(workDir, 'offsets.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      partitions: [
        { topic: TOPIC, partition: 0, offset: 4 },
        { topic: TOPIC, partition: 1, offset: -1 },
      ],
    }),
  );
  const run = await runTool('kafka-delete-records', ['--offset-json-file', file]);
  addRun(
    'kafka-delete-records (partition 0 before 4, partition 1 before the high watermark): low watermarks 4 and 10',
    run,
    (r) =>
      r.stdout.includes('Records delete operation completed:') &&
      r.stdout.includes(`partition: ${TOPIC}-0\tlow_watermark: 4`) &&
      r.stdout.includes(`partition: ${TOPIC}-1\tlow_watermark: ${PER_PARTITION}`),
  );
  await checkOffsets('kafka-get-offsets --time -2 after delete-records: 4, 10, 0', '-2', {
    0: 4,
    1: PER_PARTITION,
    2: 0,
  });
  await checkOffsets('kafka-get-offsets --time -1 after delete-records: unchanged', '-1', {
    0: PER_PARTITION,
    1: PER_PARTITION,
    2: GROWN_RECORDS,
  });
  await checkOffsets(
    'kafka-get-offsets partition 0 by a timestamp before every record: 4 (the new start)',
    String(T0 - 1000),
    { 0: 4 },
    '0',
  );
}

/** max.message.bytes and message.timestamp.type=LogAppendTime take effect. */
async function appendRules(kafka: Kafka): Promise<void> {
  await alterTopicConfigs(
    `kafka-configs --alter --add-config max.message.bytes=${MAX_MESSAGE_BYTES}, message.timestamp.type=LogAppendTime`,
    ['--add-config', `max.message.bytes=${MAX_MESSAGE_BYTES},message.timestamp.type=LogAppendTime`],
  );
  await checkTopicConfigs('kafka-configs --describe: max.message.bytes and LogAppendTime set', {
    'max.message.bytes': String(MAX_MESSAGE_BYTES),
    'message.timestamp.type': 'LogAppendTime',
  });
  const ends = { 0: PER_PARTITION, 1: PER_PARTITION, 2: GROWN_RECORDS };

  const big = 'x'.repeat(TOO_LARGE_BYTES);
  const run = await runTool(
    'kafka-console-producer',
    ['--topic', TOPIC, '--producer-property', 'acks=all'],
    `${big}\n`,
  );
  add(
    `kafka-console-producer: a ${TOO_LARGE_BYTES}-byte record refused with RecordTooLargeException`,
    !run.timedOut && run.stderr.includes('RecordTooLargeException'),
    shown(run),
  );
  try {
    const acks = await send(kafka, [{ partition: 2, value: big }]);
    add(
      `kafkajs: a ${TOO_LARGE_BYTES}-byte record refused with MESSAGE_TOO_LARGE`,
      false,
      `acknowledged: ${fmtAcks(acks)}`,
    );
  } catch (err) {
    add(
      `kafkajs: a ${TOO_LARGE_BYTES}-byte record refused with MESSAGE_TOO_LARGE`,
      (err as { type?: unknown }).type === 'MESSAGE_TOO_LARGE',
      errText(err),
    );
  }
  await checkOffsets(
    'kafka-get-offsets --time -1 after the refused records: unchanged',
    '-1',
    ends,
  );

  const before = Date.now();
  let appendTime = '';
  let acked = false;
  try {
    const acks = await send(kafka, [
      { partition: 2, key: 'lat', value: 'small', timestamp: String(T0) },
    ]);
    appendTime = acks[0]?.logAppendTime ?? '';
    acked = acks.length === 1 && acks[0]?.baseOffset === String(GROWN_RECORDS);
    add(
      `kafkajs: a small record (CreateTime T0) accepted at offset ${GROWN_RECORDS} of partition 2`,
      acked,
      `${fmtAcks(acks)}, logAppendTime ${appendTime}`,
    );
  } catch (err) {
    add(
      `kafkajs: a small record (CreateTime T0) accepted at offset ${GROWN_RECORDS} of partition 2`,
      false,
      errText(err),
    );
  }
  const after = Date.now();
  const { run: read, records } = await consume(2, String(GROWN_RECORDS), 1);
  const r = records[0];
  add(
    'kafka-console-consumer: the record carries LogAppendTime, the broker clock at the append',
    read.code === 0 &&
      records.length === 1 &&
      r?.timestampType === 'LogAppendTime' &&
      r.timestamp >= before - 2000 &&
      r.timestamp <= after + 2000 &&
      r.key === 'lat',
    `sent between ${before} and ${after} with CreateTime ${T0}; ${shown(read)}`,
  );
  add(
    'produce response log_append_time_ms = the timestamp read back',
    acked && r !== undefined && appendTime === String(r.timestamp),
    `produce response logAppendTime ${appendTime}, read back ${r === undefined ? 'nothing' : `${r.timestampType}:${r.timestamp}`}`,
  );
}

async function deleteTopic(): Promise<void> {
  let run = await runTool('kafka-topics', ['--delete', '--topic', TOPIC]);
  addRun('kafka-topics --delete', run, () => true);
  run = await runTool('kafka-topics', ['--list']);
  addRun(`kafka-topics --list after --delete: no ${TOPIC}`, run, (r) =>
    r.stdout.split('\n').every((l) => l.trim() !== TOPIC),
  );
  run = await runTool('kafka-topics', ['--describe', '--topic', TOPIC]);
  add(
    'kafka-topics --describe after --delete: does not exist',
    run.code !== 0 &&
      // 3.9.1's TopicCommand prints the name as `Optional[tools-admin]` (its own formatting).
      new RegExp(`Topic '(Optional\\[)?${TOPIC}\\]?' does not exist as expected`).test(
        run.stdout + run.stderr,
      ),
    shown(run),
  );
}

async function timed(step: string, body: () => Promise<void>): Promise<void> {
  const t = Date.now();
  try {
    await body();
  } finally {
    timings[step] = Date.now() - t;
  }
}

async function scenario(): Promise<void> {
  const kafka = new Kafka({
    clientId: 'tools-admin-kafkajs',
    brokers: [broker.bootstrap],
    logLevel: process.env.KAFSCALE_COMPAT_DEBUG === undefined ? logLevel.NOTHING : logLevel.DEBUG,
  });
  await timed('create', createTopic);
  await timed('topicConfigs', alterTopicConfigsTour);
  await timed('brokerConfigs', describeBrokerConfigs);
  await timed('offsets', () => produceAndListOffsets(kafka));
  await timed('grow', () => growPartitions(kafka));
  await timed('deleteRecords', deleteRecords);
  await timed('appendRules', () => appendRules(kafka));
  await timed('deleteTopic', deleteTopic);
}

describe("Apache Kafka's admin tools (kafka-topics, kafka-configs, kafka-delete-records, kafka-get-offsets 3.9.1)", () => {
  it('creates, configures, grows, trims, lists offsets of and deletes a topic', async () => {
    requireInstalled(join(toolsDir, 'lib/kafka_2.13-3.9.1.jar'), 'Kafka core jar (kafka-configs)');
    const started = Date.now();
    try {
      await scenario();
    } catch (err) {
      add('scenario ran to the end', false, errText(err));
    }
    timings.toolRuns = toolRuns;
    timings.toolMs = toolMs;
    expectGroupChecksPassed(
      {
        client: 'kafka admin tools',
        version: 'kafka-tools and kafka_2.13 3.9.1',
        checks,
        timingsMs: timings,
      },
      { wallMs: Date.now() - started },
    );
  }, 300_000);
});
