/**
 * Produce (key 0): append record batches, acknowledged once they are in S3 and committed.
 *
 * v3: transactional id; RecordBatch v2 only (older message formats are refused).
 * v5: log start offset in the response. v7: zstd allowed. v8: per-record errors and an
 * error message (KIP-467). v9: flexible. v10-v11: current leader and node endpoints on
 * NOT_LEADER_OR_FOLLOWER (KIP-951), left at their defaults here: every edge serves every
 * partition, so a client is never sent elsewhere.
 *
 * Each partition goes with its topic's max.message.bytes and message.timestamp.type, which
 * the storage node applies (MESSAGE_TOO_LARGE; LogAppendTime stamping, whose time comes back
 * as log_append_time_ms).
 *
 * The partitions are grouped by owning storage node: one Append per node, in parallel,
 * each on that node's append stream, so the requests one connection pipelines keep their
 * order per partition (a storage node queues batches in stream order). acks=0 gets no response (the appends still run); acks=1 and acks=-1 both wait
 * for the durable commit, which is the only kind of acknowledgement this system gives.
 *
 * Authorization (Kafka's): a transactional id needs WRITE on it (else every partition gets
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED); each topic needs WRITE (else its partitions get
 * TOPIC_AUTHORIZATION_FAILED, checked before whether the topic exists).
 */
import {
  defaultProduceResponsePartitionProduceResponse,
  produceApi,
  type ProduceRequest,
  type ProduceRequestPartitionProduceData,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { TimestampType } from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { topicAppendRules } from '../../../lib/metadata/topic-append-rules.js';
import { topicIdToBytes } from '../../../lib/metadata/topic-records.js';
import type { ClusterView } from '../cluster-view.js';
import { groupByNode } from '../routing/group-by-node.js';
import type { StorageClients } from '../routing/storage-clients.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';
import type { KafkaHandler } from './kafka-handler.js';

interface Slot {
  readonly topicName: string;
  readonly data: ProduceRequestPartitionProduceData;
  response: ProduceResponsePartitionProduceResponse;
}

/** The topic's max.message.bytes and message.timestamp.type, as the storage node takes them. */
function appendRulesOf(configs: Readonly<Record<string, string>>) {
  const rules = topicAppendRules(configs);
  return {
    maxBatchBytes: rules.maxBatchBytes,
    timestampType: rules.logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
  };
}

function result(
  index: number,
  errorCode: number,
  errorMessage: string | null = null,
): ProduceResponsePartitionProduceResponse {
  return {
    ...defaultProduceResponsePartitionProduceResponse(),
    index,
    errorCode,
    errorMessage,
    baseOffset: -1n,
  };
}

export function produceHandler(
  cluster: ClusterView,
  storage: StorageClients,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<ProduceRequest, ProduceResponse> {
  return {
    api: produceApi,
    minVersion: 3,
    maxVersion: 11,
    async handle(request, ctx) {
      const perTopic: Slot[][] = request.topicData.map((t) =>
        t.partitionData.map((data) => ({
          topicName: t.name,
          data,
          response: result(data.index, KafkaError.NONE),
        })),
      );
      const slots = perTopic.flat();
      const txnDenied =
        request.transactionalId !== null &&
        !authorizer.authorize(
          ctx,
          AclOperation.WRITE,
          ResourceType.TRANSACTIONAL_ID,
          request.transactionalId,
        );
      const writable = perTopic.flatMap((topicSlots, i) => {
        const name = request.topicData[i]?.name ?? '';
        if (!txnDenied && authorizer.authorize(ctx, AclOperation.WRITE, ResourceType.TOPIC, name))
          return topicSlots;
        const code = txnDenied
          ? KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
          : KafkaError.TOPIC_AUTHORIZATION_FAILED;
        for (const s of topicSlots) s.response = result(s.data.index, code);
        return [];
      });
      if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
        for (const s of slots)
          s.response = result(
            s.data.index,
            KafkaError.INVALID_REQUIRED_ACKS,
            `acks=${request.acks} is not 0, 1 or -1`,
          );
      } else {
        const { byNode, unknownTopic, noOwner } = groupByNode(writable, (s) => ({
          topic: cluster.topic(s.topicName),
          partition: s.data.index,
        }));
        for (const s of unknownTopic)
          s.response = result(s.data.index, KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
        for (const s of noOwner) s.response = result(s.data.index, KafkaError.LEADER_NOT_AVAILABLE);
        await Promise.all(
          [...byNode].map(async ([nodeId, located]) => {
            const client = storage.appender(nodeId);
            const appendable = located.filter((l) => l.item.data.records !== null);
            for (const l of located) {
              if (l.item.data.records === null)
                l.item.response = result(
                  l.partition,
                  KafkaError.CORRUPT_MESSAGE,
                  'records are null',
                );
            }
            if (client === undefined) {
              for (const l of appendable)
                l.item.response = result(
                  l.partition,
                  KafkaError.NOT_LEADER_OR_FOLLOWER,
                  `storage node ${nodeId} is unknown`,
                );
              return;
            }
            try {
              const res = await client.append(
                {
                  acks: request.acks,
                  timeoutMs: request.timeoutMs,
                  partitions: appendable.map((l) => ({
                    topicId: topicIdToBytes(l.topic.topicId),
                    topic: l.topic.name,
                    partition: l.partition,
                    records: l.item.data.records ?? new Uint8Array(0),
                    leaderEpoch: l.leaderEpoch,
                    ...appendRulesOf(l.topic.configs),
                  })),
                },
                Math.max(1000, request.timeoutMs),
              );
              appendable.forEach((l, i) => {
                const r = res.partitions[i];
                l.item.response =
                  r === undefined
                    ? result(
                        l.partition,
                        KafkaError.UNKNOWN_SERVER_ERROR,
                        'storage node gave no result',
                      )
                    : {
                        ...result(
                          l.partition,
                          r.errorCode,
                          r.errorCode === 0 ? null : r.errorMessage,
                        ),
                        baseOffset: r.baseOffset,
                        logStartOffset: r.logStartOffset,
                        logAppendTimeMs: r.logAppendTimeMs,
                      };
              });
            } catch (err) {
              ctx.log.warn({ err, nodeId }, 'append to storage node failed');
              for (const l of appendable) {
                l.item.response = result(
                  l.partition,
                  KafkaError.REQUEST_TIMED_OUT,
                  `storage node ${nodeId} did not answer`,
                );
              }
            }
          }),
        );
      }
      if (request.acks === 0) return null;
      return {
        responses: request.topicData.map((t, i) => ({
          name: t.name,
          partitionResponses: (perTopic[i] ?? []).map((slot) => slot.response),
        })),
        throttleTimeMs: 0,
        nodeEndpoints: [],
      };
    },
  };
}
