import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { deleteGroupsHandler } from '../../../../edge/src/handlers/42-delete-groups.js';
import {
  DeleteGroupsResponseSchema,
  type DeleteGroupsRequest as ProtoDeleteGroupsRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  type CoordinatorImpl,
} from './group-harness.js';

/** Deletes every group except "busy-..." ones, which have members. */
const answer: CoordinatorImpl = {
  deleteGroups: (req) =>
    create(DeleteGroupsResponseSchema, {
      results: req.groupIds.map((groupId) => ({
        groupId,
        errorCode: groupId.startsWith('busy') ? KafkaError.NON_EMPTY_GROUP : 0,
      })),
    }),
};

describe('DeleteGroups', () => {
  it.each([0, 1, 2])('v%i: one call per holder, results in request order', async (v) => {
    const w = groupWorld(answer);
    const a1 = groupOn(SHARDS_OF_A, 'a');
    const b1 = groupOn([2, 3], 'busy');
    const a2 = groupOn(SHARDS_OF_A, 'aa');
    const res = await roundTrip(deleteGroupsHandler(w.coordinators), v, {
      groupsNames: [a1, b1, a2],
    });
    expect(w.a.messages<ProtoDeleteGroupsRequest>('DeleteGroups').map((r) => r.groupIds)).toEqual([
      [a1, a2],
    ]);
    expect(w.b.messages<ProtoDeleteGroupsRequest>('DeleteGroups').map((r) => r.groupIds)).toEqual([
      [b1],
    ]);
    expect(res.results.map((r) => [r.groupId, r.errorCode])).toEqual([
      [a1, 0],
      [b1, KafkaError.NON_EMPTY_GROUP],
      [a2, 0],
    ]);
  });

  it('answers a group named twice once', async () => {
    const w = groupWorld(answer);
    const a1 = groupOn(SHARDS_OF_A, 'a');
    const res = await roundTrip(deleteGroupsHandler(w.coordinators), 2, { groupsNames: [a1, a1] });
    expect(res.results.map((r) => r.groupId)).toEqual([a1]);
    expect(w.a.messages<ProtoDeleteGroupsRequest>('DeleteGroups')[0]?.groupIds).toEqual([a1]);
  });

  it('COORDINATOR_NOT_AVAILABLE without a holder, NOT_COORDINATOR when the holder fails', async () => {
    const w = groupWorld(answer);
    w.hold([0], [2, 3]);
    const unheld = groupOn([1], 'u');
    const onB = groupOn([2, 3], 'b');
    const onA = groupOn([0], 'a');
    w.b.failing = true;
    const res = await roundTrip(deleteGroupsHandler(w.coordinators), 2, {
      groupsNames: [unheld, onB, onA],
    });
    expect(res.results.map((r) => r.errorCode)).toEqual([
      KafkaError.COORDINATOR_NOT_AVAILABLE,
      KafkaError.NOT_COORDINATOR,
      0,
    ]);
  });
});
