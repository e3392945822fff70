/**
 * Idempotent producers of real clients across broker faults, as separate processes over
 * real etcd and MinIO (one controlplane, two storage nodes, two edges per scenario):
 *
 * 1. The Java client with default settings (idempotence on, acks=all) produces
 *    KAFSCALE_FAULT_RECORDS (default 500,000, for the CI's time budget; set 1,000,000 for
 *    the first runs' size) 100-byte records to 3 partitions. At 20 %
 *    acknowledged the storage node owning partition 0 is killed -9 and a fresh storage node
 *    is started; once partition 0 has a new owner and a few seconds have passed, its owner
 *    is killed -9 again. Every send must succeed, and reading back (Java consumer, assign +
 *    seekToBeginning) must find every record exactly once, in order, at contiguous offsets.
 * 2. franz-go (default idempotent producer) and confluent-kafka-python
 *    (enable.idempotence=true) each produce KAFSCALE_FAULT_EDGE_RECORDS (default 200,000)
 *    records; at 30 % the edge leading partition 0 is killed -9 and the clients carry on
 *    through the other. Same checks. The owner receives retries of batches it already
 *    committed (their acknowledgements died with the edge) and answers them from its
 *    in-memory state.
 * 3. The Java client again (KAFSCALE_FAULT_EDGE_RECORDS records): at 30 % the edge leading
 *    partition 0 is frozen (SIGSTOP), so what it already forwarded is committed while the
 *    acknowledgements stay in the edge; then the owner of partition 0 and the edge are
 *    killed -9. The client's retries reach the new owner, which must recognise them from
 *    the producer state it rebuilt from the etcd index.
 *
 * KAFSCALE_FAULT_IDEMPOTENCE=false turns idempotence off in the three programs: a control
 * run, which shows that these faults do cause duplicates (and, for Java, reordering)
 * without it; the checks then fail, as they should.
 *
 * The client programs (test/compat/java/IdempotentJava.java,
 * test/compat/franz-go/idempotent/main.go, test/compat/python/idempotent.py) are built by
 * scripts/test-deps.sh; each prints progress lines and a FaultResult JSON. Every program's
 * output goes to a log file named in the test output, removed when the checks pass. On a
 * failed check the test prints the broker processes' output tails and the partitions' etcd
 * state.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir, requireInstalled } from '../../compat/support/paths.js';
import { keys } from '../../../lib/metadata/keys.js';
import { decodeIndexEntry } from '../../../lib/metadata/partition-records.js';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import {
  startService,
  type ClusterEnv,
  type ServiceProcess,
} from '../../fixtures/kafscale-cluster.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';
import { waitUntil } from '../../fixtures/processes.js';
import { startProgressClient, type ProgressClient } from '../../support/progress-client.js';
import { sample, scrape } from '../../support/scrape-metrics.js';

const run = promisify(execFile);
const PARTITIONS = 3;

function envCount(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
}
const JAVA_RECORDS = envCount('KAFSCALE_FAULT_RECORDS', 500_000);
const EDGE_RECORDS = envCount('KAFSCALE_FAULT_EDGE_RECORDS', Math.min(200_000, JAVA_RECORDS));
const javaDir = process.env.KAFSCALE_COMPAT_JAVA_DIR ?? join(cacheDir, 'compat/java');

/** What every client program prints as its last stdout line. */
interface FaultResult {
  client: string;
  version: string;
  records: number;
  partitions: number;
  acked: number;
  failed: number;
  ackOffsetMismatches: number;
  failures: Record<string, number>;
  failedSamples: string[];
  retries: number | null;
  clientMetrics: Record<string, unknown>;
  startedAtMs: number;
  produceDoneAtMs: number;
  produceMs: number;
  consumeMs: number;
  maxAckGapMs: number;
  maxAckGapEndedAtMs: number;
  partitionResults: {
    partition: number;
    expected: number;
    acked: number;
    endOffset: number;
    consumed: number;
    distinct: number;
    duplicates: number;
    missing: number;
    missingAcked: number;
    outOfOrder: number;
    offsetBreaks: number;
    foreign: number;
    maxAckGapMs: number;
    maxAckGapEndedAtMs: number;
  }[];
  mismatches: string[];
}

