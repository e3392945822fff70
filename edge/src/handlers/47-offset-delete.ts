/**
 * OffsetDelete (key 47): deletes a group's committed offsets for partitions it does not
 * consume, on the controlplane replica that coordinates the group. Partitions of topics
 * this edge's view does not know are answered UNKNOWN_TOPIC_OR_PARTITION without being
 * forwarded; a subscribed topic is answered GROUP_SUBSCRIBED_TO_TOPIC. A group-level error
 * is a top-level error with no topics, as in Apache Kafka.
 *
 * v0 only (KIP-496).
 *
 * Authorization (Kafka's): DELETE on the group, else a top-level GROUP_AUTHORIZATION_FAILED;
 * READ on each topic, else its partitions are TOPIC_AUTHORIZATION_FAILED (not forwarded).
 */
import {
  offsetDeleteApi,
  type OffsetDeleteRequest,
  type OffsetDeleteResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ClusterView } from '../cluster-view.js';
import {
  callGroupCoordinator,
  GROUP_CALL_TIMEOUT_MS,
  type GroupCoordinators,
} from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

const slotKey = (topic: string, partition: number) => `${partition}:${topic}`;

export function offsetDeleteHandler(
  cluster: ClusterView,
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<OffsetDeleteRequest, OffsetDeleteResponse> {
  return {
    api: offsetDeleteApi,
    minVersion: 0,
    maxVersion: 0,
    async handle(request, ctx) {
      if (!authorizer.authorize(ctx, AclOperation.DELETE, ResourceType.GROUP, request.groupId))
        return { errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED, throttleTimeMs: 0, topics: [] };
      const readable = (topic: string) =>
        authorizer.authorize(ctx, AclOperation.READ, ResourceType.TOPIC, topic);
      const known = (topic: string, partition: number) =>
        readable(topic) && cluster.topic(topic)?.partitions[partition] !== undefined;
      const topics = request.topics
        .map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => p.partitionIndex).filter((p) => known(t.name, p)),
        }))
        .filter((t) => t.partitions.length > 0);
      const results = new Map<string, number>();
      if (topics.length > 0) {
        const outcome = await callGroupCoordinator(coordinators, request.groupId, ctx.log, (c) =>
          c.offsetDelete(
            { groupId: request.groupId, topics },
            { timeoutMs: GROUP_CALL_TIMEOUT_MS },
          ),
        );
        if (!outcome.ok) return { errorCode: outcome.errorCode, throttleTimeMs: 0, topics: [] };
        const r = outcome.value;
        if (r.errorCode !== 0) return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [] };
        for (const t of r.topics)
          for (const p of t.partitions) results.set(slotKey(t.name, p.partition), p.errorCode);
      }
      return {
        errorCode: 0,
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map(({ partitionIndex }) => ({
            partitionIndex,
            errorCode: !readable(t.name)
              ? KafkaError.TOPIC_AUTHORIZATION_FAILED
              : known(t.name, partitionIndex)
                ? (results.get(slotKey(t.name, partitionIndex)) ?? KafkaError.UNKNOWN_SERVER_ERROR)
                : KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
          })),
        })),
      };
    },
  };
}
