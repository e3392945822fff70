/**
 * DeleteGroups (key 42): deletes empty groups with their committed offsets, on the
 * controlplane replicas that coordinate them, one call per replica, answered in request
 * order. A group with members is answered NON_EMPTY_GROUP, an unknown one
 * GROUP_ID_NOT_FOUND. A group named twice is answered once, as Apache Kafka does.
 *
 * v1: same as v0 (throttling after the response). v2: flexible.
 *
 * Authorization: DELETE on each group, else GROUP_AUTHORIZATION_FAILED (not forwarded).
 */
import {
  deleteGroupsApi,
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  GROUP_CALL_TIMEOUT_MS,
  splitByCoordinator,
  type GroupCoordinators,
} from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

export function deleteGroupsHandler(
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DeleteGroupsRequest, DeleteGroupsResponse> {
  return {
    api: deleteGroupsApi,
    minVersion: 0,
    maxVersion: 2,
    async handle(request, ctx) {
      const names = [...new Set(request.groupsNames)];
      const errors = new Map<string, number>();
      const allowed = names.filter((g) => {
        if (authorizer.authorize(ctx, AclOperation.DELETE, ResourceType.GROUP, g)) return true;
        errors.set(g, KafkaError.GROUP_AUTHORIZATION_FAILED);
        return false;
      });
      const { byClient, unheld } = splitByCoordinator(coordinators, allowed, (g) => g);
      for (const g of unheld) errors.set(g, KafkaError.COORDINATOR_NOT_AVAILABLE);
      await Promise.all(
        [...byClient].map(async ([client, groupIds]) => {
          try {
            const res = await client.deleteGroups(
              { groupIds },
              { timeoutMs: GROUP_CALL_TIMEOUT_MS },
            );
            for (const r of res.results) errors.set(r.groupId, r.errorCode);
          } catch (err) {
            ctx.log.warn({ err, groupIds }, 'group coordinator call failed');
          }
        }),
      );
      return {
        throttleTimeMs: 0,
        results: names.map((groupId) => ({
          groupId,
          errorCode: errors.get(groupId) ?? KafkaError.NOT_COORDINATOR,
        })),
      };
    },
  };
}
