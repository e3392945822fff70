/**
 * Apache Kafka's own `kafka-consumer-groups.sh` against the broker: the tool's class
 * (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand, kafka-tools 3.9.1), run with
 * `java -cp` over the jars test/compat/kafka-tools/pom.xml fetches (scripts/test-deps.sh, into
 * ~/.cache/kafscale/compat/kafka-tools/lib). A kafkajs consumer (in-process) is the group member.
 * 1. Topic tools-groups (3 partitions), 100 records per partition with explicit timestamps
 *    T0 + j s (j = offset); group tools-g consumes and commits all 300 and stays up.
 * 2. --list shows tools-g (and --list --state: Stable).
 * 3. --describe (offsets: 100/100/0 and the kafkajs member per partition), --members --verbose,
 *    --state (Stable, 1 member, RoundRobinAssigner).
 * 4. --reset-offsets is refused while the member is up; after it disconnects: --to-earliest,
 *    --to-offset 50, --shift-by -10, --to-datetime (T0 + 69.5 s: offset 70), each --dry-run
 *    (nothing changes) then --execute, checked in the NEW-OFFSET table and in --describe.
 * 5. --delete-offsets, then --delete; the group is no longer listed nor described.
 * Every check is reported (support/group-result.ts) with what the tool printed.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker, stopCompatBroker } from '../support/broker.js';
import { runJavaTool, shownRun, type JavaToolRun } from '../support/java-tool.js';
import { errText, within } from '../support/within.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectGroupChecksPassed, type GroupCheck } from '../support/group-result.js';
import { cacheDir, requireInstalled } from '../support/paths.js';

const TOOL = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
const toolsDir =
  process.env.KAFSCALE_COMPAT_KAFKA_TOOLS_DIR ?? join(cacheDir, 'compat/kafka-tools');
const TOPIC = 'tools-groups';
const GROUP = 'tools-g';
const CLIENT_ID = 'tools-kafkajs';
const PARTITIONS = 3;
const PER_PARTITION = 100;
/** Record j of each partition has timestamp T0 + j * STEP_MS. */
const STEP_MS = 1000;
const T0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
const TOOL_TIMEOUT_MS = 60_000;
const OP_TIMEOUT_MS = 30_000;

/** Each table's column names, as the tool prints its header row. */
const OFFSETS_COLS = [
  'GROUP',
  'TOPIC',
  'PARTITION',
  'CURRENT-OFFSET',
  'LOG-END-OFFSET',
  'LAG',
  'CONSUMER-ID',
  'HOST',
  'CLIENT-ID',
];
const MEMBERS_COLS = ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'ASSIGNMENT'];
const STATE_COLS = ['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'];
const LIST_STATE_COLS = ['GROUP', 'STATE'];
const RESET_COLS = ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'];
const DELETE_OFFSETS_COLS = ['TOPIC', 'PARTITION', 'STATUS'];

let broker: DevBroker;
const checks: GroupCheck[] = [];
const timings: Record<string, number> = {};

function add(name: string, ok: boolean, detail: string): boolean {
  checks.push({ name, ok, detail });
  return ok;
}

beforeAll(async () => {
  broker = await startCompatBroker({
    env: {
      KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS:
        process.env.KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS ?? '500',
    },
  });
});

afterAll(async () => {
  await stopCompatBroker(broker);
});

/** The kafkajs member while it is connected (disconnected at the end if a check stopped the scenario). */
let liveConsumer: Consumer | undefined;
let toolRuns = 0;
let toolMs = 0;

/** Runs ConsumerGroupCommand with --bootstrap-server and the given arguments; never rejects on a non-zero exit. */
async function runTool(args: readonly string[]): Promise<JavaToolRun> {
  const run = await runJavaTool(TOOL, args, {
    toolsDir,
    bootstrap: broker.bootstrap,
    timeoutMs: TOOL_TIMEOUT_MS,
  });
  toolRuns++;
  toolMs += run.ms;
  return run;
}

/** What a run printed, for a check's detail. */
const shown = (run: JavaToolRun): string => shownRun(run, 'kafka-consumer-groups');

type Row = Readonly<Record<string, string>>;

