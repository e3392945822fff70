/**
 * The group APIs that act on one group (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) call its
 * coordinator only when the principal may perform the operation on the group, as Kafka
 * does; otherwise the outcome is GROUP_AUTHORIZATION_FAILED and nothing is forwarded.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { ResourceType } from '../../../lib/security/acl/acl-binding.js';
import type { RequestContext } from '../handlers/kafka-handler.js';
import {
  callGroupCoordinator,
  type CallOutcome,
  type GroupCoordinatorClient,
  type GroupCoordinators,
} from '../routing/group-coordinators.js';
import type { RequestAuthorizer } from './request-authorizer.js';

export type AuthorizedGroupCall = <T>(
  ctx: RequestContext,
  groupId: string,
  call: (client: GroupCoordinatorClient) => Promise<T>,
) => Promise<CallOutcome<T>>;

/** Calls a group's coordinator when the principal may perform `operation` on the group. */
export function authorizedGroupCall(
  authorizer: RequestAuthorizer,
  coordinators: GroupCoordinators,
  operation: number,
): AuthorizedGroupCall {
  return (ctx, groupId, call) => {
    if (!authorizer.authorize(ctx, operation, ResourceType.GROUP, groupId))
      return Promise.resolve({ ok: false, errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED });
    return callGroupCoordinator(coordinators, groupId, ctx.log, call);
  };
}
