/**
 * LeaveGroup (key 13), forwarded to the controlplane replica that coordinates the group.
 *
 * v1: throttle time. v2: same as v1. v3: several members per request, named by member id
 * or group instance id, with a result each (KIP-345); before v3 the one member is at the
 * top level and its error is the response's. v4: flexible. v5: reason (KIP-800).
 *
 * Authorization: READ on the group, else GROUP_AUTHORIZATION_FAILED (not forwarded), as Kafka.
 */
import {
  defaultLeaveGroupResponse,
  leaveGroupApi,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
} from '../../../lib/kafka/gen/index.js';
import { GROUP_CALL_TIMEOUT_MS, type GroupCoordinators } from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { authorizedGroupCall } from '../security/group-authorization.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

export function leaveGroupHandler(
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<LeaveGroupRequest, LeaveGroupResponse> {
  const callGroup = authorizedGroupCall(authorizer, coordinators, AclOperation.READ);
  return {
    api: leaveGroupApi,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
      const batched = ctx.apiVersion >= 3;
      const members = batched
        ? request.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId ?? '',
            reason: m.reason ?? '',
          }))
        : [{ memberId: request.memberId, groupInstanceId: '', reason: '' }];
      const outcome = await callGroup(ctx, request.groupId, (c) =>
        c.leaveGroup({ groupId: request.groupId, members }, { timeoutMs: GROUP_CALL_TIMEOUT_MS }),
      );
      if (!outcome.ok) return { ...defaultLeaveGroupResponse(), errorCode: outcome.errorCode };
      const r = outcome.value;
      if (!batched) {
        return {
          ...defaultLeaveGroupResponse(),
          errorCode: r.errorCode !== 0 ? r.errorCode : (r.members[0]?.errorCode ?? 0),
        };
      }
      return {
        ...defaultLeaveGroupResponse(),
        errorCode: r.errorCode,
        members: r.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId === '' ? null : m.groupInstanceId,
          errorCode: m.errorCode,
        })),
      };
    },
  };
}