/**
 * The table whose header row names `cols` (in order) in a tool's stdout, as rows keyed by column
 * name; null when there is no such header. Rows on lines of their own are cut at the header's
 * column positions (the tool pads every column to the widest value, and a value may be empty or
 * hold a space: `COORDINATOR (ID)` is `host:port  (id)`, an Empty group's ASSIGNMENT-STRATEGY
 * is blank). Some tables (--reset-offsets, --delete-offsets) print their rows without a newline,
 * on the header's line: those values are single tokens, cut into rows of the header's length.
 */
function table(stdout: string, cols: readonly string[]): Row[] | null {
  const lines = stdout.split('\n');
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] ?? '';
    const starts: number[] = [];
    let from = 0;
    for (const c of cols) {
      const i = line.indexOf(c, from);
      if (i < 0 || line.slice(from, i).trim() !== '') break;
      starts.push(i);
      from = i + c.length;
    }
    if (starts.length !== cols.length) continue;
    const onHeaderLine = line.slice(from).trim();
    if (onHeaderLine !== '') {
      const tokens = onHeaderLine.split(/\s+/);
      if (tokens.length % cols.length !== 0) return null;
      const rows: Row[] = [];
      for (let i = 0; i < tokens.length; i += cols.length)
        rows.push(Object.fromEntries(cols.map((c, k) => [c, tokens[i + k] ?? ''])));
      return rows;
    }
    return lines
      .slice(li + 1)
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const values = cols.map(() => [] as string[]);
        for (const m of l.matchAll(/\S+/g)) {
          let k = 0;
          while (k + 1 < starts.length && (starts[k + 1] ?? 0) <= m.index) k++;
          values[k]?.push(m[0]);
        }
        return Object.fromEntries(cols.map((c, k) => [c, values[k]?.join(' ') ?? '']));
      });
  }
  return null;
}

function fmtRows(rows: readonly Row[], cols: readonly string[]): string {
  return rows.map((r) => cols.map((c) => r[c]).join(' ')).join('; ');
}

/** Sorted by partition; only rows of TOPIC. */
function topicRows(rows: readonly Row[]): Row[] {
  return rows
    .filter((r) => r.TOPIC === TOPIC)
    .sort((a, b) => Number(a.PARTITION) - Number(b.PARTITION));
}

function partitionsAre(rows: readonly Row[]): boolean {
  return rows.map((r) => r.PARTITION).join(',') === '0,1,2';
}

/** --describe --group: every partition at `current` with LAG end - current; consumer columns checked by `member`. */
async function checkOffsets(
  name: string,
  current: number,
  member: (r: Row) => boolean,
  memberText: string,
): Promise<void> {
  const run = await runTool(['--describe', '--group', GROUP]);
  const all = table(run.stdout, OFFSETS_COLS);
  const rows = all === null ? [] : topicRows(all);
  const ok =
    run.code === 0 &&
    all !== null &&
    all.length === PARTITIONS &&
    partitionsAre(rows) &&
    rows.every(
      (r) =>
        r.GROUP === GROUP &&
        r['CURRENT-OFFSET'] === String(current) &&
        r['LOG-END-OFFSET'] === String(PER_PARTITION) &&
        r.LAG === String(PER_PARTITION - current) &&
        member(r),
    );
  add(
    name,
    ok,
    ok
      ? `${fmtRows(rows, ['PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'])} (${run.ms} ms)`
      : `expected partitions 0-2 at CURRENT-OFFSET ${current}, LOG-END-OFFSET ${PER_PARTITION}, LAG ${PER_PARTITION - current}, ${memberText}; ${shown(run)}`,
  );
}

/** --reset-offsets <spec> --topic TOPIC with --dry-run or --execute: NEW-OFFSET `expected` on every partition. */
async function checkReset(
  what: string,
  spec: readonly string[],
  mode: '--dry-run' | '--execute',
  expected: number,
): Promise<boolean> {
  const run = await runTool(['--reset-offsets', ...spec, mode, '--group', GROUP, '--topic', TOPIC]);
  const all = table(run.stdout, RESET_COLS);
  const rows = all === null ? [] : topicRows(all);
  const ok =
    run.code === 0 &&
    all !== null &&
    all.length === PARTITIONS &&
    partitionsAre(rows) &&
    rows.every((r) => r.GROUP === GROUP && r['NEW-OFFSET'] === String(expected)) &&
    !run.stdout.includes('Error');
  return add(
    `reset ${what} ${mode}: NEW-OFFSET ${expected}`,
    ok,
    ok
      ? `${fmtRows(rows, ['PARTITION', 'NEW-OFFSET'])} (${run.ms} ms)`
      : `expected NEW-OFFSET ${expected} on partitions 0-2; ${shown(run)}`,
  );
}

