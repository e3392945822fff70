import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { heartbeatHandler } from '../../../../edge/src/handlers/12-heartbeat.js';
import {
  HeartbeatResponseSchema,
  type HeartbeatRequest as ProtoHeartbeatRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { defaultHeartbeatRequest } from '../../../../lib/kafka/gen/index.js';
import { groupOn, groupWorld, roundTrip, SHARDS_OF_A } from './group-harness.js';

const rebalancing = () =>
  groupWorld({
    heartbeat: () =>
      create(HeartbeatResponseSchema, { errorCode: KafkaError.REBALANCE_IN_PROGRESS }),
  });

describe('Heartbeat', () => {
  it.each([0, 2, 4])('v%i forwards generation and member and returns the error', async (v) => {
    const w = rebalancing();
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(heartbeatHandler(w.coordinators), v, {
      ...defaultHeartbeatRequest(),
      groupId: group,
      generationId: 5,
      memberId: 'm-1',
      groupInstanceId: v >= 3 ? 'i-1' : null,
    });
    expect(res.errorCode).toBe(KafkaError.REBALANCE_IN_PROGRESS);
    expect(w.a.messages<ProtoHeartbeatRequest>('Heartbeat')[0]).toMatchObject({
      groupId: group,
      generationId: 5,
      memberId: 'm-1',
      groupInstanceId: v >= 3 ? 'i-1' : '',
    });
    expect(w.a.calls[0]?.timeoutMs).toBe(30_000);
  });

  it('COORDINATOR_NOT_AVAILABLE without a holder, NOT_COORDINATOR when the holder fails', async () => {
    const w = rebalancing();
    const group = groupOn([2, 3]);
    const request = { ...defaultHeartbeatRequest(), groupId: group, memberId: 'm' };
    w.b.failing = true;
    expect((await roundTrip(heartbeatHandler(w.coordinators), 4, request)).errorCode).toBe(
      KafkaError.NOT_COORDINATOR,
    );
    w.hold(SHARDS_OF_A, []);
    expect((await roundTrip(heartbeatHandler(w.coordinators), 4, request)).errorCode).toBe(
      KafkaError.COORDINATOR_NOT_AVAILABLE,
    );
  });
});
