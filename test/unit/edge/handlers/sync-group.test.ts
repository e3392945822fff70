import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { syncGroupHandler } from '../../../../edge/src/handlers/14-sync-group.js';
import {
  SyncGroupResponseSchema,
  type SyncGroupRequest as ProtoSyncGroupRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { defaultSyncGroupRequest, type SyncGroupRequest } from '../../../../lib/kafka/gen/index.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  type CoordinatorImpl,
} from './group-harness.js';

const assignment = new Uint8Array([9, 8, 7]);

const answer: CoordinatorImpl = {
  syncGroup: () =>
    create(SyncGroupResponseSchema, {
      errorCode: 0,
      protocolType: 'consumer',
      protocolName: 'range',
      assignment,
    }),
};

function request(groupId: string, fields: Partial<SyncGroupRequest> = {}): SyncGroupRequest {
  return {
    ...defaultSyncGroupRequest(),
    groupId,
    generationId: 4,
    memberId: 'm-1',
    assignments: [
      { memberId: 'm-1', assignment },
      { memberId: 'm-2', assignment: new Uint8Array([1]) },
    ],
    ...fields,
  };
}

describe('SyncGroup', () => {
  it('v0: forwards the leader assignments; the response has only the assignment', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(syncGroupHandler(w.coordinators), 0, request(group));
    const [sent] = w.a.messages<ProtoSyncGroupRequest>('SyncGroup');
    expect(sent).toMatchObject({
      groupId: group,
      generationId: 4,
      memberId: 'm-1',
      groupInstanceId: '',
      protocolType: '',
      protocolName: '',
    });
    expect(sent?.assignments.map((a) => [a.memberId, [...a.assignment]])).toEqual([
      ['m-1', [9, 8, 7]],
      ['m-2', [1]],
    ]);
    expect(res.errorCode).toBe(0);
    expect([...res.assignment]).toEqual([9, 8, 7]);
    expect([res.protocolType, res.protocolName]).toEqual([null, null]);
  });

  it('v3: group instance id', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    await roundTrip(
      syncGroupHandler(w.coordinators),
      3,
      request(group, { groupInstanceId: 'i-1' }),
    );
    expect(w.a.messages<ProtoSyncGroupRequest>('SyncGroup')[0]?.groupInstanceId).toBe('i-1');
  });

  it('v5: protocol type and name both ways, empty ones as null', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(
      syncGroupHandler(w.coordinators),
      5,
      request(group, { protocolType: 'consumer', protocolName: 'range', assignments: [] }),
    );
    expect(w.a.messages<ProtoSyncGroupRequest>('SyncGroup')[0]).toMatchObject({
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    expect([res.protocolType, res.protocolName]).toEqual(['consumer', 'range']);

    const empty = groupWorld({
      syncGroup: () =>
        create(SyncGroupResponseSchema, { errorCode: KafkaError.REBALANCE_IN_PROGRESS }),
    });
    const rebalancing = await roundTrip(syncGroupHandler(empty.coordinators), 5, request(group));
    expect(rebalancing).toMatchObject({
      errorCode: KafkaError.REBALANCE_IN_PROGRESS,
      protocolType: null,
      protocolName: null,
    });
  });

  it('COORDINATOR_NOT_AVAILABLE without a holder, NOT_COORDINATOR when the holder fails', async () => {
    const w = groupWorld(answer);
    const group = groupOn([2, 3]);
    w.b.failing = true;
    const failed = await roundTrip(syncGroupHandler(w.coordinators), 4, request(group));
    expect([failed.errorCode, failed.assignment.length]).toEqual([KafkaError.NOT_COORDINATOR, 0]);
    w.hold(SHARDS_OF_A, []);
    const unheld = await roundTrip(syncGroupHandler(w.coordinators), 4, request(group));
    expect(unheld.errorCode).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);
  });
});
