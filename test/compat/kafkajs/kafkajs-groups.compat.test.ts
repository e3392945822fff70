/**
 * kafkajs 2.2.4 consumer groups against the broker, in-process (test/compat/README.md):
 * 1. admin.createTopics compat-kafkajs-groups (12 partitions); N records (value = decimal
 *    index, partition = index % 12, acks=-1, idempotence off).
 * 2. Group compat-kafkajs-g1 with kafkajs' default RoundRobin assigner: 3 consumers (own
 *    clients; autoCommit off, fromBeginning, session timeout 10 s) process eachBatch in chunks
 *    of 50, resolveOffset each record and commit each chunk through the batch's
 *    commitOffsetsIfNecessary(offsets) (an OffsetCommit of exactly those offsets, awaited).
 *    kafkajs has no revoke callback: a chunk is committed before the batch goes on, and a batch
 *    stops when the consumer stops or the partition is stale. Assignments come from
 *    GROUP_JOIN (memberAssignment) and are cleared on REBALANCING. A 4th consumer joins, one
 *    disconnects; the 12 partitions must be owned exactly once after each change and every
 *    record is processed exactly once.
 * 3. After 1,200 more records a new consumer in the group reads exactly those.
 * 4. admin.listGroups / describeGroups / fetchOffsets / deleteGroups (NON_EMPTY_GROUP while a
 *    consumer runs) / setOffsets on the empty group / deleteGroups.
 * Records: KAFSCALE_COMPAT_GROUP_RECORDS, else KAFSCALE_COMPAT_RECORDS, else 20,000;
 * KAFSCALE_COMPAT_GROUP_PACE_MS (default 150) is each consumer's pause after a chunk.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AssignerProtocol,
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type EachBatchPayload,
} from 'kafkajs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker, stopCompatBroker } from '../support/broker.js';
import { errText, within } from '../support/within.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectGroupChecksPassed, type GroupCheck } from '../support/group-result.js';
import { recordCount } from '../support/paths.js';

const N = Number(process.env.KAFSCALE_COMPAT_GROUP_RECORDS ?? '') || recordCount(20_000);
const PACE_MS = Number(process.env.KAFSCALE_COMPAT_GROUP_PACE_MS ?? '') || 150;
const TOPIC = 'compat-kafkajs-groups';
const GROUP = 'compat-kafkajs-g1';
const PARTITIONS = 12;
const CHUNK = 50;
const EXTRA = 1200;
const SEND_SIZE = 2000;
const STABLE_MS = 2000;
const REBALANCE_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 30_000;
const OP_TIMEOUT_MS = 30_000;

const checks: GroupCheck[] = [];
function add(name: string, ok: boolean, detail: string): boolean {
  checks.push({ name, ok, detail });
  return ok;
}

interface Rec {
  readonly member: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: number;
}

/** Every record any consumer processed, and every commit or consumer error. */
class Tracker {
  readonly recs: Rec[] = [];
  readonly commitErrors: string[] = [];
  readonly errors: string[] = [];
  distinct(): number {
    return new Set(this.recs.map((r) => r.value)).size;
  }
}

/** One consumer in the group, with what it owns per GROUP_JOIN. */
class Member {
  readonly assigned = new Set<number>();
  readonly consumer: Consumer;
  assigns = 0;
  rebalances = 0;
  stopping = false;
  closeOk = false;
  closeDetail = 'not closed';

  constructor(
    readonly name: string,
    kafka: Kafka,
    private readonly tracker: Tracker,
    private readonly paceMs: number,
  ) {
    this.consumer = kafka.consumer({
      groupId: GROUP,
      sessionTimeout: 10_000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
    });
    const c = this.consumer;
    c.on(c.events.GROUP_JOIN, (e) => {
      this.assigns++;
      this.assigned.clear();
      for (const p of e.payload.memberAssignment[TOPIC] ?? []) this.assigned.add(p);
    });
    c.on(c.events.REBALANCING, () => {
      this.rebalances++;
      this.assigned.clear();
    });
    c.on(c.events.CRASH, (e) => {
      this.tracker.errors.push(`${this.name} crashed: ${errText(e.payload.error)}`);
      this.assigned.clear();
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (let k = 0; k < batch.messages.length; k += CHUNK) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(k, k + CHUNK);
      for (const m of chunk) {
        this.tracker.recs.push({
          member: this.name,
          partition: batch.partition,
          offset: Number(m.offset),
          value: Number(m.value?.toString() ?? 'NaN'),
        });
        payload.resolveOffset(m.offset);
      }
      const next = String(Number(chunk.at(-1)?.offset ?? -1) + 1);
      try {
        await payload.commitOffsetsIfNecessary({
          topics: [
            { topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] },
          ],
        });
      } catch (err) {
        this.tracker.commitErrors.push(`${this.name} ${batch.partition}@${next}: ${errText(err)}`);
      }
      await payload.heartbeat(); // a rebalance surfaces here and is handled by kafkajs
      await sleep(this.paceMs);
    }
  }

