import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../../controlplane/src/groups/group-coordinator.js';
import {
  decodeGroupRecord,
  decodeOffsetRecord,
} from '../../../../controlplane/src/groups/group-record.js';
import {
  DEFAULT_GROUP_SETTINGS,
  type GroupSettings,
} from '../../../../controlplane/src/groups/group-settings.js';
import { GroupWriter } from '../../../../controlplane/src/groups/group-writer.js';
import type { ShardFence } from '../../../../controlplane/src/groups/shard-fence.js';
import {
  JoinGroupRequestSchema,
  LeaveGroupRequestSchema,
  OffsetCommitRequestSchema,
  SyncGroupRequestSchema,
  type JoinGroupRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { encodeConsumerProtocolSubscription } from '../../../../lib/kafka/gen/data/consumer-protocol-subscription.js';
import { Writer } from '../../../../lib/kafka/protocol/writer.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';

const SETTINGS: GroupSettings = {
  ...DEFAULT_GROUP_SETTINGS,
  minSessionTimeoutMs: 100,
  initialRebalanceDelayMs: 0,
  commitIntervalMs: 5,
};

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function claimShard(store: MemoryMetadataStore): Promise<ShardFence> {
  const ownerKey = keys.groupShardOwner(0);
  const r = await store.txn([], [{ type: 'put', key: ownerKey, value: Buffer.from('{}') }]);
  return { shard: 0, ownerKey, createRevision: r.revision };
}

async function coordinator(
  store = new MemoryMetadataStore(),
  settings: GroupSettings = SETTINGS,
  fence?: ShardFence,
) {
  const writer = new GroupWriter(store, { intervalMs: settings.commitIntervalMs });
  const c = new GroupCoordinator(store, writer, 1, settings);
  const f = fence ?? (await claimShard(store));
  await c.load(f);
  stops.push(async () => {
    c.stop();
    await writer.stop();
  });
  return { store, writer, c, fence: f };
}

function subscription(...topics: string[]): Uint8Array {
  const w = new Writer();
  w.int16(1);
  encodeConsumerProtocolSubscription(
    w,
    { topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null },
    1,
  );
  return new Uint8Array(w.toBuffer());
}

function join(over: MessageInitShape<typeof JoinGroupRequestSchema> = {}): JoinGroupRequest {
  return create(JoinGroupRequestSchema, {
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 2_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('t') }],
    requireKnownMemberId: true,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    ...over,
  });
}

/** The v4+ flow: MEMBER_ID_REQUIRED, then the join with the issued id. */
async function newMember(
  c: GroupCoordinator,
  over: MessageInitShape<typeof JoinGroupRequestSchema> = {},
) {
  const first = await c.joinGroup(join(over));
  expect(first.errorCode).toBe(KafkaError.MEMBER_ID_REQUIRED);
  expect(first.memberId).toMatch(/^client-/);
  return first.memberId;
}

