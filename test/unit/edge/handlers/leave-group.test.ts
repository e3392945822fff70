import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { leaveGroupHandler } from '../../../../edge/src/handlers/13-leave-group.js';
import {
  LeaveGroupResponseSchema,
  type LeaveGroupRequest as ProtoLeaveGroupRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { defaultLeaveGroupRequest } from '../../../../lib/kafka/gen/index.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  type CoordinatorImpl,
} from './group-harness.js';

/** Every member leaves, except one called "stranger", which is unknown. */
const answer: CoordinatorImpl = {
  leaveGroup: (req) =>
    create(LeaveGroupResponseSchema, {
      errorCode: 0,
      members: req.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        errorCode: m.memberId === 'stranger' ? KafkaError.UNKNOWN_MEMBER_ID : 0,
      })),
    }),
};

describe('LeaveGroup', () => {
  it('v0: one member at the top level; its error is the response error', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const ok = await roundTrip(leaveGroupHandler(w.coordinators), 0, {
      ...defaultLeaveGroupRequest(),
      groupId: group,
      memberId: 'm-1',
    });
    expect(ok.errorCode).toBe(0);
    expect(w.a.messages<ProtoLeaveGroupRequest>('LeaveGroup')[0]).toMatchObject({
      groupId: group,
      members: [{ memberId: 'm-1', groupInstanceId: '', reason: '' }],
    });
    const unknown = await roundTrip(leaveGroupHandler(w.coordinators), 2, {
      ...defaultLeaveGroupRequest(),
      groupId: group,
      memberId: 'stranger',
    });
    expect([unknown.errorCode, unknown.members]).toEqual([KafkaError.UNKNOWN_MEMBER_ID, []]);
  });

  it('v3: several members, by member id or instance id, a result each', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(leaveGroupHandler(w.coordinators), 3, {
      ...defaultLeaveGroupRequest(),
      groupId: group,
      members: [
        { memberId: 'm-1', groupInstanceId: null, reason: null },
        { memberId: '', groupInstanceId: 'static-2', reason: null },
        { memberId: 'stranger', groupInstanceId: null, reason: null },
      ],
    });
    expect(res.errorCode).toBe(0);
    expect(res.members.map((m) => [m.memberId, m.groupInstanceId, m.errorCode])).toEqual([
      ['m-1', null, 0],
      ['', 'static-2', 0],
      ['stranger', null, KafkaError.UNKNOWN_MEMBER_ID],
    ]);
  });

  it('v5: reasons pass through', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    await roundTrip(leaveGroupHandler(w.coordinators), 5, {
      ...defaultLeaveGroupRequest(),
      groupId: group,
      members: [{ memberId: 'm-1', groupInstanceId: 'i-1', reason: 'shutting down' }],
    });
    expect(w.a.messages<ProtoLeaveGroupRequest>('LeaveGroup')[0]?.members).toMatchObject([
      { memberId: 'm-1', groupInstanceId: 'i-1', reason: 'shutting down' },
    ]);
  });

  it('COORDINATOR_NOT_AVAILABLE without a holder, NOT_COORDINATOR when the holder fails', async () => {
    const w = groupWorld(answer);
    const group = groupOn([2, 3]);
    const request = {
      ...defaultLeaveGroupRequest(),
      groupId: group,
      members: [{ memberId: 'm-1', groupInstanceId: null, reason: null }],
    };
    w.b.failing = true;
    const failed = await roundTrip(leaveGroupHandler(w.coordinators), 4, request);
    expect([failed.errorCode, failed.members]).toEqual([KafkaError.NOT_COORDINATOR, []]);
    w.hold(SHARDS_OF_A, []);
    const unheld = await roundTrip(leaveGroupHandler(w.coordinators), 1, {
      ...defaultLeaveGroupRequest(),
      groupId: group,
      memberId: 'm-1',
    });
    expect(unheld.errorCode).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);
  });
});
