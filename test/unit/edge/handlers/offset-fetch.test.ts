import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { offsetFetchHandler } from '../../../../edge/src/handlers/09-offset-fetch.js';
import {
  OffsetFetchResponseSchema,
  type OffsetFetchRequest as ProtoOffsetFetchRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultOffsetFetchRequest,
  defaultOffsetFetchRequestGroup,
} from '../../../../lib/kafka/gen/index.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  type CoordinatorImpl,
} from './group-harness.js';

/**
 * Each partition's committed offset is 10 times its index plus 1000 times the group's
 * position in the call; "all topics" answers orders-0. A group named "loading-..." is
 * answered COORDINATOR_LOAD_IN_PROGRESS.
 */
const answer: CoordinatorImpl = {
  offsetFetch: (req) =>
    create(OffsetFetchResponseSchema, {
      groups: req.groups.map((g, i) =>
        g.groupId.startsWith('loading')
          ? { groupId: g.groupId, errorCode: KafkaError.COORDINATOR_LOAD_IN_PROGRESS }
          : {
              groupId: g.groupId,
              errorCode: 0,
              topics: (g.allTopics ? [{ name: 'orders', partitions: [0] }] : g.topics).map((t) => ({
                name: t.name,
                partitions: t.partitions.map((p) => ({
                  partition: p,
                  committedOffset: BigInt(1000 * i + 10 * p),
                  committedLeaderEpoch: 2,
                  ...(p === 0 ? { metadata: 'meta' } : {}),
                  errorCode: 0,
                })),
              })),
            },
      ),
    }),
};

const orders = (...partitionIndexes: number[]) => [{ name: 'orders', partitionIndexes }];