describe('GroupCoordinator: join barrier and sync', () => {
  it('issues member ids, waits for every member, elects a leader and hands out assignments', async () => {
    const { c, store } = await coordinator();
    const a = await newMember(c);
    const b = await newMember(c);
    const [ja, jb] = await Promise.all([
      c.joinGroup(join({ memberId: a })),
      c.joinGroup(join({ memberId: b })),
    ]);
    expect(ja.errorCode).toBe(0);
    expect(jb.errorCode).toBe(0);
    expect(ja.generationId).toBe(1);
    expect(jb.generationId).toBe(1);
    expect(ja.leader).toBe(ja.leader === a ? a : b);
    const leader = ja.leader === a ? ja : jb;
    const follower = ja.leader === a ? jb : ja;
    expect(leader.members.map((m) => m.memberId).sort()).toEqual([a, b].sort());
    expect(follower.members).toEqual([]);
    expect(leader.protocolName).toBe('range');

    const followerSync = c.syncGroup(
      create(SyncGroupRequestSchema, {
        groupId: 'g',
        generationId: 1,
        memberId: follower.memberId,
      }),
    );
    const leaderSync = c.syncGroup(
      create(SyncGroupRequestSchema, {
        groupId: 'g',
        generationId: 1,
        memberId: leader.memberId,
        assignments: [
          { memberId: a, assignment: Buffer.from('for-a') },
          { memberId: b, assignment: Buffer.from('for-b') },
        ],
      }),
    );
    const [fs, ls] = await Promise.all([followerSync, leaderSync]);
    expect(Buffer.from(fs.assignment).toString()).toBe(follower.memberId === a ? 'for-a' : 'for-b');
    expect(Buffer.from(ls.assignment).toString()).toBe(leader.memberId === a ? 'for-a' : 'for-b');
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: a } as never)).toBe(0);

    // The completed generation is in etcd.
    const kv = await store.get(keys.groupState(0, 'g'));
    expect(kv).toBeDefined();
    const record = decodeGroupRecord('k', kv?.value ?? new Uint8Array());
    expect(record.generationId).toBe(1);
    expect(record.members.map((m) => m.memberId).sort()).toEqual([a, b].sort());
  });

  it('a new member starts a rebalance that existing members learn of from their heartbeat', async () => {
    const { c } = await coordinator();
    const a = await newMember(c);
    const ja = await c.joinGroup(join({ memberId: a }));
    await c.syncGroup(
      create(SyncGroupRequestSchema, {
        groupId: 'g',
        generationId: ja.generationId,
        memberId: a,
        assignments: [{ memberId: a, assignment: Buffer.from('x') }],
      }),
    );
    const b = await newMember(c);
    const pendingB = c.joinGroup(join({ memberId: b }));
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: a } as never)).toBe(
      KafkaError.REBALANCE_IN_PROGRESS,
    );
    const [ra, rb] = await Promise.all([c.joinGroup(join({ memberId: a })), pendingB]);
    expect(ra.generationId).toBe(2);
    expect(rb.generationId).toBe(2);
    // A commit from the old generation is refused.
    const commit = await c.offsetCommit(
      create(OffsetCommitRequestSchema, {
        groupId: 'g',
        generationId: 1,
        memberId: a,
        topics: [{ name: 't', partitions: [{ partition: 0, offset: 5n, leaderEpoch: -1 }] }],
      }),
    );
    expect(commit.topics?.[0]?.partitions?.[0]?.errorCode).toBe(KafkaError.ILLEGAL_GENERATION);
  });

  it('a member that does not rejoin within the rebalance timeout is dropped', async () => {
    const { c } = await coordinator();
    const a = await newMember(c, { rebalanceTimeoutMs: 300 });
    const b = await newMember(c, { rebalanceTimeoutMs: 300 });
    await Promise.all([
      c.joinGroup(join({ memberId: a, rebalanceTimeoutMs: 300 })),
      c.joinGroup(join({ memberId: b, rebalanceTimeoutMs: 300 })),
    ]);
    // Only a comes back for generation 2 (a changed its metadata, which forces a rebalance).
    const started = Date.now();
    const ra = await c.joinGroup(
      join({
        memberId: a,
        rebalanceTimeoutMs: 300,
        protocols: [{ name: 'range', metadata: subscription('t', 'u') }],
      }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(ra.generationId).toBe(2);
    expect(ra.members.map((m) => m.memberId)).toEqual([a]);
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: b } as never)).toBe(
      KafkaError.UNKNOWN_MEMBER_ID,
    );
  });

  it('evicts a member whose session expires, and the others rebalance without it', async () => {
    const { c } = await coordinator();
    const a = await newMember(c, { sessionTimeoutMs: 300 });
    const b = await newMember(c, { sessionTimeoutMs: 300 });
    const [ja] = await Promise.all([
      c.joinGroup(join({ memberId: a, sessionTimeoutMs: 300 })),
      c.joinGroup(join({ memberId: b, sessionTimeoutMs: 300 })),
    ]);
    await Promise.all([
      c.syncGroup(
        create(SyncGroupRequestSchema, {
          groupId: 'g',
          generationId: 1,
          memberId: ja.leader,
          assignments: [],
        }),
      ),
      c.syncGroup(
        create(SyncGroupRequestSchema, {
          groupId: 'g',
          generationId: 1,
          memberId: ja.leader === a ? b : a,
        }),
      ),
    ]);
    // a keeps heartbeating, b goes silent.
    let code = 0;
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 100));
      code = c.heartbeat({ groupId: 'g', generationId: 1, memberId: a } as never);
      if (code !== 0) break;
    }
    expect(code).toBe(KafkaError.REBALANCE_IN_PROGRESS);
    const ra = await c.joinGroup(join({ memberId: a, sessionTimeoutMs: 300 }));
    expect(ra.members.map((m) => m.memberId)).toEqual([a]);
    expect(ra.leader).toBe(a);
  });

  it('refuses session timeouts outside the configured bounds and unknown members', async () => {
    const { c } = await coordinator();
    expect((await c.joinGroup(join({ sessionTimeoutMs: 50 }))).errorCode).toBe(
      KafkaError.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(join({ sessionTimeoutMs: 2_000_000 }))).errorCode).toBe(
      KafkaError.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(join({ memberId: 'nobody' }))).errorCode).toBe(
      KafkaError.UNKNOWN_MEMBER_ID,
    );
    expect((await c.joinGroup(join({ groupId: '' }))).errorCode).toBe(KafkaError.INVALID_GROUP_ID);
    expect(
      (
        await c.joinGroup(
          join({ protocols: [{ name: 'range', metadata: new Uint8Array(300 * 1024) }] }),
        )
      ).errorCode,
    ).toBe(KafkaError.INVALID_REQUEST);
    expect(c.heartbeat({ groupId: 'nope', generationId: 1, memberId: 'x' } as never)).toBe(
      KafkaError.UNKNOWN_MEMBER_ID,
    );
    const other = await newMember(c);
    await c.joinGroup(join({ memberId: other }));
    expect((await c.joinGroup(join({ protocolType: 'connect', memberId: '' }))).errorCode).toBe(
      KafkaError.INCONSISTENT_GROUP_PROTOCOL,
    );
  });
});