// ---------------------------------------------------------------------------
// The stack

interface Stack {
  etcd: EtcdFixture;
  minio: MinioFixture;
  env: ClusterEnv;
  controlplane: ServiceProcess;
  storage: ServiceProcess[];
  edges: ServiceProcess[];
}

async function startStack(): Promise<Stack> {
  const [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('kafscale');
  const env: ClusterEnv = { etcd, minio, bucket: 'kafscale' };
  const controlplane = await startService('controlplane', env);
  const storage = await Promise.all([
    startService('storage-node', env),
    startService('storage-node', env),
  ]);
  const edges = await Promise.all([startService('edge', env), startService('edge', env)]);
  return { etcd, minio, env, controlplane, storage, edges };
}

/** Client programs started by the tests: stopped with the stack if a test failed early. */
const clients = new Set<ProgressClient<FaultResult>>();

function track(client: ProgressClient<FaultResult>): ProgressClient<FaultResult> {
  clients.add(client);
  return client;
}

async function stopStack(stack: Stack | undefined): Promise<void> {
  for (const c of clients) await c.process.kill('SIGKILL');
  clients.clear();
  if (stack === undefined) return;
  await Promise.all(
    [stack.controlplane, ...stack.storage, ...stack.edges].map((s) => s.process.stop()),
  );
  await Promise.all([stack.etcd.stop(), stack.minio.stop()]);
}

function bootstrap(stack: Stack): string {
  return stack.edges.map((e) => `127.0.0.1:${e.port}`).join(',');
}

async function createTopic(stack: Stack, topic: string): Promise<void> {
  const admin = new Kafka({
    brokers: stack.edges.map((e) => `127.0.0.1:${e.port}`),
    clientId: 'idempotent-faults',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS }],
    waitForLeaders: true,
  });
  await admin.disconnect();
}

async function etcdctl(stack: Stack, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    'etcdctl',
    ['--endpoints', stack.etcd.endpoints.join(','), ...args],
    {
      maxBuffer: 64 << 20,
    },
  );
  return stdout.trim();
}

async function topicId(stack: Stack, topic: string): Promise<string> {
  const value = await etcdctl(stack, 'get', keys.topic(topic), '--print-value-only');
  return (JSON.parse(value) as { topicId: string }).topicId;
}

