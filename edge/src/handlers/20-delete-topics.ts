/**
 * DeleteTopics (key 20), answered by the controlplane.
 *
 * v1: throttle time. v4: flexible. v5: error messages. v6: topics by name or by id
 * (KIP-516); an unknown id gets UNKNOWN_TOPIC_ID. The response waits (within the request's
 * timeout) until this edge's view no longer shows the deleted topics.
 */
import {
  deleteTopicsApi,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { topicIdToBytes, topicIdText } from '../../../lib/metadata/topic-records.js';
import type { ClusterView } from '../cluster-view.js';
import { awaitTopics } from '../routing/await-topics.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import type { KafkaHandler } from './kafka-handler.js';

const ZERO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function deleteTopicsHandler(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
): KafkaHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
  return {
    api: deleteTopicsApi,
    minVersion: 0,
    maxVersion: 6,
    async handle(request, ctx) {
      const asked: { name: string | null; topicId: string }[] =
        ctx.apiVersion >= 6
          ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId }))
          : request.topicNames.map((name) => ({ name, topicId: ZERO_ID }));
      try {
        const res = await controlplane.deleteTopics(
          {
            timeoutMs: request.timeoutMs,
            topics: asked.map((t) =>
              t.name !== null && t.name !== ''
                ? { topic: { case: 'name' as const, value: t.name } }
                : { topic: { case: 'topicId' as const, value: topicIdToBytes(t.topicId) } },
            ),
          },
          { timeoutMs: Math.max(1000, request.timeoutMs) },
        );
        const deleted = res.topics.filter((r) => r.errorCode === 0).map((r) => r.name);
        await awaitTopics(cluster, deleted, false, Math.max(0, request.timeoutMs));
        return {
          throttleTimeMs: 0,
          responses: asked.map((t, i) => {
            const r = res.topics[i];
            return {
              name: r?.name ?? t.name,
              topicId: r?.topicId.length === 16 ? topicIdText(r.topicId) : t.topicId,
              errorCode: r?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
              errorMessage: r === undefined || r.errorCode === 0 ? null : r.errorMessage,
            };
          }),
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane delete topics failed');
        return {
          throttleTimeMs: 0,
          responses: asked.map((t) => ({
            name: t.name,
            topicId: t.topicId,
            errorCode: KafkaError.REQUEST_TIMED_OUT,
            errorMessage: 'the controlplane did not answer',
          })),
        };
      }
    },
  };
}