describe('GroupCoordinator: static membership', () => {
  it('a restarted static member takes over without a rebalance and fences the old id', async () => {
    const { c } = await coordinator();
    const first = await c.joinGroup(join({ groupInstanceId: 'instance-1' }));
    expect(first.errorCode).toBe(0);
    expect(first.memberId).toMatch(/^instance-1-/);
    await c.syncGroup(
      create(SyncGroupRequestSchema, {
        groupId: 'g',
        generationId: first.generationId,
        memberId: first.memberId,
        groupInstanceId: 'instance-1',
        assignments: [{ memberId: first.memberId, assignment: Buffer.from('mine') }],
      }),
    );
    // The leader rejoining with an unchanged subscription and skip-assignment support.
    const again = await c.joinGroup(
      join({ groupInstanceId: 'instance-1', supportsSkipAssignment: true }),
    );
    expect(again.errorCode).toBe(0);
    expect(again.generationId).toBe(first.generationId);
    expect(again.skipAssignment).toBe(true);
    expect(again.memberId).not.toBe(first.memberId);
    expect(
      c.heartbeat({
        groupId: 'g',
        generationId: first.generationId,
        memberId: first.memberId,
        groupInstanceId: 'instance-1',
      } as never),
    ).toBe(KafkaError.FENCED_INSTANCE_ID);
    const sync = await c.syncGroup(
      create(SyncGroupRequestSchema, {
        groupId: 'g',
        generationId: again.generationId,
        memberId: again.memberId,
        groupInstanceId: 'instance-1',
      }),
    );
    expect(Buffer.from(sync.assignment).toString()).toBe('mine');
  });
});