/** The edge advertised as the leader of a partition: the one clients produce to for it. */
async function leaderEdge(stack: Stack, topic: string, partition: number): Promise<ServiceProcess> {
  const admin = new Kafka({
    brokers: stack.edges.map((e) => `127.0.0.1:${e.port}`),
    clientId: 'idempotent-faults',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const cluster = await admin.describeCluster();
    const leaderId = meta.topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader;
    const leaderPort = cluster.brokers.find((b) => b.nodeId === leaderId)?.port;
    const edge = stack.edges.find((e) => e.port === leaderPort);
    if (edge === undefined) throw new Error(`no edge process for leader ${String(leaderId)}`);
    return edge;
  } finally {
    await admin.disconnect();
  }
}

/** The storage node id holding a partition's claim in etcd, or undefined while unclaimed. */
async function ownerId(stack: Stack, id: string, partition: number): Promise<string | undefined> {
  const value = await etcdctl(
    stack,
    'get',
    keys.partitionOwner(id, partition),
    '--print-value-only',
  );
  return value === '' ? undefined : (JSON.parse(value) as { owner: string }).owner;
}

function storageProcess(stack: Stack, owner: string): ServiceProcess {
  const node = stack.storage.find((s) => s.banner.includes(`storage node ${owner} `));
  if (node === undefined) throw new Error(`no storage process for owner ${owner}`);
  return node;
}

function nodeIdOf(service: ServiceProcess): string {
  return /storage node (\S+) /.exec(service.banner)?.[1] ?? service.banner;
}

/** The broker side of a failure: each process' output tail and the topic's etcd state. */
async function evidence(stack: Stack, topic: string): Promise<string> {
  const parts: string[] = [];
  for (const s of [stack.controlplane, ...stack.storage, ...stack.edges]) {
    parts.push(
      `--- ${s.kind} ${s.banner} (${s.process.exitStatus() ?? 'running'}):\n${s.process.outputTail().slice(-4000)}`,
    );
  }
  try {
    const id = await topicId(stack, topic);
    parts.push(`--- etcd: topic ${topic} = ${id}`);
    parts.push(await etcdctl(stack, 'get', '--prefix', keys.storageNodesPrefix()));
    parts.push(await etcdctl(stack, 'get', '--prefix', keys.topicAssignmentsPrefix(id)));
    for (let p = 0; p < PARTITIONS; p++) {
      parts.push(await etcdctl(stack, 'get', keys.partitionState(id, p)));
      parts.push(await etcdctl(stack, 'get', keys.partitionOwner(id, p)));
      const indexKeys = await etcdctl(
        stack,
        'get',
        '--prefix',
        '--keys-only',
        keys.indexPrefix(id, p),
      );
      parts.push(
        `${indexKeys.split('\n').filter((l) => l !== '').length} index entries; the last 3:`,
      );
      parts.push(
        await etcdctl(
          stack,
          'get',
          '--prefix',
          '--sort-by=KEY',
          '--order=DESCEND',
          '--limit=3',
          keys.indexPrefix(id, p),
        ),
      );
    }
  } catch (err) {
    parts.push(`(etcd state unavailable: ${String(err)})`);
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------
// Checks and reporting

function logName(client: string): string {
  return join(tmpdir(), `kafscale-idempotent-${client}-${process.pid}-${Date.now()}.log`);
}

/** Every check of the scenario, as a list of failures (empty when all pass). */
function problems(r: FaultResult, records: number): string[] {
  const out: string[] = [];
  if (r.records !== records) out.push(`the client produced ${r.records} records, not ${records}`);
  if (r.failed > 0) out.push(`${r.failed} sends failed: ${JSON.stringify(r.failures)}`);
  if (r.acked !== records) out.push(`${r.acked} of ${records} sends acknowledged`);
  if (r.ackOffsetMismatches > 0)
    out.push(`${r.ackOffsetMismatches} acknowledgements at an unexpected offset`);
  let total = 0;
  for (const p of r.partitionResults) {
    total += p.expected;
    const bad = (
      [
        ['duplicates', p.duplicates],
        ['missing', p.missing],
        ['missingAcked', p.missingAcked],
        ['outOfOrder', p.outOfOrder],
        ['offsetBreaks', p.offsetBreaks],
        ['foreign', p.foreign],
      ] as const
    ).filter(([, v]) => v !== 0);
    if (bad.length > 0 || p.endOffset !== p.expected || p.consumed !== p.expected) {
      out.push(
        `partition ${p.partition}: expected ${p.expected}, end offset ${p.endOffset}, consumed ${p.consumed}, ` +
          `distinct ${p.distinct}${bad.map(([k, v]) => `, ${k} ${v}`).join('')}`,
      );
    }
  }
  if (total !== records) out.push(`the partitions hold ${total} expected records, not ${records}`);
  if (r.mismatches.length > 0) out.push(`mismatches:\n  ${r.mismatches.join('\n  ')}`);
  return out;
}

/** Counts of the Java producer's retry warnings by error, and the producer ids it used. */
function javaLogSummary(logFile: string): {
  retriesByError: Record<string, number>;
  producerIds: string[];
} {
  const text = readFileSync(logFile, 'utf8');
  const retriesByError: Record<string, number> = {};
  for (const m of text.matchAll(/Got error produce response [^\n]*?Error: (\w+)/g)) {
    const key = m[1] ?? '?';
    retriesByError[key] = (retriesByError[key] ?? 0) + 1;
  }
  const producerIds = [...text.matchAll(/ProducerId set to (-?\d+) with epoch (-?\d+)/g)].map(
    (m) => `${m[1]}/${m[2]}`,
  );
  return { retriesByError, producerIds };
}

function at(client: ProgressClient<FaultResult>, epochMs: number): string {
  return `T+${((epochMs - client.startedAt) / 1000).toFixed(1)}s`;
}

function summary(r: FaultResult, wallMs: number): string {
  const parts = r.partitionResults
    .map(
      (p) =>
        `p${p.partition}: ${p.distinct}/${p.expected} (end ${p.endOffset}), longest ack gap ${p.maxAckGapMs} ms`,
    )
    .join('; ');
  return (
    `${r.client} (${r.version}): ${r.acked}/${r.records} acknowledged, ${r.failed} failed, ` +
    `produce ${r.produceMs} ms (${Math.round(r.records / (r.produceMs / 1000))} records/s), ` +
    `consume ${r.consumeMs} ms, wall ${wallMs} ms; retries ${String(r.retries)}; ` +
    `longest ack gap ${r.maxAckGapMs} ms; ${parts}; client metrics ${JSON.stringify(r.clientMetrics)}`
  );
}

async function expectClean(
  stack: Stack,
  topic: string,
  r: FaultResult,
  records: number,
  logFile: string,
): Promise<void> {
  const found = problems(r, records);
  if (found.length > 0) {
    console.log(
      `FAILED checks (${r.client}, client log ${logFile}):\n${found.join('\n')}\n` +
        `failed samples: ${JSON.stringify(r.failedSamples)}\n${await evidence(stack, topic)}`,
    );
  }
  expect(found).toEqual([]);
  rmSync(logFile, { force: true }); // kept only when something failed
}

function startJava(
  stack: Stack,
  topic: string,
  records: number,
): { client: ProgressClient<FaultResult>; logFile: string } {
  requireInstalled(join(javaDir, 'classes/IdempotentJava.class'), 'IdempotentJava');
  const logFile = logName('java');
  const client = track(
    startProgressClient<FaultResult>(
      'java',
      [
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        '-Dorg.slf4j.simpleLogger.showDateTime=true',
        '-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.TransactionManager=info',
        '-cp',
        `${join(javaDir, 'lib/*')}:${join(javaDir, 'classes')}`,
        'IdempotentJava',
        bootstrap(stack),
        topic,
        String(records),
        String(PARTITIONS),
      ],
      { name: 'IdempotentJava', logFile },
    ),
  );
  console.log(`IdempotentJava log: ${logFile}`);
  return { client, logFile };
}

// ---------------------------------------------------------------------------
// 1. Java, storage-node owner killed twice

describe('Java idempotent producer (default settings) across two storage-node kills -9', () => {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => {
    await stopStack(stack);
  });

  it(`stores ${JAVA_RECORDS} records exactly once, in order`, async () => {
    if (stack === undefined) throw new Error('no stack');
    const s = stack;
    const topic = 'idem-java';
    await createTopic(s, topic);
    const id = await topicId(s, topic);
    const { client, logFile } = startJava(s, topic, JAVA_RECORDS);
    const events: string[] = [];
    const killOwner = async (round: number) => {
      const owner = await ownerId(s, id, 0);
      if (owner === undefined) throw new Error('partition 0 has no owner');
      const victim = storageProcess(s, owner);
      const ackedAtKill = client.acked();
      await victim.process.kill('SIGKILL');
      const killedAt = Date.now();
      events.push(
        `kill ${round}: storage node ${owner} (owner of p0) killed -9 at ${at(client, killedAt)}, ` +
          `${ackedAtKill} acknowledged, producer ${client.produceDone() ? 'already done' : 'running'}`,
      );
      return { owner, killedAt, ackedAtKill, midStream: !client.produceDone() };
    };
    const newOwner = async (old: string, killedAt: number) => {
      let owner: string | undefined;
      await waitUntil(
        async () => {
          owner = await ownerId(s, id, 0);
          return owner !== undefined && owner !== old;
        },
        { timeoutMs: 30_000, intervalMs: 50, what: 'a new owner of partition 0' },
      );
      const claimedAt = Date.now();
      events.push(
        `  p0 claimed by ${String(owner)} ${claimedAt - killedAt} ms after the kill (${at(client, claimedAt)})`,
      );
      return owner ?? '';
    };

    await client.waitForAcked(Math.floor(JAVA_RECORDS * 0.2), 600_000);
    const kill1 = await killOwner(1);
    // Start a fresh storage node (two stay available) while the survivor takes partition 0.
    await Promise.all([
      startService('storage-node', s.env).then((svc) => {
        s.storage.push(svc);
        events.push(`  storage node ${nodeIdOf(svc)} started at ${at(client, Date.now())}`);
        return svc;
      }),
      newOwner(kill1.owner, kill1.killedAt),
    ]);
    const restartedAt = Date.now();
    // Acks go on after the failover, then a few seconds pass (or the run gets to 60 %).
    if (!client.produceDone()) await client.waitForAcked(client.acked() + 1, 120_000);
    const resumedAt = Date.now();
    events.push(`  acks resumed, seen at ${at(client, resumedAt)}`);
    await waitUntil(
      () => Date.now() - restartedAt >= 5000 || client.acked() >= JAVA_RECORDS * 0.6,
      { timeoutMs: 10_000, what: 'the pause between the kills' },
    );
    const kill2 = await killOwner(2);
    await newOwner(kill2.owner, kill2.killedAt);

    const { result, wallMs } = await client.finished(1_800_000);
    const { retriesByError, producerIds } = javaLogSummary(logFile);
    console.log(
      [
        summary(result, wallMs),
        ...events,
        `produce finished at ${at(client, result.produceDoneAtMs)}; longest ack gap ended at ${at(client, result.maxAckGapEndedAtMs)}`,
        `Java retry warnings by error: ${JSON.stringify(retriesByError)}; producer id/epoch used: ${producerIds.join(', ')}`,
      ].join('\n'),
    );
    await expectClean(s, topic, result, JAVA_RECORDS, logFile);
    expect(
      kill1.midStream && kill2.midStream,
      'both kills must land while the producer runs: raise KAFSCALE_FAULT_RECORDS',
    ).toBe(true);
  }, 1_900_000);
});

// ---------------------------------------------------------------------------
// 3. Java, acknowledgements lost with an edge while the owner dies: the retries reach the
//    new owner, which must recognise them from the producer state it rebuilt from etcd.

/** Records of a partition committed to the etcd index: the last entry's last offset + 1. */
async function committedEnd(stack: Stack, id: string, partition: number): Promise<number> {
  const value = await etcdctl(
    stack,
    'get',
    '--prefix',
    '--sort-by=KEY',
    '--order=DESCEND',
    '--limit=1',
    '--print-value-only',
    keys.indexPrefix(id, partition),
  );
  if (value === '') return 0;
  return Number(
    decodeIndexEntry(keys.indexPrefix(id, partition), new TextEncoder().encode(value)).lastOffset +
      1n,
  );
}

const FREEZE_ATTEMPTS = 5;

/**
 * Freezes (SIGSTOP) the edge leading partition 0 at a moment when the owner has committed
 * records of partition 0 whose acknowledgements have not reached the client: the etcd
 * index ends past what the client has seen acknowledged for partition 0. The edge can be
 * frozen between two of the client's requests, when it holds no such acknowledgement; then
 * it is thawed, the client goes on a little, and the edge is frozen again.
 */
async function freezeWithUnacknowledged(
  stack: Stack,
  id: string,
  edge: ServiceProcess,
  client: ProgressClient<FaultResult>,
): Promise<{ frozenAt: number; ackedAtFreeze: number; freezes: string[] }> {
  const freezes: string[] = [];
  for (let attempt = 1; attempt <= FREEZE_ATTEMPTS; attempt++) {
    const ackedAtFreeze = client.acked();
    edge.process.pause();
    const frozenAt = Date.now();
    // Three of the client's 250 ms progress lines: its count for partition 0 is final now
    // (nothing more can be acknowledged through the frozen edge), and the owner has
    // committed what the edge forwarded before the freeze.
    await new Promise((r) => setTimeout(r, 800));
    const committed = await committedEnd(stack, id, 0);
    const acked = client.ackedByPartition()[0] ?? 0;
    freezes.push(`freeze ${attempt}: p0 committed ${committed}, acknowledged ${acked}`);
    if (committed > acked) return { frozenAt, ackedAtFreeze, freezes };
    edge.process.resume();
    await client.waitForAcked(client.acked() + 2000, 60_000);
  }
  throw new Error(
    `the edge never held an acknowledgement of a committed batch: ${freezes.join('; ')}`,
  );
}

describe('Java idempotent producer: batches committed but unacknowledged, retried at a new owner', () => {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => {
    await stopStack(stack);
  });

  it(`stores ${EDGE_RECORDS} records exactly once, in order`, async () => {
    if (stack === undefined) throw new Error('no stack');
    const s = stack;
    const topic = 'idem-java-lost-acks';
    await createTopic(s, topic);
    const id = await topicId(s, topic);
    const edge = await leaderEdge(s, topic, 0);
    const { client, logFile } = startJava(s, topic, EDGE_RECORDS);
    await client.waitForAcked(Math.floor(EDGE_RECORDS * 0.3), 600_000);

    const owner = await ownerId(s, id, 0);
    if (owner === undefined) throw new Error('partition 0 has no owner');
    const storage = storageProcess(s, owner);

    // Freeze the edge: what it already forwarded is committed by the owner, but the
    // acknowledgements stay in the frozen edge. Then kill the owner and the edge.
    const { frozenAt, ackedAtFreeze, freezes } = await freezeWithUnacknowledged(
      s,
      id,
      edge,
      client,
    );
    await storage.process.kill('SIGKILL');
    const ownerKilledAt = Date.now();
    await edge.process.kill('SIGKILL');
    const edgeKilledAt = Date.now();
    const midStream = !client.produceDone();
    let newOwner: string | undefined;
    await waitUntil(
      async () => {
        newOwner = await ownerId(s, id, 0);
        return newOwner !== undefined && newOwner !== owner;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: 'a new owner of partition 0' },
    );
    const claimedAt = Date.now();

    const { result, wallMs } = await client.finished(900_000);
    const { retriesByError, producerIds } = javaLogSummary(logFile);
    const newOwnerProcess = newOwner === undefined ? undefined : storageProcess(s, newOwner);
    const duplicates =
      newOwnerProcess === undefined
        ? undefined
        : sample(
            await scrape(newOwnerProcess.metricsPort),
            'kafscale_storage_idempotent_batches_total',
            {
              verdict: 'duplicate',
            },
          );
    console.log(
      [
        summary(result, wallMs),
        `the new owner answered ${String(duplicates)} retried batches as duplicates (from the producer state it rebuilt from etcd)`,
        `edge ${edge.port} (leader of p0) frozen at ${at(client, frozenAt)} with ${ackedAtFreeze} acknowledged ` +
          `(${freezes.join('; ')}); ` +
          `owner ${owner} killed -9 at ${at(client, ownerKilledAt)}, the edge killed -9 at ${at(client, edgeKilledAt)} ` +
          `(producer ${midStream ? 'running' : 'already done'}); p0 claimed by ${String(newOwner)} ` +
          `${claimedAt - ownerKilledAt} ms after the owner's kill`,
        `produce finished at ${at(client, result.produceDoneAtMs)}; longest ack gap ended at ${at(client, result.maxAckGapEndedAtMs)}`,
        `Java retry warnings by error: ${JSON.stringify(retriesByError)}; producer id/epoch used: ${producerIds.join(', ')}`,
      ].join('\n'),
    );
    await expectClean(s, topic, result, EDGE_RECORDS, logFile);
    expect(midStream, 'the kills must land while the producer runs').toBe(true);
    // The frozen edge held acknowledgements of committed batches (freezeWithUnacknowledged
    // saw them in the index): their retries must have reached the new owner and been
    // recognised from the producer state it rebuilt.
    expect(
      duplicates ?? 0,
      `duplicates answered by the new owner ${String(newOwner)} (${freezes.join('; ')}; ` +
        `Java retries ${JSON.stringify(retriesByError)})`,
    ).toBeGreaterThan(0);
  }, 1_000_000);
});

// ---------------------------------------------------------------------------
// 2. franz-go and librdkafka, one edge killed

interface EdgeClient {
  readonly name: string;
  readonly topic: string;
  readonly command: () => [string, string[]];
}

const edgeClients: EdgeClient[] = [
  {
    name: 'franz-go',
    topic: 'idem-franz-go',
    command: () => [
      requireInstalled(
        join(cacheDir, 'bin/compat-franz-go-idempotent'),
        'compat-franz-go-idempotent',
      ),
      [],
    ],
  },
  {
    name: 'python',
    topic: 'idem-python',
    command: () => [
      requireInstalled(join(cacheDir, 'compat/python/bin/python'), 'the confluent-kafka venv'),
      [join(import.meta.dirname, '../../compat/python/idempotent.py')],
    ],
  },
];

for (const c of edgeClients) {
  describe(`${c.name} idempotent producer across an edge kill -9`, () => {
    let stack: Stack | undefined;
    beforeAll(async () => {
      stack = await startStack();
    }, 120_000);
    afterAll(async () => {
      await stopStack(stack);
    });

    it(`stores ${EDGE_RECORDS} records exactly once, in order`, async () => {
      if (stack === undefined) throw new Error('no stack');
      const s = stack;
      const [command, prefix] = c.command();
      await createTopic(s, c.topic);
      // The victim: the edge leading partition 0 carries traffic for sure (both may not).
      const victim = await leaderEdge(s, c.topic, 0);
      const logFile = logName(c.name);
      const client = track(
        startProgressClient<FaultResult>(
          command,
          [...prefix, bootstrap(s), c.topic, String(EDGE_RECORDS), String(PARTITIONS)],
          { name: `${c.name} idempotent`, logFile },
        ),
      );
      console.log(`${c.name} log: ${logFile}`);
      await client.waitForAcked(Math.floor(EDGE_RECORDS * 0.3), 300_000);
      const ackedAtKill = client.acked();
      const midStream = !client.produceDone();
      await victim.process.kill('SIGKILL');
      const killedAt = Date.now();
      // Wait for any acknowledgement after the kill (shows when producing resumed).
      await client.waitForAcked(ackedAtKill + 1, 120_000).catch(() => 0);
      const resumedAt = Date.now();
      const { result, wallMs } = await client.finished(600_000);
      console.log(
        [
          summary(result, wallMs),
          `edge ${victim.port} (leader of p0) killed -9 at ${at(client, killedAt)} with ${ackedAtKill} acknowledged ` +
            `(producer ${midStream ? 'running' : 'already done'}); first acknowledgement after it seen ${resumedAt - killedAt} ms later`,
          `produce finished at ${at(client, result.produceDoneAtMs)}; longest ack gap ${result.maxAckGapMs} ms ended at ${at(client, result.maxAckGapEndedAtMs)}`,
        ].join('\n'),
      );
      await expectClean(s, c.topic, result, EDGE_RECORDS, logFile);
      expect(midStream, 'the kill must land while the producer runs').toBe(true);
    }, 900_000);
  });
}
