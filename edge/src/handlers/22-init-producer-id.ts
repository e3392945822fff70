/**
 * InitProducerId (key 22), answered by the controlplane: an idempotent producer (no
 * transactional id) gets a new producer id with epoch 0, as Kafka gives it; ids come from
 * blocks allocated through etcd, so they are unique across the cluster.
 *
 * v1: throttle time. v2: flexible. v3: producer id and epoch in the request (KIP-360: an
 * idempotent producer asks again after a fatal sequence error; it gets a fresh id). v4:
 * PRODUCER_FENCED for transactional producers (no transactions here). v5: transaction
 * verification (KIP-890), not used without transactions.
 *
 * A transactional id is refused with INVALID_REQUEST: Kafscale has no transactions yet
 * (FindCoordinator for a transactional id is refused too, so a transactional producer
 * fails fast instead of retrying). A controlplane that cannot be reached is
 * COORDINATOR_NOT_AVAILABLE, which producers retry.
 *
 * Authorization (Kafka 3.x): a transactional id needs WRITE on it (else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED); an idempotent producer needs IDEMPOTENT_WRITE on
 * the cluster or WRITE on some topic (else CLUSTER_AUTHORIZATION_FAILED).
 */
import {
  initProducerIdApi,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import type { KafkaHandler, RequestContext } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import {
  allowEverything,
  onCluster,
  type RequestAuthorizer,
} from '../security/request-authorizer.js';

export function initProducerIdHandler(
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<InitProducerIdRequest, InitProducerIdResponse> {
  /** The authorization error of the request, or 0. */
  const refusal = (request: InitProducerIdRequest, ctx: RequestContext): number => {
    const txn = request.transactionalId;
    if (txn !== null)
      return authorizer.authorize(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, txn)
        ? 0
        : KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    return onCluster(authorizer, ctx, AclOperation.IDEMPOTENT_WRITE) ||
      authorizer.authorizeByResourceType(ctx, AclOperation.WRITE, ResourceType.TOPIC)
      ? 0
      : KafkaError.CLUSTER_AUTHORIZATION_FAILED;
  };
  return {
    api: initProducerIdApi,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
      const denied = refusal(request, ctx);
      if (denied !== 0)
        return { throttleTimeMs: 0, errorCode: denied, producerId: -1n, producerEpoch: -1 };
      try {
        const res = await controlplane.initProducerId(
          {
            transactionalId: request.transactionalId ?? '',
            transactionTimeoutMs: request.transactionTimeoutMs,
            producerId: request.producerId,
            producerEpoch: request.producerEpoch,
          },
          { timeoutMs: 10_000 },
        );
        return {
          throttleTimeMs: 0,
          errorCode: res.errorCode,
          producerId: res.producerId,
          producerEpoch: res.producerEpoch,
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane InitProducerId failed');
        return {
          throttleTimeMs: 0,
          errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE,
          producerId: -1n,
          producerEpoch: -1,
        };
      }
    },
  };
}
