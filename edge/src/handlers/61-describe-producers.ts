/**
 * DescribeProducers (key 61, v0 only): the idempotent producers each partition remembers
 * (id, epoch, last sequence, last timestamp), answered by the storage nodes that own the
 * partitions from the state they deduplicate with. No transactions: coordinator epoch and
 * transaction start offset are always -1.
 *
 * Authorization: READ on each topic (else TOPIC_AUTHORIZATION_FAILED), as Kafka.
 */
import {
  describeProducersApi,
  type DescribeProducersRequest,
  type DescribeProducersResponse,
  type DescribeProducersResponsePartitionResponse,
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
  readonly partition: number;
  response: DescribeProducersResponsePartitionResponse;
}

function failed(
  partitionIndex: number,
  errorCode: number,
): DescribeProducersResponsePartitionResponse {
  return { partitionIndex, errorCode, errorMessage: null, activeProducers: [] };
}

export function describeProducersHandler(
  cluster: ClusterView,
  storage: StorageClients,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DescribeProducersRequest, DescribeProducersResponse> {
  return {
    api: describeProducersApi,
    minVersion: 0,
    maxVersion: 0,
    async handle(request, ctx) {
      const perTopic: Slot[][] = request.topics.map((t) =>
        t.partitionIndexes.map((partition) => ({
          topicName: t.name,
          partition,
          response: failed(partition, 0),
        })),
      );
      await callOwners(
        cluster,
        storage,
        authorizedTopicSlots(
          authorizer,
          ctx,
          AclOperation.READ,
          perTopic.flat(),
          (s, code) => (s.response = failed(s.partition, code)),
        ),
        {
          what: 'describe producers',
          locate: (s) => ({ topicName: s.topicName, partition: s.partition }),
          call: async (client, located) =>
            (
              await client.describeProducers(
                {
                  partitions: located.map((l) => ({
                    topicId: topicIdToBytes(l.topic.topicId),
                    topic: l.topic.name,
                    partition: l.partition,
                  })),
                },
                { timeoutMs: 30_000 },
              )
            ).partitions,
          onResult: (l, r) => {
            l.item.response = {
              partitionIndex: l.partition,
              errorCode: r.errorCode,
              errorMessage: null,
              activeProducers: r.producers.map((p) => ({
                producerId: p.producerId,
                producerEpoch: p.producerEpoch,
                lastSequence: p.lastSequence,
                lastTimestamp: p.lastTimestamp,
                coordinatorEpoch: -1,
                currentTxnStartOffset: -1n,
              })),
            };
          },
          onError: (s, errorCode) => {
            s.response = failed(s.partition, errorCode);
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
