import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../../edge/src/edge.js';
import { joinGroupHandler } from '../../../../edge/src/handlers/11-join-group.js';
import { FixedStorageClients } from '../../../../edge/src/routing/storage-clients.js';
import { startKafkaServer } from '../../../../edge/src/server/kafka-server.js';
import {
  JoinGroupResponseSchema,
  type JoinGroupRequest as ProtoJoinGroupRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultJoinGroupRequest,
  joinGroupApi,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from '../../../../lib/kafka/gen/index.js';
import { RawKafkaClient } from '../../../support/raw-kafka-client.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  silentLog,
  type CoordinatorImpl,
} from './group-harness.js';

const metadata = new Uint8Array([1, 2, 3]);

const leaderAnswer: CoordinatorImpl = {
  joinGroup: (req) =>
    create(JoinGroupResponseSchema, {
      errorCode: 0,
      generationId: 3,
      protocolType: req.protocolType,
      protocolName: 'range',
      leader: 'm-1',
      skipAssignment: true,
      memberId: 'm-1',
      members: [
        { memberId: 'm-1', groupInstanceId: 'static-1', metadata },
        { memberId: 'm-2', groupInstanceId: '', metadata },
      ],
    }),
};

function request(groupId: string, fields: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    ...defaultJoinGroupRequest(),
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata }],
    ...fields,
  };
}

describe('JoinGroup', () => {
  it('v0: the session timeout stands for the rebalance timeout; no known-member flow', async () => {
    const w = groupWorld(leaderAnswer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(joinGroupHandler(w.coordinators), 0, request(group));
    const [sent] = w.a.messages<ProtoJoinGroupRequest>('JoinGroup');
    expect(sent).toMatchObject({
      groupId: group,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      groupInstanceId: '',
      protocolType: 'consumer',
      reason: '',
      requireKnownMemberId: false,
      supportsSkipAssignment: false,
      clientId: 'test-client',
      clientHost: '/10.0.0.9',
    });
    expect(sent?.protocols.map((p) => [p.name, [...p.metadata]])).toEqual([['range', [1, 2, 3]]]);
    expect(w.a.calls[0]?.timeoutMs).toBe(10_000 + 60_000);
    expect(res).toMatchObject({
      errorCode: 0,
      generationId: 3,
      protocolName: 'range',
      leader: 'm-1',
      memberId: 'm-1',
      skipAssignment: false,
    });
    expect(res.members.map((m) => [m.memberId, [...m.metadata]])).toEqual([
      ['m-1', [1, 2, 3]],
      ['m-2', [1, 2, 3]],
    ]);
    expect(w.b.calls).toEqual([]);
  });

  it('v5: static membership and MEMBER_ID_REQUIRED flow; rebalance timeout from the request', async () => {
    const w = groupWorld(leaderAnswer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(
      joinGroupHandler(w.coordinators),
      5,
      request(group, { groupInstanceId: 'static-1', memberId: 'm-1' }),
    );
    const [sent] = w.a.messages<ProtoJoinGroupRequest>('JoinGroup');
    expect(sent).toMatchObject({
      rebalanceTimeoutMs: 30_000,
      groupInstanceId: 'static-1',
      memberId: 'm-1',
      requireKnownMemberId: true,
      supportsSkipAssignment: false,
    });
    expect(w.a.calls[0]?.timeoutMs).toBe(30_000 + 60_000);
    expect(res.members.map((m) => m.groupInstanceId)).toEqual(['static-1', null]);
    expect(res.protocolName).toBe('range');
  });

  it('v9: reason, skip assignment and protocol type pass through', async () => {
    const w = groupWorld(leaderAnswer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(
      joinGroupHandler(w.coordinators),
      9,
      request(group, { reason: 'rebalance needed' }),
    );
    const [sent] = w.a.messages<ProtoJoinGroupRequest>('JoinGroup');
    expect(sent).toMatchObject({
      reason: 'rebalance needed',
      requireKnownMemberId: true,
      supportsSkipAssignment: true,
    });
    expect(res).toMatchObject({
      protocolType: 'consumer',
      protocolName: 'range',
      skipAssignment: true,
    });
  });

  it('v7+: an empty protocol name or type becomes null; before v7 the name stays empty', async () => {
    const w = groupWorld({
      joinGroup: (req) =>
        create(JoinGroupResponseSchema, {
          errorCode: KafkaError.MEMBER_ID_REQUIRED,
          generationId: -1,
          memberId: `${req.groupId}-new-member`,
        }),
    });
    const group = groupOn(SHARDS_OF_A);
    const v7 = await roundTrip(joinGroupHandler(w.coordinators), 7, request(group));
    expect(v7).toMatchObject({
      errorCode: KafkaError.MEMBER_ID_REQUIRED,
      protocolType: null,
      protocolName: null,
      memberId: `${group}-new-member`,
    });
    const v6 = await roundTrip(joinGroupHandler(w.coordinators), 6, request(group));
    expect(v6.protocolName).toBe('');
  });

  it('routes by the group shard, COORDINATOR_NOT_AVAILABLE without a holder, NOT_COORDINATOR on failure', async () => {
    const w = groupWorld(leaderAnswer);
    const onB = groupOn([2, 3]);
    await roundTrip(joinGroupHandler(w.coordinators), 9, request(onB));
    expect([w.a.calls.length, w.b.calls.length]).toEqual([0, 1]);

    w.b.failing = true;
    const failed = await roundTrip(
      joinGroupHandler(w.coordinators),
      9,
      request(onB, { memberId: 'm-7' }),
    );
    expect(failed).toMatchObject({
      errorCode: KafkaError.NOT_COORDINATOR,
      generationId: -1,
      memberId: 'm-7',
      protocolName: null,
      members: [],
    });

    w.hold(SHARDS_OF_A, []);
    const unheld = await roundTrip(joinGroupHandler(w.coordinators), 3, request(onB));
    expect([unheld.errorCode, unheld.protocolName]).toEqual([
      KafkaError.COORDINATOR_NOT_AVAILABLE,
      '',
    ]);
  });

  it('over a connection: the client id from the header, the client host as Kafka shows it', async () => {
    const w = groupWorld(leaderAnswer);
    const registry = buildRegistry({
      cluster: w.view,
      storage: new FixedStorageClients(new Map()),
      groupCoordinators: w.coordinators,
    });
    const server = await startKafkaServer(
      { host: '127.0.0.1', port: 0 },
      registry,
      { maxRequestBytes: 64 * 1024, inflightBytes: 1024 * 1024 },
      silentLog,
    );
    try {
      const client = await RawKafkaClient.connect(server.port);
      const res = await client.request<JoinGroupResponse>(joinGroupApi, 6, request('g'));
      client.close();
      expect(res.errorCode).toBe(0);
      const sent = [
        ...w.a.messages<ProtoJoinGroupRequest>('JoinGroup'),
        ...w.b.messages<ProtoJoinGroupRequest>('JoinGroup'),
      ];
      expect(sent.map((r) => [r.clientId, r.clientHost])).toEqual([['raw-test', '/127.0.0.1']]);
    } finally {
      await server.close();
    }
  });
});
