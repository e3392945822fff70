import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { describeGroupsHandler } from '../../../../edge/src/handlers/15-describe-groups.js';
import {
  DescribeGroupsResponseSchema,
  type DescribeGroupsRequest as ProtoDescribeGroupsRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { defaultDescribeGroupsRequest } from '../../../../lib/kafka/gen/index.js';
import {
  groupOn,
  groupWorld,
  roundTrip,
  SHARDS_OF_A,
  type CoordinatorImpl,
} from './group-harness.js';

/** Every group is Stable with two members, one static; "dead-..." groups are Dead. */
const answer: CoordinatorImpl = {
  describeGroups: (req) =>
    create(DescribeGroupsResponseSchema, {
      groups: req.groupIds.map((groupId) =>
        groupId.startsWith('dead')
          ? { groupId, errorCode: 0, groupState: 'Dead' }
          : {
              groupId,
              errorCode: 0,
              groupState: 'Stable',
              protocolType: 'consumer',
              protocolData: 'range',
              members: [
                {
                  memberId: 'm-1',
                  groupInstanceId: 'static-1',
                  clientId: 'c-1',
                  clientHost: '/10.0.0.1',
                  memberMetadata: new Uint8Array([1]),
                  memberAssignment: new Uint8Array([2]),
                },
                { memberId: 'm-2', clientId: 'c-2', clientHost: '/10.0.0.2' },
              ],
            },
      ),
    }),
};

describe('DescribeGroups', () => {
  it('v0: state, protocol and members of one group', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const res = await roundTrip(describeGroupsHandler(w.coordinators), 0, {
      ...defaultDescribeGroupsRequest(),
      groups: [group],
    });
    expect(w.a.messages<ProtoDescribeGroupsRequest>('DescribeGroups')[0]?.groupIds).toEqual([
      group,
    ]);
    const [g] = res.groups;
    expect(g).toMatchObject({
      errorCode: 0,
      groupId: group,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    });
    expect(
      g?.members.map((m) => [
        m.memberId,
        m.clientId,
        m.clientHost,
        [...m.memberMetadata],
        [...m.memberAssignment],
      ]),
    ).toEqual([
      ['m-1', 'c-1', '/10.0.0.1', [1], [2]],
      ['m-2', 'c-2', '/10.0.0.2', [], []],
    ]);
  });

  it('v3: authorized operations when asked; v5: members with instance ids', async () => {
    const w = groupWorld(answer);
    const group = groupOn(SHARDS_OF_A);
    const asked = await roundTrip(describeGroupsHandler(w.coordinators), 3, {
      groups: [group],
      includeAuthorizedOperations: true,
    });
    expect(asked.groups[0]?.authorizedOperations).toBe((1 << 3) | (1 << 6) | (1 << 8));
    const notAsked = await roundTrip(describeGroupsHandler(w.coordinators), 5, {
      groups: [group],
      includeAuthorizedOperations: false,
    });
    expect(notAsked.groups[0]?.authorizedOperations).toBe(-2147483648);
    expect(notAsked.groups[0]?.members.map((m) => m.groupInstanceId)).toEqual(['static-1', null]);
  });

  it('splits groups by holder and answers in request order; unheld and failing groups get errors', async () => {
    const w = groupWorld(answer);
    w.hold([0], [2, 3]);
    const a1 = groupOn([0], 'a');
    const b1 = groupOn([2, 3], 'dead');
    const unheld = groupOn([1], 'u');
    const a2 = groupOn([0], 'aa');
    const groups = [a1, b1, unheld, a2];
    const res = await roundTrip(describeGroupsHandler(w.coordinators), 4, {
      ...defaultDescribeGroupsRequest(),
      groups,
    });
    expect(
      w.a.messages<ProtoDescribeGroupsRequest>('DescribeGroups').map((r) => r.groupIds),
    ).toEqual([[a1, a2]]);
    expect(
      w.b.messages<ProtoDescribeGroupsRequest>('DescribeGroups').map((r) => r.groupIds),
    ).toEqual([[b1]]);
    expect(res.groups.map((g) => [g.groupId, g.errorCode, g.groupState])).toEqual([
      [a1, 0, 'Stable'],
      [b1, 0, 'Dead'],
      [unheld, KafkaError.COORDINATOR_NOT_AVAILABLE, ''],
      [a2, 0, 'Stable'],
    ]);
    w.b.failing = true;
    const failed = await roundTrip(describeGroupsHandler(w.coordinators), 4, {
      ...defaultDescribeGroupsRequest(),
      groups: [b1, a1],
    });
    expect(failed.groups.map((g) => [g.groupId, g.errorCode])).toEqual([
      [b1, KafkaError.NOT_COORDINATOR],
      [a1, 0],
    ]);
  });
});