const noMember = (r: Row): boolean =>
  r['CONSUMER-ID'] === '-' && r.HOST === '-' && r['CLIENT-ID'] === '-';

/** Creates the topic and produces 100 records per partition, offset j at T0 + j * STEP_MS. */
async function setUpTopic(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await within(admin.connect(), OP_TIMEOUT_MS, 'admin connect');
  try {
    await within(
      admin.createTopics({
        topics: [{ topic: TOPIC, numPartitions: PARTITIONS }],
        waitForLeaders: true,
      }),
      OP_TIMEOUT_MS,
      'createTopics',
    );
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
  await within(producer.connect(), OP_TIMEOUT_MS, 'producer connect');
  try {
    const meta = await within(
      producer.send({
        topic: TOPIC,
        acks: -1,
        messages: Array.from({ length: PARTITIONS * PER_PARTITION }, (_, i) => {
          const p = i % PARTITIONS;
          const j = Math.floor(i / PARTITIONS);
          return { partition: p, value: `${p}-${j}`, timestamp: String(T0 + j * STEP_MS) };
        }),
      }),
      OP_TIMEOUT_MS,
      'send',
    );
    const bases = meta.map((m) => `${m.partition}@${m.baseOffset ?? '?'}/${m.errorCode}`).sort();
    add(
      `produce ${PARTITIONS} x ${PER_PARTITION} records`,
      meta.length === PARTITIONS && meta.every((m) => m.errorCode === 0 && m.baseOffset === '0'),
      `acks (partition@baseOffset/error): ${bases.join(' ')}`,
    );
  } finally {
    await producer.disconnect();
  }
}

/** The kafkajs member: consumes everything, commits each batch's end, stays in the group. */
async function startMember(
  kafka: Kafka,
): Promise<{ consumer: Consumer; memberId: () => string; consumed: () => number }> {
  const consumer = kafka.consumer({
    groupId: GROUP,
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    allowAutoTopicCreation: false,
  });
  let memberId = '';
  let consumed = 0;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    memberId = e.payload.memberId;
  });
  liveConsumer = consumer;
  await within(consumer.connect(), OP_TIMEOUT_MS, 'consumer connect');
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      for (const m of batch.messages) {
        consumed++;
        payload.resolveOffset(m.offset);
      }
      const last = batch.messages.at(-1);
      if (last === undefined) return;
      await payload.commitOffsetsIfNecessary({
        topics: [
          {
            topic: batch.topic,
            partitions: [{ partition: batch.partition, offset: String(Number(last.offset) + 1) }],
          },
        ],
      });
    },
  });
  return { consumer, memberId: () => memberId, consumed: () => consumed };
}