  owned(): number[] {
    return [...this.assigned].sort((a, b) => a - b);
  }

  /** Stops processing and disconnects (LeaveGroup), bounded. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    const t = Date.now();
    try {
      await within(this.consumer.disconnect(), CLOSE_TIMEOUT_MS, `${this.name} disconnect`);
      this.closeOk = true;
      this.closeDetail = `disconnected in ${Date.now() - t} ms`;
    } catch (err) {
      this.closeOk = false;
      this.closeDetail = errText(err);
    }
    this.assigned.clear();
    return this.closeOk;
  }
}

/** The members' assignments, and whether they own 0..11 exactly once, each some. */
function ownership(members: readonly Member[]): { snap: string; ok: boolean } {
  const count = new Map<number, number>();
  let ok = true;
  for (const m of members) {
    if (m.assigned.size === 0) ok = false;
    for (const p of m.assigned) count.set(p, (count.get(p) ?? 0) + 1);
  }
  for (let p = 0; p < PARTITIONS; p++) if (count.get(p) !== 1) ok = false;
  const snap = members.map((m) => `${m.name}=[${m.owned().join(',')}]`).join(' ');
  return { snap, ok: ok && count.size === PARTITIONS };
}

async function waitStable(
  members: readonly Member[],
  tracker: Tracker,
): Promise<{ ok: boolean; detail: string }> {
  const start = Date.now();
  let since: number | null = null;
  let last = '';
  while (Date.now() - start < REBALANCE_TIMEOUT_MS) {
    const { snap, ok } = ownership(members);
    const now = Date.now();
    if (ok && snap === last && since !== null) {
      if (now - since >= STABLE_MS)
        return {
          ok: true,
          detail:
            `${members.length} members ${snap}; stable after ${((now - start - STABLE_MS) / 1000).toFixed(1)} s; ` +
            `${tracker.recs.length} records processed so far`,
        };
    } else since = ok ? now : null;
    last = snap;
    await sleep(100);
  }
  return {
    ok: false,
    detail: `not ${members.length} owners of ${PARTITIONS} partitions within ${REBALANCE_TIMEOUT_MS} ms; last ${ownership(members).snap}`,
  };
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(100);
  }
  return cond();
}

/** Sends values start..start+count-1 to partition i % 12; ends[p] = acknowledged end offset. */
async function produce(
  kafka: Kafka,
  start: number,
  count: number,
  ends: Map<number, number>,
): Promise<string[]> {
  const errors: string[] = [];
  const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
  await within(producer.connect(), OP_TIMEOUT_MS, 'producer connect');
  try {
    for (let s = start; s < start + count; s += SEND_SIZE) {
      const values = Array.from(
        { length: Math.min(SEND_SIZE, start + count - s) },
        (_, k) => s + k,
      );
      const perPartition = new Map<number, number>();
      for (const v of values)
        perPartition.set(v % PARTITIONS, (perPartition.get(v % PARTITIONS) ?? 0) + 1);
      const meta = await within(
        producer.send({
          topic: TOPIC,
          acks: -1,
          messages: values.map((v) => ({ partition: v % PARTITIONS, value: String(v) })),
        }),
        60_000,
        'send',
      );
      for (const [p, n] of perPartition) {
        const md = meta.find((m) => m.partition === p);
        if (md?.baseOffset === undefined || md.errorCode !== 0) {
          errors.push(`partition ${p}: ${JSON.stringify(md)}`);
          continue;
        }
        ends.set(p, Math.max(ends.get(p) ?? 0, Number(md.baseOffset) + n));
      }
    }
  } catch (err) {
    errors.push(errText(err));
  } finally {
    await producer.disconnect();
  }
  return errors;
}

