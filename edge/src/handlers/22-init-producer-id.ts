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
 */
import {
  initProducerIdApi,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import type { KafkaHandler } from './kafka-handler.js';

export function initProducerIdHandler(
  controlplane: ControlPlaneClient,
): KafkaHandler<InitProducerIdRequest, InitProducerIdResponse> {
  return {
    api: initProducerIdApi,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
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