describe('OffsetFetch', () => {
  it('v0: one group, the listed partitions, metadata null when none was stored', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(offsetFetchHandler(w.coordinators), 0, {
      ...defaultOffsetFetchRequest(),
      groupId: group,
      topics: orders(0, 1),
    });
    expect(w.a.messages<ProtoOffsetFetchRequest>('OffsetFetch')[0]).toMatchObject({
      groups: [
        { groupId: group, allTopics: false, topics: [{ name: 'orders', partitions: [0, 1] }] },
      ],
      requireStable: false,
    });
    expect(
      res.topics.map((t) => [
        t.name,
        t.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata, p.errorCode]),
      ]),
    ).toEqual([
      [
        'orders',
        [
          [0, 0n, 'meta', 0],
          [1, 10n, null, 0],
        ],
      ],
    ]);
  });

  it('v1: a group-level error goes into every requested partition', async () => {
    const w = groupWorld(answer);
    const res = await roundTrip(offsetFetchHandler(w.coordinators), 1, {
      ...defaultOffsetFetchRequest(),
      groupId: groupOn(SHARDS_OF_A, 'loading'),
      topics: orders(0, 2),
    });
    expect(
      res.topics.map((t) =>
        t.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode]),
      ),
    ).toEqual([
      [
        [0, -1n, KafkaError.COORDINATOR_LOAD_IN_PROGRESS],
        [2, -1n, KafkaError.COORDINATOR_LOAD_IN_PROGRESS],
      ],
    ]);
  });

  it('v2+: null topics asks for every committed offset; the group error is at the top level', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(offsetFetchHandler(w.coordinators), 2, {
      ...defaultOffsetFetchRequest(),
      groupId: group,
      topics: null,
    });
    expect(w.a.messages<ProtoOffsetFetchRequest>('OffsetFetch')[0]?.groups[0]).toMatchObject({
      allTopics: true,
      topics: [],
    });
    expect([res.errorCode, res.topics.map((t) => t.name)]).toEqual([0, ['orders']]);
    const loading = await roundTrip(offsetFetchHandler(w.coordinators), 5, {
      ...defaultOffsetFetchRequest(),
      groupId: groupOn(SHARDS_OF_A, 'loading'),
      topics: orders(0),
    });
    expect([loading.errorCode, loading.topics]).toEqual([
      KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
      [],
    ]);
  });

  it('v5: leader epochs; v7: require stable passes through', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const v5 = await roundTrip(offsetFetchHandler(w.coordinators), 5, {
      ...defaultOffsetFetchRequest(),
      groupId: group,
      topics: orders(1),
    });
    expect(v5.topics[0]?.partitions[0]?.committedLeaderEpoch).toBe(2);
    await roundTrip(offsetFetchHandler(w.coordinators), 7, {
      ...defaultOffsetFetchRequest(),
      groupId: group,
      topics: orders(1),
      requireStable: true,
    });
    expect(w.a.messages<ProtoOffsetFetchRequest>('OffsetFetch')[1]?.requireStable).toBe(true);
  });

  it('v8: groups split by holder, one call each, answered in request order', async () => {
    const w = groupWorld(answer);
    const a1 = groupOn(SHARDS_OF_A, 'a');
    const b1 = groupOn([2, 3], 'b');
    const a2 = groupOn(SHARDS_OF_A, 'aa');
    const res = await roundTrip(offsetFetchHandler(w.coordinators), 8, {
      ...defaultOffsetFetchRequest(),
      groups: [
        {
          ...defaultOffsetFetchRequestGroup(),
          groupId: a1,
          topics: [{ name: 'orders', partitionIndexes: [1] }],
        },
        { ...defaultOffsetFetchRequestGroup(), groupId: b1, topics: null },
        {
          ...defaultOffsetFetchRequestGroup(),
          groupId: a2,
          topics: [{ name: 'orders', partitionIndexes: [2] }],
        },
      ],
    });
    expect(
      w.a
        .messages<ProtoOffsetFetchRequest>('OffsetFetch')
        .map((r) => r.groups.map((g) => g.groupId)),
    ).toEqual([[a1, a2]]);
    expect(
      w.b
        .messages<ProtoOffsetFetchRequest>('OffsetFetch')
        .map((r) => r.groups.map((g) => [g.groupId, g.allTopics])),
    ).toEqual([[[b1, true]]]);
    expect(
      res.groups.map((g) => [
        g.groupId,
        g.errorCode,
        g.topics.flatMap((t) => t.partitions.map((p) => p.committedOffset)),
      ]),
    ).toEqual([
      [a1, 0, [10n]],
      [b1, 0, [0n]],
      [a2, 0, [1020n]],
    ]);
  });

  it('v9: an unheld group gets COORDINATOR_NOT_AVAILABLE, a failing holder NOT_COORDINATOR', async () => {
    const w = groupWorld(answer);
    w.hold([0], [2, 3]);
    const onA = groupOn([0], 'a');
    const unheld = groupOn([1], 'u');
    const onB = groupOn([2, 3], 'b');
    w.b.failing = true;
    const res = await roundTrip(offsetFetchHandler(w.coordinators), 9, {
      ...defaultOffsetFetchRequest(),
      groups: [onB, unheld, onA].map((groupId) => ({
        ...defaultOffsetFetchRequestGroup(),
        groupId,
        memberId: 'm-1',
        memberEpoch: 3,
        topics: [{ name: 'orders', partitionIndexes: [0] }],
      })),
    });
    expect(res.groups.map((g) => [g.groupId, g.errorCode, g.topics.length])).toEqual([
      [onB, KafkaError.NOT_COORDINATOR, 0],
      [unheld, KafkaError.COORDINATOR_NOT_AVAILABLE, 0],
      [onA, 0, 1],
    ]);
  });

  it('v3: no holder for the single group is a top-level COORDINATOR_NOT_AVAILABLE', async () => {
    const w = groupWorld(answer);
    w.hold([], []);
    const res = await roundTrip(offsetFetchHandler(w.coordinators), 3, {
      ...defaultOffsetFetchRequest(),
      groupId: 'g',
      topics: orders(0),
    });
    expect([res.errorCode, res.topics]).toEqual([KafkaError.COORDINATOR_NOT_AVAILABLE, []]);
  });
});
