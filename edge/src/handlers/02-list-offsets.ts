/**
 * ListOffsets (key 2): earliest (-2), latest (-1), max timestamp (-3, v7+), or the first
 * offset whose timestamp is at or after a given one.
 *
 * v1: a single offset per partition instead of v0's list (v0 is not served). v2: isolation
 * level (read_committed equals read_uncommitted here: there are no transactions yet).
 * v4: leader epoch in request and response. v6: flexible. v7: max timestamp (KIP-734).
 * v8: earliest local timestamp (-4) for tiered storage: all data is "local" here, so it
 * answers like earliest. v9: the last tiered offset (-5): nothing is tiered, so -1.
 *
 * Authorization: DESCRIBE on each topic (else TOPIC_AUTHORIZATION_FAILED), as Kafka.
 */
import {
  listOffsetsApi,
  type ListOffsetsRequest,
  type ListOffsetsRequestListOffsetsPartition,
  type ListOffsetsResponse,
  type ListOffsetsResponseListOffsetsPartitionResponse,
} from '../../../lib/kafka/gen/index.js';
import { topicIdToBytes } from '../../../lib/metadata/topic-records.js';
import type { ClusterView } from '../cluster-view.js';
import { callOwners } from '../routing/call-owners.js';
import type { StorageClients } from '../routing/storage-clients.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';
import { authorizedTopicSlots } from '../security/topic-authorization.js';
import type { KafkaHandler } from './kafka-handler.js';

const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

interface Slot {
  readonly topicName: string;
  readonly data: ListOffsetsRequestListOffsetsPartition;
  response: ListOffsetsResponseListOffsetsPartitionResponse;
}

function answer(
  partitionIndex: number,
  errorCode: number,
  offset = -1n,
  timestamp = -1n,
  leaderEpoch = -1,
): ListOffsetsResponseListOffsetsPartitionResponse {
  return { partitionIndex, errorCode, oldStyleOffsets: [], timestamp, offset, leaderEpoch };
}

export function listOffsetsHandler(
  cluster: ClusterView,
  storage: StorageClients,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<ListOffsetsRequest, ListOffsetsResponse> {
  return {
    api: listOffsetsApi,
    minVersion: 1,
    maxVersion: 9,
    async handle(request, ctx) {
      const perTopic: Slot[][] = request.topics.map((t) =>
        t.partitions.map((data) => ({
          topicName: t.name,
          data,
          response: answer(data.partitionIndex, 0),
        })),
      );
      const slots = authorizedTopicSlots(
        authorizer,
        ctx,
        AclOperation.DESCRIBE,
        perTopic.flat(),
        (s, code) => (s.response = answer(s.data.partitionIndex, code)),
      );
      const asked = slots.filter((s) => s.data.timestamp !== LATEST_TIERED);
      for (const s of slots)
        if (s.data.timestamp === LATEST_TIERED) s.response = answer(s.data.partitionIndex, 0);
      await callOwners(
        cluster,
        storage,
        asked,
        {
          what: 'list offsets',
          anyNode: true,
          locate: (s) => ({ topicName: s.topicName, partition: s.data.partitionIndex }),
          call: async (client, located) =>
            (
              await client.listOffsets(
                {
                  partitions: located.map((l) => ({
                    topicId: topicIdToBytes(l.topic.topicId),
                    topic: l.topic.name,
                    partition: l.partition,
                    timestamp:
                      l.item.data.timestamp === EARLIEST_LOCAL ? -2n : l.item.data.timestamp,
                    currentLeaderEpoch: l.item.data.currentLeaderEpoch,
                  })),
                },
                { timeoutMs: 30_000 },
              )
            ).partitions,
          onResult: (l, r) => {
            l.item.response = answer(
              l.partition,
              r.errorCode,
              r.offset,
              r.timestamp,
              ctx.apiVersion >= 4 ? r.leaderEpoch : -1,
            );
          },
          onError: (s, errorCode) => {
            s.response = answer(s.data.partitionIndex, errorCode);
          },
        },
        ctx.log,
      );
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t, i) => ({
          name: t.name,
          partitions: (perTopic[i] ?? []).map((slot) => slot.response),
        })),
      };
    },
  };
}
