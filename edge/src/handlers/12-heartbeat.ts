/**
 * Heartbeat (key 12), forwarded to the controlplane replica that coordinates the group,
 * which keeps sessions in memory (heartbeats are never written to etcd).
 * REBALANCE_IN_PROGRESS asks the member to join again.
 *
 * v1: throttle time. v2: same as v1. v3: group instance id, static membership (KIP-345).
 * v4: flexible.
 *
 * Authorization: READ on the group, else GROUP_AUTHORIZATION_FAILED (not forwarded), as Kafka.
 */
import {
  heartbeatApi,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from '../../../lib/kafka/gen/index.js';
import { GROUP_CALL_TIMEOUT_MS, type GroupCoordinators } from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { authorizedGroupCall } from '../security/group-authorization.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

export function heartbeatHandler(
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<HeartbeatRequest, HeartbeatResponse> {
  const callGroup = authorizedGroupCall(authorizer, coordinators, AclOperation.READ);
  return {
    api: heartbeatApi,
    minVersion: 0,
    maxVersion: 4,
    async handle(request, ctx) {
      const outcome = await callGroup(ctx, request.groupId, (c) =>
        c.heartbeat(
          {
            groupId: request.groupId,
            generationId: request.generationId,
            memberId: request.memberId,
            groupInstanceId: request.groupInstanceId ?? '',
          },
          { timeoutMs: GROUP_CALL_TIMEOUT_MS },
        ),
      );
      return {
        throttleTimeMs: 0,
        errorCode: outcome.ok ? outcome.value.errorCode : outcome.errorCode,
      };
    },
  };
}
