/**
 * FindCoordinator (key 10): the edge clients should send a group's requests to. Any edge
 * forwards any group's requests to the controlplane replica holding the group's shard, so
 * the answer is only a spreading choice: rendezvous hashing of the group id over the live
 * edges (this edge in single-address mode), the same choice ListGroups filters by.
 * COORDINATOR_NOT_AVAILABLE while no replica holds the group's shard. As in Apache Kafka,
 * an empty group id is a valid key; errors carry node -1, host '' and port -1.
 *
 * v1: key type (0 group, 1 transaction), error message, throttle time. v2: same as v1.
 * v3: flexible. v4: several keys per request, one result each (KIP-699). v5: may answer
 * TRANSACTION_ABORTABLE (KIP-890; never here). v6: key type 2, share groups (KIP-932).
 * Only group keys are served: transactions and share groups are answered INVALID_REQUEST.
 *
 * Authorization (Kafka's): DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED), or on
 * the transactional id of a transaction key (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
 */
import {
  defaultFindCoordinatorResponse,
  defaultFindCoordinatorResponseCoordinator,
  findCoordinatorApi,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  type FindCoordinatorResponseCoordinator,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ClusterView } from '../cluster-view.js';
import { coordinatorEdge, type GroupCoordinators } from '../routing/group-coordinators.js';
import { addressOn } from '../routing/listener-address.js';
import type { KafkaHandler, RequestContext } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;
const SHARE_KEY = 2;

type Answer = Omit<FindCoordinatorResponseCoordinator, 'key' | '_unknownTaggedFields'>;

function refused(errorCode: number, errorMessage: string | null): Answer {
  return { nodeId: -1, host: '', port: -1, errorCode, errorMessage };
}

export function findCoordinatorHandler(
  cluster: ClusterView,
  coordinators: GroupCoordinators,
  singleAddress: boolean,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
  const answer = (keyType: number, key: string, ctx: RequestContext): Answer => {
    const listener = ctx.listener;
    const may = (type: number) => authorizer.authorize(ctx, AclOperation.DESCRIBE, type, key);
    if (keyType === GROUP_KEY && !may(ResourceType.GROUP))
      return refused(KafkaError.GROUP_AUTHORIZATION_FAILED, null);
    if (keyType === TRANSACTION_KEY && !may(ResourceType.TRANSACTIONAL_ID))
      return refused(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, null);
    if (keyType === TRANSACTION_KEY)
      return refused(KafkaError.INVALID_REQUEST, 'transactions are not supported');
    if (keyType === SHARE_KEY)
      return refused(KafkaError.INVALID_REQUEST, 'share groups are not supported');
    if (keyType !== GROUP_KEY)
      return refused(KafkaError.INVALID_REQUEST, `unknown coordinator key type ${keyType}`);
    if (coordinators.forGroup(key) === undefined)
      return refused(
        KafkaError.COORDINATOR_NOT_AVAILABLE,
        "no controlplane replica holds the group's shard yet",
      );
    const edge = addressOn(coordinatorEdge(cluster, key, singleAddress), listener);
    return {
      nodeId: edge.nodeId,
      host: edge.host,
      port: edge.port,
      errorCode: 0,
      errorMessage: null,
    };
  };
  return {
    api: findCoordinatorApi,
    minVersion: 0,
    maxVersion: 6,
    handle(request, ctx) {
      if (ctx.apiVersion >= 4) {
        return {
          ...defaultFindCoordinatorResponse(),
          coordinators: request.coordinatorKeys.map((key) => ({
            ...defaultFindCoordinatorResponseCoordinator(),
            key,
            ...answer(request.keyType, key, ctx),
          })),
        };
      }
      const a = answer(request.keyType, request.key, ctx);
      return {
        ...defaultFindCoordinatorResponse(),
        errorCode: a.errorCode,
        errorMessage: ctx.apiVersion >= 1 ? a.errorMessage : null,
        nodeId: a.nodeId,
        host: a.host,
        port: a.port,
      };
    },
  };
}