async function scenario(): Promise<void> {
  const kafka = new Kafka({
    clientId: CLIENT_ID,
    brokers: [broker.bootstrap],
    logLevel: process.env.KAFSCALE_COMPAT_DEBUG === undefined ? logLevel.NOTHING : logLevel.DEBUG,
  });

  // 1. topic, records, a member that has consumed and committed everything
  let t = Date.now();
  await setUpTopic(kafka);
  timings.setUp = Date.now() - t;
  t = Date.now();
  const member = await startMember(kafka);
  const admin = kafka.admin();
  await within(admin.connect(), OP_TIMEOUT_MS, 'admin connect');
  let committed: string;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const offsets = await within(
      admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }),
      OP_TIMEOUT_MS,
      'fetchOffsets',
    );
    const parts = offsets.find((o) => o.topic === TOPIC)?.partitions ?? [];
    committed = parts
      .map((p) => `${p.partition}:${p.offset}`)
      .sort()
      .join(' ');
    const done =
      parts.length === PARTITIONS && parts.every((p) => p.offset === String(PER_PARTITION));
    if ((done && member.memberId() !== '') || Date.now() > deadline) break;
    await sleep(200);
  }
  await admin.disconnect();
  timings.consume = Date.now() - t;
  const memberId = member.memberId();
  if (
    !add(
      'kafkajs member consumed and committed all records',
      committed === '0:100 1:100 2:100' && member.consumed() === PARTITIONS * PER_PARTITION,
      `consumed ${member.consumed()}, committed ${committed}, member id ${memberId} (${timings.consume} ms)`,
    )
  )
    return;

  // 2. --list
  t = Date.now();
  let run = await runTool(['--list']);
  let lines = run.stdout.split('\n').map((l) => l.trim());
  add(`--list shows ${GROUP}`, run.code === 0 && lines.includes(GROUP), shown(run));
  run = await runTool(['--list', '--state']);
  let rows = table(run.stdout, LIST_STATE_COLS);
  const listed = rows?.filter((r) => r.GROUP === GROUP) ?? [];
  add(
    `--list --state shows ${GROUP} Stable`,
    run.code === 0 && listed.length === 1 && listed[0]?.STATE === 'Stable',
    shown(run),
  );

  // 3. --describe: offsets, members, state
  const kafkajsMember = (r: Row): boolean =>
    r['CONSUMER-ID'] === memberId &&
    r['CLIENT-ID'] === CLIENT_ID &&
    (r.HOST ?? '').includes('127.0.0.1');
  const memberText = `CONSUMER-ID ${memberId}, HOST /127.0.0.1, CLIENT-ID ${CLIENT_ID}`;
  await checkOffsets(
    '--describe: 100/100/0 on each partition, owned by the kafkajs member',
    100,
    kafkajsMember,
    memberText,
  );

  run = await runTool(['--describe', '--group', GROUP, '--members', '--verbose']);
  rows = table(run.stdout, MEMBERS_COLS);
  add(
    '--describe --members --verbose: the kafkajs member with partitions (0,1,2)',
    run.code === 0 &&
      rows?.length === 1 &&
      rows[0]?.GROUP === GROUP &&
      rows[0]['CONSUMER-ID'] === memberId &&
      rows[0]['CLIENT-ID'] === CLIENT_ID &&
      (rows[0].HOST ?? '').includes('127.0.0.1') &&
      rows[0]['#PARTITIONS'] === '3' &&
      rows[0].ASSIGNMENT === '(0,1,2)',
    shown(run),
  );

  run = await runTool(['--describe', '--group', GROUP, '--state']);
  rows = table(run.stdout, STATE_COLS);
  add(
    '--describe --state: Stable, 1 member, RoundRobinAssigner',
    run.code === 0 &&
      rows?.length === 1 &&
      rows[0]?.GROUP === GROUP &&
      rows[0].STATE === 'Stable' &&
      rows[0]['#MEMBERS'] === '1' &&
      rows[0]['ASSIGNMENT-STRATEGY'] === 'RoundRobinAssigner' &&
      /^\S+:\d+ +\(\d+\)$/.test(rows[0]['COORDINATOR (ID)'] ?? ''),
    shown(run),
  );
  timings.listDescribe = Date.now() - t;

  // 4. reset: refused while the member is up, then each spec dry-run and executed
  t = Date.now();
  run = await runTool([
    '--reset-offsets',
    '--to-earliest',
    '--execute',
    '--group',
    GROUP,
    '--topic',
    TOPIC,
  ]);
  add(
    '--reset-offsets refused while the member is up',
    run.code === 0 &&
      run.stdout.includes(`Assignments can only be reset if the group '${GROUP}' is inactive`) &&
      run.stdout.includes('current state is Stable') &&
      (table(run.stdout, RESET_COLS) ?? []).length === 0,
    shown(run),
  );
  await checkOffsets(
    '--describe after the refused reset: still 100',
    100,
    kafkajsMember,
    memberText,
  );

  const tStop = Date.now();
  try {
    await within(member.consumer.disconnect(), OP_TIMEOUT_MS, 'consumer disconnect');
    liveConsumer = undefined;
    add('kafkajs member disconnects (LeaveGroup)', true, `${Date.now() - tStop} ms`);
  } catch (err) {
    add('kafkajs member disconnects (LeaveGroup)', false, errText(err));
  }
  run = await runTool(['--describe', '--group', GROUP, '--state']);
  rows = table(run.stdout, STATE_COLS);
  // An Empty group has no protocol: Kafka describes it with a blank ASSIGNMENT-STRATEGY.
  add(
    '--describe --state after the member left: Empty, 0 members',
    run.code === 0 &&
      rows?.length === 1 &&
      rows[0]?.GROUP === GROUP &&
      rows[0].STATE === 'Empty' &&
      rows[0]['#MEMBERS'] === '0',
    shown(run),
  );

  const steps: { what: string; spec: string[]; expected: number; before: number }[] = [
    { what: '--to-earliest', spec: ['--to-earliest'], expected: 0, before: 100 },
    { what: '--to-offset 50', spec: ['--to-offset', '50'], expected: 50, before: 0 },
    { what: '--shift-by -10', spec: ['--shift-by', '-10'], expected: 40, before: 50 },
    {
      // 69.5 s after T0: the first record at or after it is offset 70 on every partition.
      what: '--to-datetime',
      spec: ['--to-datetime', new Date(T0 + 70 * STEP_MS - 500).toISOString()],
      expected: 70,
      before: 40,
    },
  ];
  for (const s of steps) {
    const what = s.what === '--to-datetime' ? `--to-datetime ${s.spec[1] ?? ''}` : s.what;
    await checkReset(what, s.spec, '--dry-run', s.expected);
    await checkOffsets(
      `--describe after ${what} --dry-run: unchanged at ${s.before}`,
      s.before,
      noMember,
      'no member',
    );
    await checkReset(what, s.spec, '--execute', s.expected);
    await checkOffsets(
      `--describe after ${what} --execute: ${s.expected}`,
      s.expected,
      noMember,
      'no member',
    );
  }
  timings.reset = Date.now() - t;

  // 5. --delete-offsets, --delete
  t = Date.now();
  run = await runTool(['--delete-offsets', '--group', GROUP, '--topic', TOPIC]);
  rows = table(run.stdout, DELETE_OFFSETS_COLS);
  const deleted = rows === null ? [] : topicRows(rows);
  add(
    '--delete-offsets: every partition Successful',
    run.code === 0 &&
      run.stdout.includes(
        `Request succeed for deleting offsets with topic ${TOPIC} group ${GROUP}`,
      ) &&
      rows?.length === PARTITIONS &&
      partitionsAre(deleted) &&
      deleted.every((r) => r.STATUS === 'Successful'),
    shown(run),
  );
  run = await runTool(['--describe', '--group', GROUP]);
  add(
    '--describe after --delete-offsets: no offsets left',
    run.code === 0 &&
      table(run.stdout, OFFSETS_COLS) === null &&
      run.stderr.includes(`Consumer group '${GROUP}' has no active members.`),
    shown(run),
  );
  run = await runTool(['--delete', '--group', GROUP]);
  add(
    '--delete: successful',
    run.code === 0 &&
      run.stdout.includes(`Deletion of requested consumer groups ('${GROUP}') was successful.`),
    shown(run),
  );
  run = await runTool(['--list']);
  lines = run.stdout.split('\n').map((l) => l.trim());
  add(`--list after --delete: no ${GROUP}`, run.code === 0 && !lines.includes(GROUP), shown(run));
  run = await runTool(['--describe', '--group', GROUP]);
  add(
    '--describe after --delete: does not exist',
    run.code === 0 && run.stdout.includes(`Consumer group '${GROUP}' does not exist.`),
    shown(run),
  );
  timings.delete = Date.now() - t;
}

describe("Apache Kafka's kafka-consumer-groups (ConsumerGroupCommand 3.9.1)", () => {
  it('lists, describes, resets (refused while active; earliest, offset, shift, datetime), deletes offsets and the group', async () => {
    requireInstalled(join(toolsDir, 'lib'), 'kafka-tools jars');
    const started = Date.now();
    try {
      await scenario();
    } catch (err) {
      add('scenario ran to the end', false, errText(err));
    } finally {
      await liveConsumer?.disconnect().catch(() => undefined);
    }
    timings.toolRuns = toolRuns;
    timings.toolMs = toolMs;
    expectGroupChecksPassed(
      { client: 'kafka-consumer-groups', version: 'kafka-tools 3.9.1', checks, timingsMs: timings },
      { wallMs: Date.now() - started },
    );
  }, 300_000);
});
