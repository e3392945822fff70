/**
 * OffsetCommit (key 8), forwarded to the controlplane replica that coordinates the group,
 * which answers once the offsets are durable in etcd. Partitions of topics this edge's
 * view does not know are answered UNKNOWN_TOPIC_OR_PARTITION without being forwarded; a
 * consumer outside a group generation (assign()) commits with generation -1 and no member.
 *
 * v1: generation and member id; a per-partition commit timestamp (ignored). v2: retention
 * time (v2-4, ignored). v3: throttle time. v4: same as v3. v5: no retention time. v6: leader
 * epoch per partition (KIP-320). v7: group instance id (KIP-345). v8: flexible. v9: the
 * generation may be a member epoch of the new consumer protocol (KIP-848); only classic
 * groups exist here, so it is always the generation.
 *
 * Authorization (Kafka's): READ on the group, else every partition is
 * GROUP_AUTHORIZATION_FAILED; READ on each topic, else its partitions are
 * TOPIC_AUTHORIZATION_FAILED.
 */
import {
  offsetCommitApi,
  type OffsetCommitRequest,
  type OffsetCommitRequestPartition,
  type OffsetCommitResponse,
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

interface Slot {
  readonly topic: string;
  readonly data: OffsetCommitRequestPartition;
  errorCode: number;
}

const slotKey = (topic: string, partition: number) => `${partition}:${topic}`;

export function offsetCommitHandler(
  cluster: ClusterView,
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<OffsetCommitRequest, OffsetCommitResponse> {
  return {
    api: offsetCommitApi,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const groupDenied = !authorizer.authorize(
        ctx,
        AclOperation.READ,
        ResourceType.GROUP,
        request.groupId,
      );
      const perTopic: Slot[][] = request.topics.map((t) => {
        const known = cluster.topic(t.name);
        const topicDenied =
          !groupDenied && !authorizer.authorize(ctx, AclOperation.READ, ResourceType.TOPIC, t.name);
        return t.partitions.map((data) => ({
          topic: t.name,
          data,
          errorCode: groupDenied
            ? KafkaError.GROUP_AUTHORIZATION_FAILED
            : topicDenied
              ? KafkaError.TOPIC_AUTHORIZATION_FAILED
              : known?.partitions[data.partitionIndex] === undefined
                ? KafkaError.UNKNOWN_TOPIC_OR_PARTITION
                : 0,
        }));
      });
      const forwarded = perTopic.map((slots) => slots.filter((s) => s.errorCode === 0));
      if (forwarded.some((slots) => slots.length > 0)) {
        const outcome = await callGroupCoordinator(coordinators, request.groupId, ctx.log, (c) =>
          c.offsetCommit(
            {
              groupId: request.groupId,
              generationId: request.generationIdOrMemberEpoch,
              memberId: request.memberId,
              groupInstanceId: request.groupInstanceId ?? '',
              topics: request.topics
                .map((t, i) => ({
                  name: t.name,
                  partitions: (forwarded[i] ?? []).map((s) => ({
                    partition: s.data.partitionIndex,
                    offset: s.data.committedOffset,
                    leaderEpoch: s.data.committedLeaderEpoch,
                    metadata: s.data.committedMetadata ?? undefined,
                  })),
                }))
                .filter((t) => t.partitions.length > 0),
            },
            { timeoutMs: GROUP_CALL_TIMEOUT_MS },
          ),
        );
        const results = new Map<string, number>();
        if (outcome.ok) {
          for (const t of outcome.value.topics)
            for (const p of t.partitions) results.set(slotKey(t.name, p.partition), p.errorCode);
        }
        for (const s of forwarded.flat()) {
          s.errorCode = outcome.ok
            ? (results.get(slotKey(s.topic, s.data.partitionIndex)) ??
              KafkaError.UNKNOWN_SERVER_ERROR)
            : outcome.errorCode;
        }
      }
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t, i) => ({
          name: t.name,
          partitions: (perTopic[i] ?? []).map((s) => ({
            partitionIndex: s.data.partitionIndex,
            errorCode: s.errorCode,
          })),
        })),
      };
    },
  };
}
