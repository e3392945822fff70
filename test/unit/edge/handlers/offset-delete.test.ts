import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { offsetDeleteHandler } from '../../../../edge/src/handlers/47-offset-delete.js';
import {
  OffsetDeleteResponseSchema,
  type OffsetDeleteRequest as ProtoOffsetDeleteRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import type { OffsetDeleteRequest } from '../../../../lib/kafka/gen/index.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  type CoordinatorImpl,
} from './group-harness.js';

/** Partition 1 is consumed by the group (GROUP_SUBSCRIBED_TO_TOPIC); "gone-..." groups do not exist. */
const answer: CoordinatorImpl = {
  offsetDelete: (req) =>
    req.groupId.startsWith('gone')
      ? create(OffsetDeleteResponseSchema, { errorCode: KafkaError.GROUP_ID_NOT_FOUND })
      : create(OffsetDeleteResponseSchema, {
          topics: req.topics.map((t) => ({
            name: t.name,
            partitions: t.partitions.map((p) => ({
              partition: p,
              errorCode: p === 1 ? KafkaError.GROUP_SUBSCRIBED_TO_TOPIC : 0,
            })),
          })),
        }),
};

function request(groupId: string): OffsetDeleteRequest {
  return {
    groupId,
    topics: [
      {
        name: 'orders',
        partitions: [{ partitionIndex: 0 }, { partitionIndex: 9 }, { partitionIndex: 1 }],
      },
      { name: 'ghost', partitions: [{ partitionIndex: 0 }] },
    ],
  };
}

describe('OffsetDelete', () => {
  it('v0: known partitions forwarded, unknown ones answered here, in request order', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(offsetDeleteHandler(w.view, w.coordinators), 0, request(group));
    expect(w.a.messages<ProtoOffsetDeleteRequest>('OffsetDelete')[0]).toMatchObject({
      groupId: group,
      topics: [{ name: 'orders', partitions: [0, 1] }],
    });
    expect(res.errorCode).toBe(0);
    expect(
      res.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])]),
    ).toEqual([
      [
        'orders',
        [
          [0, 0],
          [9, KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
          [1, KafkaError.GROUP_SUBSCRIBED_TO_TOPIC],
        ],
      ],
      ['ghost', [[0, KafkaError.UNKNOWN_TOPIC_OR_PARTITION]]],
    ]);
  });

  it('a group-level error is a top-level error with no topics', async () => {
    const w = groupWorld(answer);
    const gone = await roundTrip(
      offsetDeleteHandler(w.view, w.coordinators),
      0,
      request(groupOn(SHARDS_OF_A, 'gone')),
    );
    expect([gone.errorCode, gone.topics]).toEqual([KafkaError.GROUP_ID_NOT_FOUND, []]);
    const onB = groupOn([2, 3]);
    w.b.failing = true;
    const failed = await roundTrip(offsetDeleteHandler(w.view, w.coordinators), 0, request(onB));
    expect([failed.errorCode, failed.topics]).toEqual([KafkaError.NOT_COORDINATOR, []]);
    w.hold(SHARDS_OF_A, []);
    const unheld = await roundTrip(offsetDeleteHandler(w.view, w.coordinators), 0, request(onB));
    expect(unheld.errorCode).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);
  });
});