function recordChecks(recs: readonly Rec[], lo: number, hi: number, what: string): void {
  const values = new Map<number, number>();
  const positions = new Map<string, number>();
  const perMember: Record<string, number> = {};
  let misplaced = 0;
  for (const r of recs) {
    values.set(r.value, (values.get(r.value) ?? 0) + 1);
    const pos = `${r.partition}@${r.offset}`;
    positions.set(pos, (positions.get(pos) ?? 0) + 1);
    perMember[r.member] = (perMember[r.member] ?? 0) + 1;
    if (r.value % PARTITIONS !== r.partition) misplaced++;
  }
  const twice = [...values].filter(([, c]) => c > 1).map(([v]) => v);
  const twicePos = [...positions.values()].filter((c) => c > 1).length;
  const outside = [...values.keys()].filter((v) => !(v >= lo && v < hi));
  const missing: number[] = [];
  for (let v = lo; v < hi; v++) if (!values.has(v)) missing.push(v);
  add(
    `${what}: no record processed twice`,
    twice.length === 0 && twicePos === 0,
    `${recs.length} processed, ${values.size} distinct; ${twice.length} values twice (first ` +
      `${JSON.stringify(twice.slice(0, 10))}), ${twicePos} partition offsets twice; per member ${JSON.stringify(perMember)}`,
  );
  add(
    `${what}: no record skipped`,
    missing.length === 0 && outside.length === 0 && misplaced === 0,
    `expected ${hi - lo} (values ${lo}..${hi - 1}); missing ${missing.length} (first ` +
      `${JSON.stringify(missing.slice(0, 10))}); outside the range ${outside.length} (first ` +
      `${JSON.stringify(outside.slice(0, 10))}); on a wrong partition ${misplaced}`,
  );
}

/** partition -> committed offset (only partitions with a committed offset >= 0). */
async function groupOffsets(admin: Admin): Promise<Map<number, number>> {
  const r = await within(
    admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }),
    OP_TIMEOUT_MS,
    'fetchOffsets',
  );
  const out = new Map<number, number>();
  for (const t of r)
    if (t.topic === TOPIC)
      for (const p of t.partitions)
        if (Number(p.offset) >= 0) out.set(p.partition, Number(p.offset));
  return out;
}

function fmtMap(m: ReadonlyMap<number, number>): string {
  return JSON.stringify(Object.fromEntries([...m].sort((a, b) => a[0] - b[0])));
}

