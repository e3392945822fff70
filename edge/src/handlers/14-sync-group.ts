/**
 * SyncGroup (key 14), forwarded to the controlplane replica that coordinates the group.
 * The leader hands over every member's assignment; a follower's call waits until the
 * leader's assignment is stored (or the member is evicted), so its deadline is long.
 *
 * v1: throttle time. v2: same as v1. v3: group instance id, static membership (KIP-345).
 * v4: flexible. v5: protocol type and name in request and response, checked against the
 * group's (KIP-559).
 *
 * Authorization: READ on the group, else GROUP_AUTHORIZATION_FAILED (not forwarded), as Kafka.
 */
import {
  defaultSyncGroupResponse,
  syncGroupApi,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from '../../../lib/kafka/gen/index.js';
import type { GroupCoordinators } from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { authorizedGroupCall } from '../security/group-authorization.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

/** A follower waits for the leader's assignment, itself bounded by the rebalance timeout. */
const SYNC_TIMEOUT_MS = 10 * 60_000;

export function syncGroupHandler(
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<SyncGroupRequest, SyncGroupResponse> {
  const callGroup = authorizedGroupCall(authorizer, coordinators, AclOperation.READ);
  return {
    api: syncGroupApi,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
      const v5 = ctx.apiVersion >= 5;
      const outcome = await callGroup(ctx, request.groupId, (c) =>
        c.syncGroup(
          {
            groupId: request.groupId,
            generationId: request.generationId,
            memberId: request.memberId,
            groupInstanceId: request.groupInstanceId ?? '',
            protocolType: request.protocolType ?? '',
            protocolName: request.protocolName ?? '',
            assignments: request.assignments.map((a) => ({
              memberId: a.memberId,
              assignment: a.assignment,
            })),
          },
          { timeoutMs: SYNC_TIMEOUT_MS },
        ),
      );
      if (!outcome.ok) return { ...defaultSyncGroupResponse(), errorCode: outcome.errorCode };
      const r = outcome.value;
      return {
        ...defaultSyncGroupResponse(),
        errorCode: r.errorCode,
        protocolType: v5 && r.protocolType !== '' ? r.protocolType : null,
        protocolName: v5 && r.protocolName !== '' ? r.protocolName : null,
        assignment: r.assignment,
      };
    },
  };
}
