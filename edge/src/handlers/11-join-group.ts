/**
 * JoinGroup (key 11), forwarded to the controlplane replica that coordinates the group.
 * The call waits for the group's join barrier, so its deadline is the rebalance timeout
 * plus a minute.
 *
 * v1: rebalance timeout (v0 uses the session timeout for both). v2: throttle time. v3: same
 * as v2. v4: a new member first gets MEMBER_ID_REQUIRED with its id and joins again
 * (KIP-394). v5: group instance id, static membership (KIP-345). v6: flexible. v7: the
 * response carries the protocol type, and a null protocol name when none was chosen
 * (KIP-559). v8: reason (KIP-800). v9: skip assignment for a static leader (KIP-814).
 *
 * Authorization: READ on the group, else GROUP_AUTHORIZATION_FAILED (not forwarded), as Kafka.
 */
import {
  defaultJoinGroupResponse,
  joinGroupApi,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from '../../../lib/kafka/gen/index.js';
import type { GroupCoordinators } from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { authorizedGroupCall } from '../security/group-authorization.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

/** How much longer than the rebalance timeout the edge waits for the join barrier. */
const JOIN_MARGIN_MS = 60_000;

export function joinGroupHandler(
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<JoinGroupRequest, JoinGroupResponse> {
  const callGroup = authorizedGroupCall(authorizer, coordinators, AclOperation.READ);
  return {
    api: joinGroupApi,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const v = ctx.apiVersion;
      const rebalanceTimeoutMs = v >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs;
      const outcome = await callGroup(ctx, request.groupId, (c) =>
        c.joinGroup(
          {
            groupId: request.groupId,
            sessionTimeoutMs: request.sessionTimeoutMs,
            rebalanceTimeoutMs,
            memberId: request.memberId,
            groupInstanceId: request.groupInstanceId ?? '',
            protocolType: request.protocolType,
            protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
            reason: request.reason ?? '',
            requireKnownMemberId: v >= 4,
            supportsSkipAssignment: v >= 9,
            clientId: ctx.clientId ?? '',
            clientHost: ctx.clientHost ?? '',
          },
          { timeoutMs: Math.max(0, rebalanceTimeoutMs) + JOIN_MARGIN_MS },
        ),
      );
      if (!outcome.ok) {
        return {
          ...defaultJoinGroupResponse(),
          errorCode: outcome.errorCode,
          generationId: -1,
          protocolName: v >= 7 ? null : '',
          memberId: request.memberId,
        };
      }
      const r = outcome.value;
      return {
        ...defaultJoinGroupResponse(),
        errorCode: r.errorCode,
        generationId: r.generationId,
        protocolType: v >= 7 && r.protocolType !== '' ? r.protocolType : null,
        protocolName: v >= 7 && r.protocolName === '' ? null : r.protocolName,
        leader: r.leader,
        skipAssignment: v >= 9 && r.skipAssignment,
        memberId: r.memberId,
        members: r.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId === '' ? null : m.groupInstanceId,
          metadata: m.metadata,
        })),
      };
    },
  };
}
