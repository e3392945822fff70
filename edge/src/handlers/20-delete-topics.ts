/**
 * DeleteTopics (key 20), answered by the controlplane.
 *
 * v1: throttle time. v4: flexible. v5: error messages. v6: topics by name or by id
 * (KIP-516); an unknown id gets UNKNOWN_TOPIC_ID. The response waits (within the request's
 * timeout) until this edge's view no longer shows the deleted topics.
 *
 * Authorization (Kafka's): DELETE on each topic, else TOPIC_AUTHORIZATION_FAILED (not
 * forwarded); a topic named by id is checked under the name this edge knows it by.
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
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

const ZERO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function deleteTopicsHandler(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
  return {
    api: deleteTopicsApi,
    minVersion: 0,
    maxVersion: 6,
    async handle(request, ctx) {
      const all: { name: string | null; topicId: string }[] =
        ctx.apiVersion >= 6
          ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId }))
          : request.topicNames.map((name) => ({ name, topicId: ZERO_ID }));
      const denied = all.filter((t) => {
        const name = t.name !== null && t.name !== '' ? t.name : cluster.topicById(t.topicId)?.name;
        return (
          name !== undefined &&
          !authorizer.authorize(ctx, AclOperation.DELETE, ResourceType.TOPIC, name)
        );
      });
      const asked = all.filter((t) => !denied.includes(t));
      type Asked = (typeof all)[number];
      type Answer = DeleteTopicsResponse['responses'][number];
      const refusal = (t: Asked): Answer => ({
        name: t.name,
        topicId: t.topicId,
        errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED,
        errorMessage: 'Authorization failed.',
      });
      /** The response in request order: refusals here, the rest by `answer(t, index in asked)`. */
      const respond = (answer: (t: Asked, i: number) => Answer): DeleteTopicsResponse => ({
        throttleTimeMs: 0,
        responses: all.map((t) => (denied.includes(t) ? refusal(t) : answer(t, asked.indexOf(t)))),
      });
      if (asked.length === 0) return respond(refusal);
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
        return respond((t, i) => {
          const r = res.topics[i];
          return {
            name: r?.name ?? t.name,
            topicId: r?.topicId.length === 16 ? topicIdText(r.topicId) : t.topicId,
            errorCode: r?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
            errorMessage: r === undefined || r.errorCode === 0 ? null : r.errorMessage,
          };
        });
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane delete topics failed');
        return respond((t) => ({
          name: t.name,
          topicId: t.topicId,
          errorCode: KafkaError.REQUEST_TIMED_OUT,
          errorMessage: 'the controlplane did not answer',
        }));
      }
    },
  };
}
