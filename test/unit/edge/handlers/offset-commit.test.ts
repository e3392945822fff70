import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { offsetCommitHandler } from '../../../../edge/src/handlers/08-offset-commit.js';
import {
  OffsetCommitResponseSchema,
  type OffsetCommitRequest as ProtoOffsetCommitRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultOffsetCommitRequest,
  defaultOffsetCommitRequestPartition,
  type OffsetCommitRequest,
  type OffsetCommitRequestPartition,
} from '../../../../lib/kafka/gen/index.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  type CoordinatorImpl,
} from './group-harness.js';

/** Commits everything, except partition 2, which it refuses with OFFSET_METADATA_TOO_LARGE. */
const answer: CoordinatorImpl = {
  offsetCommit: (req) =>
    create(OffsetCommitResponseSchema, {
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          errorCode: p.partition === 2 ? KafkaError.OFFSET_METADATA_TOO_LARGE : 0,
        })),
      })),
    }),
};

function partition(
  partitionIndex: number,
  fields: Partial<OffsetCommitRequestPartition> = {},
): OffsetCommitRequestPartition {
  return {
    ...defaultOffsetCommitRequestPartition(),
    partitionIndex,
    committedOffset: BigInt(100 + partitionIndex),
    committedMetadata: null,
    ...fields,
  };
}

function request(groupId: string, fields: Partial<OffsetCommitRequest> = {}): OffsetCommitRequest {
  return {
    ...defaultOffsetCommitRequest(),
    groupId,
    topics: [
      { name: 'orders', partitions: [partition(0), partition(1, { committedMetadata: 'm' })] },
    ],
    ...fields,
  };
}

const errorsOf = (res: {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}) => res.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])]);

describe('OffsetCommit', () => {
  it('v0: no generation or member: a standalone commit (generation -1, no member)', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(offsetCommitHandler(w.view, w.coordinators), 0, request(group));
    const [sent] = w.a.messages<ProtoOffsetCommitRequest>('OffsetCommit');
    expect(sent).toMatchObject({
      groupId: group,
      generationId: -1,
      memberId: '',
      groupInstanceId: '',
    });
    expect(
      sent?.topics.map((t) => [
        t.name,
        t.partitions.map((p) => [p.partition, p.offset, p.leaderEpoch, p.metadata]),
      ]),
    ).toEqual([
      [
        'orders',
        [
          [0, 100n, -1, undefined],
          [1, 101n, -1, 'm'],
        ],
      ],
    ]);
    expect(errorsOf(res)).toEqual([
      [
        'orders',
        [
          [0, 0],
          [1, 0],
        ],
      ],
    ]);
  });

  it('v6: generation, member and leader epochs pass through', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    await roundTrip(
      offsetCommitHandler(w.view, w.coordinators),
      6,
      request(group, {
        generationIdOrMemberEpoch: 7,
        memberId: 'm-1',
        topics: [{ name: 'orders', partitions: [partition(0, { committedLeaderEpoch: 3 })] }],
      }),
    );
    expect(w.a.messages<ProtoOffsetCommitRequest>('OffsetCommit')[0]).toMatchObject({
      generationId: 7,
      memberId: 'm-1',
      topics: [{ name: 'orders', partitions: [{ partition: 0, leaderEpoch: 3 }] }],
    });
  });

  it('v9: unknown topics and partitions are answered here, the rest forwarded, in request order', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(
      offsetCommitHandler(w.view, w.coordinators),
      9,
      request(group, {
        generationIdOrMemberEpoch: 2,
        memberId: 'm-1',
        groupInstanceId: 'i-1',
        topics: [
          { name: 'ghost', partitions: [partition(0)] },
          { name: 'orders', partitions: [partition(2), partition(7), partition(0)] },
        ],
      }),
    );
    expect(errorsOf(res)).toEqual([
      ['ghost', [[0, KafkaError.UNKNOWN_TOPIC_OR_PARTITION]]],
      [
        'orders',
        [
          [2, KafkaError.OFFSET_METADATA_TOO_LARGE],
          [7, KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
          [0, 0],
        ],
      ],
    ]);
    const [sent] = w.a.messages<ProtoOffsetCommitRequest>('OffsetCommit');
    expect(sent?.groupInstanceId).toBe('i-1');
    expect(sent?.topics.map((t) => [t.name, t.partitions.map((p) => p.partition)])).toEqual([
      ['orders', [2, 0]],
    ]);
  });

  it('makes no call when no partition is known', async () => {
    const w = groupWorld(answer);
    const res = await roundTrip(
      offsetCommitHandler(w.view, w.coordinators),
      8,
      request(groupOn(SHARDS_OF_A), { topics: [{ name: 'ghost', partitions: [partition(0)] }] }),
    );
    expect(errorsOf(res)).toEqual([['ghost', [[0, KafkaError.UNKNOWN_TOPIC_OR_PARTITION]]]]);
    expect(w.a.calls).toEqual([]);
  });

  it('COORDINATOR_NOT_AVAILABLE without a holder, NOT_COORDINATOR when the holder fails', async () => {
    const w = groupWorld(answer);
    const group = groupOn([2, 3]);
    const topics = [
      { name: 'orders', partitions: [partition(0)] },
      { name: 'ghost', partitions: [partition(1)] },
    ];
    w.b.failing = true;
    const failed = await roundTrip(
      offsetCommitHandler(w.view, w.coordinators),
      3,
      request(group, { topics }),
    );
    expect(errorsOf(failed)).toEqual([
      ['orders', [[0, KafkaError.NOT_COORDINATOR]]],
      ['ghost', [[1, KafkaError.UNKNOWN_TOPIC_OR_PARTITION]]],
    ]);
    w.hold(SHARDS_OF_A, []);
    const unheld = await roundTrip(
      offsetCommitHandler(w.view, w.coordinators),
      3,
      request(group, { topics }),
    );
    expect(errorsOf(unheld)[0]).toEqual(['orders', [[0, KafkaError.COORDINATOR_NOT_AVAILABLE]]]);
  });
});