function sameMap(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

async function listCount(admin: Admin): Promise<{ count: number; detail: string }> {
  const r = await within(admin.listGroups(), OP_TIMEOUT_MS, 'listGroups');
  const mine = r.groups.filter((g) => g.groupId === GROUP);
  return {
    count: mine.length,
    detail: `${r.groups.length} groups listed, ${mine.length} named ${GROUP} (${JSON.stringify(mine)})`,
  };
}

/** Each described member's partitions of TOPIC, sorted. */
function describedAssignments(members: readonly { memberAssignment: Buffer }[]): number[][] {
  return members
    .map((m) => {
      const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return [...(a?.assignment[TOPIC] ?? [])].sort((x, y) => x - y);
    })
    .sort((x, y) => String(x).localeCompare(String(y)));
}

async function scenario(kafka: Kafka, timings: Record<string, number>): Promise<void> {
  const admin = kafka.admin();
  await within(admin.connect(), OP_TIMEOUT_MS, 'admin connect');
  const running: Member[] = [];
  try {
    // 1. topic + records
    let t = Date.now();
    const created = await within(
      admin.createTopics({
        topics: [{ topic: TOPIC, numPartitions: PARTITIONS }],
        waitForLeaders: true,
      }),
      OP_TIMEOUT_MS,
      'createTopics',
    );
    const md = await within(
      admin.fetchTopicMetadata({ topics: [TOPIC] }),
      OP_TIMEOUT_MS,
      'fetchTopicMetadata',
    );
    const got = md.topics.find((x) => x.name === TOPIC)?.partitions.length ?? 0;
    add(
      'create topic with 12 partitions',
      got === PARTITIONS,
      `${created ? 'created' : 'already existed'}; metadata shows ${got} partitions`,
    );
    timings.createTopic = Date.now() - t;

    t = Date.now();
    const ends = new Map<number, number>();
    let errors = await produce(kafka, 0, N, ends);
    const acked = [...ends.values()].reduce((a, b) => a + b, 0);
    add(
      `produce ${N} records`,
      errors.length === 0 && acked === N,
      `${acked} acknowledged; errors ${JSON.stringify(errors.slice(0, 5))}`,
    );
    timings.produce = Date.now() - t;

    // 2. three members, a fourth joins, one leaves
    const tracker = new Tracker();
    t = Date.now();
    let members = ['m1', 'm2', 'm3'].map((name) => new Member(name, kafka, tracker, PACE_MS));
    running.push(...members);
    await within(Promise.all(members.map((m) => m.start())), OP_TIMEOUT_MS, 'starting 3 consumers');
    let r = await waitStable(members, tracker);
    add('3 members own the 12 partitions exactly once', r.ok, r.detail);
    timings.threeStable = Date.now() - t;

    try {
      const d = await within(admin.describeGroups([GROUP]), OP_TIMEOUT_MS, 'describeGroups');
      const g = d.groups.find((x) => x.groupId === GROUP);
      const described = describedAssignments(g?.members ?? []);
      const tracked = members
        .map((m) => m.owned())
        .sort((x, y) => String(x).localeCompare(String(y)));
      add(
        'describe with 3 members: the assignments the members got',
        g?.state === 'Stable' && JSON.stringify(described) === JSON.stringify(tracked),
        `state ${g?.state}, protocol ${g?.protocolType}/${g?.protocol}, ${g?.members.length} members, ` +
          `described ${JSON.stringify(described)}, from GROUP_JOIN ${JSON.stringify(tracked)}`,
      );
    } catch (err) {
      add('describe with 3 members: the assignments the members got', false, errText(err));
    }

    t = Date.now();
    const m4 = new Member('m4', kafka, tracker, PACE_MS);
    running.push(m4);
    await within(m4.start(), OP_TIMEOUT_MS, 'starting the 4th consumer');
    members = [...members, m4];
    r = await waitStable(members, tracker);
    add('a 4th member joins: 4 members own the 12 partitions exactly once', r.ok, r.detail);
    timings.fourStable = Date.now() - t;

    t = Date.now();
    const leaver = members[1];
    if (leaver === undefined) throw new Error('no second member');
    members = members.filter((m) => m !== leaver);
    const closed = await leaver.stop();
    add(
      'one member leaves (close)',
      closed,
      `${leaver.name}: ${leaver.closeDetail}; joined ${leaver.assigns}x, rebalancing seen ${leaver.rebalances}x`,
    );
    r = await waitStable(members, tracker);
    add('after the leave: 3 members own the 12 partitions exactly once', r.ok, r.detail);
    timings.leaveStable = Date.now() - t;

    t = Date.now();
    const allIn = await waitUntil(() => tracker.distinct() >= N, 120_000);
    await sleep(1000); // anything processed again would show up now
    add(
      `all ${N} records consumed`,
      allIn,
      `${tracker.distinct()} distinct of ${N} after ${((Date.now() - t) / 1000).toFixed(1)} s more`,
    );
    const closes: string[] = [];
    let allClosed = true;
    for (const m of members) {
      const ok = await m.stop();
      allClosed &&= ok;
      closes.push(`${m.name}: ${ok} ${m.closeDetail} (joined ${m.assigns}x)`);
    }
    add('close all members cleanly', allClosed, closes.join('; '));
    timings.consumeAndClose = Date.now() - t;
    recordChecks(tracker.recs, 0, N, 'group of 3-4');
    add(
      'commits and consumption without errors',
      tracker.commitErrors.length === 0 && tracker.errors.length === 0,
      `commit errors ${tracker.commitErrors.length} ${JSON.stringify(tracker.commitErrors.slice(0, 5))}; ` +
        `consumer errors ${JSON.stringify(tracker.errors.slice(0, 5))}`,
    );

    // 3. restart: only the new records
    t = Date.now();
    errors = await produce(kafka, N, EXTRA, ends);
    const total = [...ends.values()].reduce((a, b) => a + b, 0);
    add(
      `produce ${EXTRA} more records`,
      errors.length === 0 && total === N + EXTRA,
      `errors ${JSON.stringify(errors.slice(0, 5))}`,
    );
    const restart = new Tracker();
    const m5 = new Member('m5', kafka, restart, PACE_MS / 5);
    running.push(m5);
    await within(m5.start(), OP_TIMEOUT_MS, 'starting the restarted consumer');
    const gotAll = await waitUntil(() => restart.recs.length >= EXTRA, 60_000);
    await sleep(2000);
    add(
      `a new member reads the ${EXTRA} new records (committed offsets kept)`,
      gotAll && restart.recs.length === EXTRA,
      `${restart.recs.length} records after ${((Date.now() - t) / 1000).toFixed(1)} s; errors ${JSON.stringify(
        [...restart.commitErrors, ...restart.errors].slice(0, 5),
      )}`,
    );
    recordChecks(restart.recs, N, N + EXTRA, 'restart');
    timings.restart = Date.now() - t;

    // 4. admin, one member still active
    t = Date.now();
    let listed = await listCount(admin);
    add('list groups contains the group once', listed.count === 1, listed.detail);
    const d = await within(admin.describeGroups([GROUP]), OP_TIMEOUT_MS, 'describeGroups');
    const g = d.groups.find((x) => x.groupId === GROUP);
    const as = describedAssignments(g?.members ?? []);
    add(
      'describe group: 1 member owning the 12 partitions, Stable',
      g?.members.length === 1 && g.state === 'Stable' && as[0]?.length === PARTITIONS,
      `state ${g?.state}, protocol ${g?.protocolType}/${g?.protocol}, members ` +
        `${JSON.stringify(g?.members.map((m) => `${m.clientId}@${m.clientHost}`))}, assignments ${JSON.stringify(as)}`,
    );
    let offsets = await groupOffsets(admin);
    add(
      'fetch group offsets: every partition committed at its end',
      sameMap(offsets, ends),
      `committed ${fmtMap(offsets)}, ends ${fmtMap(ends)}`,
    );
    try {
      await within(admin.deleteGroups([GROUP]), OP_TIMEOUT_MS, 'deleteGroups');
      add(
        'delete a group with an active member fails with NON_EMPTY_GROUP',
        false,
        'the delete succeeded',
      );
    } catch (err) {
      const groups = (
        err as { groups?: { groupId: string; errorCode?: number; error?: unknown }[] }
      ).groups;
      const mine = groups?.find((x) => x.groupId === GROUP);
      add(
        'delete a group with an active member fails with NON_EMPTY_GROUP',
        mine?.errorCode === 68,
        `${errText(err)}; group error code ${String(mine?.errorCode)} (${errText(mine?.error)})`,
      );
    }
    const m5closed = await m5.stop();
    add('the restarted member closes cleanly', m5closed, m5.closeDetail);

    try {
      await within(
        admin.setOffsets({
          groupId: GROUP,
          topic: TOPIC,
          partitions: [{ partition: 0, offset: '5' }],
        }),
        OP_TIMEOUT_MS,
        'setOffsets',
      );
      offsets = await groupOffsets(admin);
      const want = new Map(ends);
      want.set(0, 5);
      add(
        'set the empty group offsets (partition 0 to 5)',
        sameMap(offsets, want),
        `committed after ${fmtMap(offsets)}`,
      );
    } catch (err) {
      add('set the empty group offsets (partition 0 to 5)', false, errText(err));
    }

    try {
      const res = await within(admin.deleteGroups([GROUP]), OP_TIMEOUT_MS, 'deleteGroups');
      add('delete the empty group', true, JSON.stringify(res));
    } catch (err) {
      add('delete the empty group', false, errText(err));
    }
    listed = await listCount(admin);
    offsets = await groupOffsets(admin);
    add(
      'after the delete: not listed, no committed offsets',
      listed.count === 0 && offsets.size === 0,
      `${listed.detail}; committed ${fmtMap(offsets)}`,
    );
    timings.admin = Date.now() - t;
  } finally {
    // Whatever failed, no consumer is left running.
    await Promise.all(running.filter((m) => !m.stopping).map((m) => m.stop()));
    await admin.disconnect();
  }
}

let broker: DevBroker;

beforeAll(async () => {
  broker = await startCompatBroker();
});

afterAll(async () => {
  await stopCompatBroker(broker);
});

describe('kafkajs consumer groups', () => {
  it('3-4 members share 12 partitions exactly once, commits survive a restart, admin group APIs', async () => {
    const started = Date.now();
    const kafka = new Kafka({
      brokers: [broker.bootstrap],
      clientId: 'compat-kafkajs',
      logLevel: process.env.KAFSCALE_COMPAT_DEBUG === undefined ? logLevel.NOTHING : logLevel.DEBUG,
    });
    const timingsMs: Record<string, number> = {};
    try {
      await scenario(kafka, timingsMs);
    } catch (err) {
      add('scenario ran to the end', false, `${errText(err)}\n${(err as Error).stack ?? ''}`);
    }
    timingsMs.total = Date.now() - started;
    expectGroupChecksPassed(
      { client: 'kafkajs', version: 'kafkajs 2.2.4', checks, timingsMs },
      { wallMs: Date.now() - started },
    );
  }, 450_000);
});
