/**
 * Heartbeat (key 12), forwarded to the controlplane replica that coordinates the group,
 * which keeps sessions in memory (heartbeats are never written to etcd).
 * REBALANCE_IN_PROGRESS asks the member to join again.
 *
 * v1: throttle time. v2: same as v1. v3: group instance id, static membership (KIP-345).
 * v4: flexible.
 */
import {
  heartbeatApi,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from '../../../lib/kafka/gen/index.js';
import {
  callGroupCoordinator,
  GROUP_CALL_TIMEOUT_MS,
  type GroupCoordinators,
} from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';

export function heartbeatHandler(
  coordinators: GroupCoordinators,
): KafkaHandler<HeartbeatRequest, HeartbeatResponse> {
  return {
    api: heartbeatApi,
    minVersion: 0,
    maxVersion: 4,
    async handle(request, ctx) {
      const outcome = await callGroupCoordinator(coordinators, request.groupId, ctx.log, (c) =>
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