describe('GroupCoordinator: offsets', () => {
  it('stores offsets durably, coalesces concurrent commits and serves fetches from memory', async () => {
    const { c, store, writer } = await coordinator();
    const before = writer.stats.transactions;
    const commits = Array.from({ length: 40 }, (_, i) =>
      c.offsetCommit(
        create(OffsetCommitRequestSchema, {
          groupId: `standalone-${i}`,
          generationId: -1,
          topics: [
            {
              name: 't',
              partitions: [{ partition: 0, offset: BigInt(i), leaderEpoch: 3, metadata: 'm' }],
            },
          ],
        }),
      ),
    );
    const results = await Promise.all(commits);
    expect(results.every((r) => r.topics?.[0]?.partitions?.[0]?.errorCode === 0)).toBe(true);
    // 40 commits, one partition each: a handful of transactions, not 40.
    expect(writer.stats.transactions - before).toBeLessThanOrEqual(3);
    const kv = await store.get(keys.groupOffset(0, 'standalone-7', 't', 0));
    expect(decodeOffsetRecord('k', kv?.value ?? new Uint8Array()).offset).toBe(7n);
    const fetched = c.offsetFetch({
      groupId: 'standalone-7',
      topics: [{ name: 't', partitions: [0, 1] }],
      allTopics: false,
    } as never);
    expect(fetched.topics[0]?.partitions.map((p) => [p.committedOffset, p.metadata])).toEqual([
      [7n, 'm'],
      [-1n, undefined],
    ]);
  });

  it('refuses oversized metadata per partition and commits the rest', async () => {
    const { c } = await coordinator();
    const r = await c.offsetCommit(
      create(OffsetCommitRequestSchema, {
        groupId: 's',
        generationId: -1,
        topics: [
          {
            name: 't',
            partitions: [
              { partition: 0, offset: 1n, leaderEpoch: -1, metadata: 'x'.repeat(5000) },
              { partition: 1, offset: 2n, leaderEpoch: -1 },
            ],
          },
        ],
      }),
    );
    expect(r.topics?.[0]?.partitions?.map((p) => p.errorCode)).toEqual([
      KafkaError.OFFSET_METADATA_TOO_LARGE,
      0,
    ]);
  });

  it('a replica that lost its shard claim can no longer commit (fenced)', async () => {
    const { c, store, fence } = await coordinator();
    await store.txn([], [{ type: 'delete', key: fence.ownerKey }]);
    await store.txn([], [{ type: 'put', key: fence.ownerKey, value: Buffer.from('{}') }]);
    const r = await c.offsetCommit(
      create(OffsetCommitRequestSchema, {
        groupId: 's',
        generationId: -1,
        topics: [{ name: 't', partitions: [{ partition: 0, offset: 1n, leaderEpoch: -1 }] }],
      }),
    );
    expect(r.topics?.[0]?.partitions?.[0]?.errorCode).toBe(KafkaError.NOT_COORDINATOR);
    expect(await store.get(keys.groupOffset(0, 's', 't', 0))).toBeUndefined();
  });

  it('a new coordinator resumes a stable group and its offsets from etcd', async () => {
    const store = new MemoryMetadataStore();
    const first = await coordinator(store);
    const a = await newMember(first.c);
    const ja = await first.c.joinGroup(join({ memberId: a }));
    await first.c.syncGroup(
      create(SyncGroupRequestSchema, {
        groupId: 'g',
        generationId: ja.generationId,
        memberId: a,
        assignments: [{ memberId: a, assignment: Buffer.from('kept') }],
      }),
    );
    await first.c.offsetCommit(
      create(OffsetCommitRequestSchema, {
        groupId: 'g',
        generationId: ja.generationId,
        memberId: a,
        topics: [{ name: 't', partitions: [{ partition: 0, offset: 42n, leaderEpoch: 1 }] }],
      }),
    );
    first.c.drop(0);

    const second = await coordinator(store, SETTINGS, first.fence);
    expect(
      second.c.heartbeat({ groupId: 'g', generationId: ja.generationId, memberId: a } as never),
    ).toBe(0);
    const sync = await second.c.syncGroup(
      create(SyncGroupRequestSchema, { groupId: 'g', generationId: ja.generationId, memberId: a }),
    );
    expect(Buffer.from(sync.assignment).toString()).toBe('kept');
    const fetched = second.c.offsetFetch({ groupId: 'g', topics: [], allTopics: true } as never);
    expect(fetched.topics.map((t) => [t.name, t.partitions[0]?.committedOffset])).toEqual([
      ['t', 42n],
    ]);
  });
});

