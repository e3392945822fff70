/**
 * DeleteRecords (key 21): moves partitions' log start offsets forward, answered by the
 * storage nodes that own them (one call per node). Offset -1 means the high watermark.
 * Reads below the new start get OFFSET_OUT_OF_RANGE and ListOffsets earliest answers it;
 * the index entries below it are deleted (the objects go with the storage lifecycle's
 * garbage collection).
 *
 * v1: same as v0 (throttle time respected by the client). v2: flexible.
 *
 * Authorization: DELETE on each topic (else TOPIC_AUTHORIZATION_FAILED), as Kafka.
 */
import {
  deleteRecordsApi,
  type DeleteRecordsRequest,
  type DeleteRecordsRequestDeleteRecordsPartition,
  type DeleteRecordsResponse,
  type DeleteRecordsResponseDeleteRecordsPartitionResult,
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
  readonly data: DeleteRecordsRequestDeleteRecordsPartition;
  response: DeleteRecordsResponseDeleteRecordsPartitionResult;
}

function answer(
  partitionIndex: number,
  errorCode: number,
  lowWatermark = -1n,
): DeleteRecordsResponseDeleteRecordsPartitionResult {
  return { partitionIndex, errorCode, lowWatermark };
}

export function deleteRecordsHandler(
  cluster: ClusterView,
  storage: StorageClients,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DeleteRecordsRequest, DeleteRecordsResponse> {
  return {
    api: deleteRecordsApi,
    minVersion: 0,
    maxVersion: 2,
    async handle(request, ctx) {
      const perTopic: Slot[][] = request.topics.map((t) =>
        t.partitions.map((data) => ({
          topicName: t.name,
          data,
          response: answer(data.partitionIndex, 0),
        })),
      );
      await callOwners(
        cluster,
        storage,
        authorizedTopicSlots(
          authorizer,
          ctx,
          AclOperation.DELETE,
          perTopic.flat(),
          (s, code) => (s.response = answer(s.data.partitionIndex, code)),
        ),
        {
          what: 'delete records',
          locate: (s) => ({ topicName: s.topicName, partition: s.data.partitionIndex }),
          call: async (client, located) =>
            (
              await client.deleteRecords(
                {
                  partitions: located.map((l) => ({
                    topicId: topicIdToBytes(l.topic.topicId),
                    topic: l.topic.name,
                    partition: l.partition,
                    offset: l.item.data.offset,
                  })),
                },
                { timeoutMs: Math.max(1000, request.timeoutMs) },
              )
            ).partitions,
          onResult: (l, r) => {
            l.item.response = answer(l.partition, r.errorCode, r.lowWatermark);
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
