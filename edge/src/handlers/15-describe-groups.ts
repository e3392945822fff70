/**
 * DescribeGroups (key 15): each group's state, protocol and members, from the controlplane
 * replicas that coordinate the groups, one call per replica, answered in request order.
 *
 * v1: throttle time. v2: same as v1. v3: authorized operations when asked (KIP-430): the
 * principal's (without an authorizer every operation a group supports: read, delete,
 * describe, as Apache Kafka reports). v4: members' group instance ids (KIP-345).
 * v5: flexible.
 *
 * Authorization: DESCRIBE on each group, else GROUP_AUTHORIZATION_FAILED (not forwarded).
 */
import {
  defaultDescribeGroupsResponseDescribedGroup,
  describeGroupsApi,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
  type DescribeGroupsResponseDescribedGroup,
} from '../../../lib/kafka/gen/index.js';
import type { DescribedGroup } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  GROUP_CALL_TIMEOUT_MS,
  splitByCoordinator,
  type GroupCoordinators,
} from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

function failed(groupId: string, errorCode: number): DescribeGroupsResponseDescribedGroup {
  return { ...defaultDescribeGroupsResponseDescribedGroup(), groupId, errorCode };
}

export function describeGroupsHandler(
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DescribeGroupsRequest, DescribeGroupsResponse> {
  return {
    api: describeGroupsApi,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
      const described = new Map<string, DescribeGroupsResponseDescribedGroup>();
      const allowed = request.groups.filter((g) => {
        if (authorizer.authorize(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, g)) return true;
        described.set(g, failed(g, KafkaError.GROUP_AUTHORIZATION_FAILED));
        return false;
      });
      const { byClient, unheld } = splitByCoordinator(coordinators, allowed, (g) => g);
      for (const g of unheld) described.set(g, failed(g, KafkaError.COORDINATOR_NOT_AVAILABLE));
      await Promise.all(
        [...byClient].map(async ([client, groupIds]) => {
          let groups: DescribedGroup[] = [];
          try {
            const res = await client.describeGroups(
              { groupIds },
              { timeoutMs: GROUP_CALL_TIMEOUT_MS },
            );
            groups = res.groups;
          } catch (err) {
            ctx.log.warn({ err, groupIds }, 'group coordinator call failed');
          }
          for (const g of groups) {
            described.set(g.groupId, {
              ...defaultDescribeGroupsResponseDescribedGroup(),
              errorCode: g.errorCode,
              groupId: g.groupId,
              groupState: g.groupState,
              protocolType: g.protocolType,
              protocolData: g.protocolData,
              members: g.members.map((m) => ({
                memberId: m.memberId,
                groupInstanceId: m.groupInstanceId === '' ? null : m.groupInstanceId,
                clientId: m.clientId,
                clientHost: m.clientHost,
                memberMetadata: m.memberMetadata,
                memberAssignment: m.memberAssignment,
              })),
              ...(request.includeAuthorizedOperations && g.errorCode === 0
                ? {
                    authorizedOperations: authorizer.authorizedOperations(
                      ctx,
                      ResourceType.GROUP,
                      g.groupId,
                    ),
                  }
                : {}),
            });
          }
        }),
      );
      return {
        throttleTimeMs: 0,
        groups: request.groups.map(
          (g) => described.get(g) ?? failed(g, KafkaError.NOT_COORDINATOR),
        ),
      };
    },
  };
}