describe('GroupCoordinator: admin', () => {
  it('describes, lists, refuses to delete an active group, and deletes an empty one', async () => {
    const { c, store } = await coordinator();
    const a = await newMember(c);
    const ja = await c.joinGroup(join({ memberId: a }));
    await c.syncGroup(
      create(SyncGroupRequestSchema, {
        groupId: 'g',
        generationId: ja.generationId,
        memberId: a,
        assignments: [{ memberId: a, assignment: Buffer.from('x') }],
      }),
    );
    await c.offsetCommit(
      create(OffsetCommitRequestSchema, {
        groupId: 'g',
        generationId: ja.generationId,
        memberId: a,
        topics: [
          { name: 't', partitions: [{ partition: 0, offset: 1n, leaderEpoch: -1 }] },
          { name: 'old', partitions: [{ partition: 0, offset: 1n, leaderEpoch: -1 }] },
        ],
      }),
    );
    const described = c.describeGroups(['g', 'missing']).groups ?? [];
    expect(described[0]?.groupState).toBe('Stable');
    expect(described[0]?.protocolData).toBe('range');
    expect(described[0]?.members?.[0]?.clientId).toBe('client');
    expect(described[1]?.groupState).toBe('Dead');
    expect(
      c.listGroups({ statesFilter: ['stable'], typesFilter: [] } as never).groups,
    ).toHaveLength(1);
    expect(c.listGroups({ statesFilter: ['empty'], typesFilter: [] } as never).groups).toHaveLength(
      0,
    );
    expect(await c.deleteGroups(['g', 'missing'])).toEqual([
      { groupId: 'g', errorCode: KafkaError.NON_EMPTY_GROUP },
      { groupId: 'missing', errorCode: KafkaError.GROUP_ID_NOT_FOUND },
    ]);
    // OffsetDelete: the subscribed topic is refused, the other goes.
    const od = await c.offsetDelete({
      groupId: 'g',
      topics: [
        { name: 't', partitions: [0] },
        { name: 'old', partitions: [0] },
      ],
    } as never);
    expect(od.topics?.map((t) => t.partitions?.[0]?.errorCode)).toEqual([
      KafkaError.GROUP_SUBSCRIBED_TO_TOPIC,
      0,
    ]);
    expect(await store.get(keys.groupOffset(0, 'g', 'old', 0))).toBeUndefined();

    const leave = c.leaveGroup(
      create(LeaveGroupRequestSchema, { groupId: 'g', members: [{ memberId: a }] }),
    );
    expect(leave.members?.[0]?.errorCode).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.describeGroups(['g']).groups?.[0]?.groupState).toBe('Empty');
    expect(await c.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: 0 }]);
    expect((await store.list(keys.groupPrefix(0, 'g'))).kvs).toEqual([]);
  });
});

describe('GroupCoordinator: offsets retention', () => {
  it('expires standalone offsets by commit time and empty consumer groups as a whole', async () => {
    const { c, store } = await coordinator(new MemoryMetadataStore(), {
      ...SETTINGS,
      offsetsRetentionMs: 60_000,
    });
    const commit = (groupId: string, partition: number) =>
      c.offsetCommit(
        create(OffsetCommitRequestSchema, {
          groupId,
          generationId: -1,
          topics: [{ name: 't', partitions: [{ partition, offset: 1n, leaderEpoch: -1 }] }],
        }),
      );
    await commit('standalone', 0);
    // A consumer group that completed a generation and emptied again.
    const a = await newMember(c);
    const ja = await c.joinGroup(join({ memberId: a }));
    await c.syncGroup(
      create(SyncGroupRequestSchema, { groupId: 'g', generationId: ja.generationId, memberId: a }),
    );
    await c.offsetCommit(
      create(OffsetCommitRequestSchema, {
        groupId: 'g',
        generationId: ja.generationId,
        memberId: a,
        topics: [{ name: 't', partitions: [{ partition: 0, offset: 9n, leaderEpoch: -1 }] }],
      }),
    );
    c.leaveGroup(create(LeaveGroupRequestSchema, { groupId: 'g', members: [{ memberId: a }] }));
    await new Promise((r) => setTimeout(r, 30));

    await c.expireOffsets(Date.now() + 30_000); // younger than the retention: all kept
    expect(await store.get(keys.groupOffset(0, 'standalone', 't', 0))).toBeDefined();
    expect(await store.get(keys.groupOffset(0, 'g', 't', 0))).toBeDefined();

    await commit('standalone', 1);
    await c.expireOffsets(Date.now() + 61_000); // both standalone offsets are now too old
    expect((await store.list(keys.groupPrefix(0, 'g'))).kvs).toEqual([]);
    expect(c.describeGroups(['g']).groups?.[0]?.groupState).toBe('Dead');
    expect(await store.get(keys.groupOffset(0, 'standalone', 't', 0))).toBeUndefined();
    expect(await store.get(keys.groupOffset(0, 'standalone', 't', 1))).toBeUndefined();
    // Each standalone offset counts from its own commit: a new one outlives a check soon after.
    await commit('standalone', 2);
    await c.expireOffsets(Date.now() + 1_000);
    expect(await store.get(keys.groupOffset(0, 'standalone', 't', 2))).toBeDefined();
  });
});
