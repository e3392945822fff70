/**
 * OffsetForLeaderEpoch (key 23): where a leader epoch of a partition ended, answered by the
 * storage node that owns it from its index (each run records the owner epoch that wrote
 * it), so a client that saw an owner change can check its position was not truncated.
 *
 * v1: the epoch found comes back with the end offset. v2: current leader epoch in the
 * request (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH) and throttle time. v3: replica id
 * (consumers send -1; there are no follower replicas here). v4: flexible.
 *
 * Authorization: DESCRIBE on each topic (else TOPIC_AUTHORIZATION_FAILED), as Kafka.
 */
import {
  offsetForLeaderEpochApi,
  type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochRequestOffsetForLeaderPartition,
  type OffsetForLeaderEpochResponse,
  type OffsetForLeaderEpochResponseEpochEndOffset,
} from '../../../lib/kafka/gen/index.js';
import { topicIdToBytes } from '../../../lib/metadata/topic-records.js';
import type { ClusterView } from '../cluster-view.js';
import { callOwners } from '../routing/call-owners.js';
import type { StorageClients } from '../routing/storage-clients.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';
import { authorizedTopicSlots } from '../security/topic-authorization.js';
import type { KafkaHandler } from './kafka-handler.js';

interface Slot {
  readonly topicName: string;
  readonly data: OffsetForLeaderEpochRequestOffsetForLeaderPartition;
  response: OffsetForLeaderEpochResponseEpochEndOffset;
}

function answer(
  partition: number,
  errorCode: number,
  leaderEpoch = -1,
  endOffset = -1n,
): OffsetForLeaderEpochResponseEpochEndOffset {
  return { partition, errorCode, leaderEpoch, endOffset };
}

export function offsetForLeaderEpochHandler(
  cluster: ClusterView,
  storage: StorageClients,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse> {
  return {
    api: offsetForLeaderEpochApi,
    minVersion: 0,
    maxVersion: 4,
    async handle(request, ctx) {
      const perTopic: Slot[][] = request.topics.map((t) =>
        t.partitions.map((data) => ({
          topicName: t.topic,
          data,
          response: answer(data.partition, 0),
        })),
      );
      await callOwners(
        cluster,
        storage,
        authorizedTopicSlots(
          authorizer,
          ctx,
          AclOperation.DESCRIBE,
          perTopic.flat(),
          (s, code) => (s.response = answer(s.data.partition, code)),
        ),
        {
          what: 'offset for leader epoch',
          locate: (s) => ({ topicName: s.topicName, partition: s.data.partition }),
          call: async (client, located) =>
            (
              await client.offsetForLeaderEpoch(
                {
                  partitions: located.map((l) => ({
                    topicId: topicIdToBytes(l.topic.topicId),
                    topic: l.topic.name,
                    partition: l.partition,
                    currentLeaderEpoch: ctx.apiVersion >= 2 ? l.item.data.currentLeaderEpoch : -1,
                    leaderEpoch: l.item.data.leaderEpoch,
                  })),
                },
                { timeoutMs: 30_000 },
              )
            ).partitions,
          onResult: (l, r) => {
            l.item.response = answer(l.partition, r.errorCode, r.leaderEpoch, r.endOffset);
          },
          onError: (s, errorCode) => {
            s.response = answer(s.data.partition, errorCode);
          },
        },
        ctx.log,
      );
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t, i) => ({
          topic: t.topic,
          partitions: (perTopic[i] ?? []).map((slot) => slot.response),
        })),
      };
    },
  };
}
