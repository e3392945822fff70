/**
 * The StorageService gRPC API (proto/kafscale/storage/v1) over a StorageEngine: one call
 * carries every partition of a produce or fetch request that this node owns. Kafka errors
 * travel per partition as data; a request that is malformed as a whole (a topic id that
 * is not 16 bytes) fails with INVALID_ARGUMENT naming the bad value.
 */
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import {
  AppendPartitionResultSchema,
  AppendResponseSchema,
  FetchPartitionResultSchema,
  FetchResponseSchema,
  ListOffsetsPartitionResultSchema,
  ListOffsetsResponseSchema,
  OffsetForLeaderEpochResponseSchema,
  DeleteRecordsResponseSchema,
  DescribeProducersResponseSchema,
  PartitionProducersSchema,
  DeleteRecordsResultSchema,
  EpochEndSchema,
  FlushResponseSchema,
  AppendRequestSchema,
  AppendStreamResponseSchema,
  TimestampType,
  type AppendRequest,
  type AppendResponse,
  type AppendStreamResponse,
  type StorageService,
} from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { StorageEngine } from '../storage-engine.js';
import { AsyncQueue } from '../../../lib/grpc/async-queue.js';
import { topicIdText } from '../../../lib/metadata/topic-records.js';

function checkedTopicId(bytes: Uint8Array, where: string): string {
  if (bytes.length !== 16) {
    throw new ConnectError(
      `${where}: topic_id must be 16 bytes, got ${bytes.length}`,
      Code.InvalidArgument,
    );
  }
  return topicIdText(bytes);
}

function epochMismatch(
  engine: StorageEngine,
  topicId: string,
  partition: number,
  epoch: number,
): number | undefined {
  if (epoch < 0) return undefined;
  const log = engine.owner(topicId, partition);
  if (log === undefined || epoch === log.epoch) return undefined;
  return epoch < log.epoch ? KafkaError.FENCED_LEADER_EPOCH : KafkaError.UNKNOWN_LEADER_EPOCH;
}

export function storageService(engine: StorageEngine): ServiceImpl<typeof StorageService> {
  async function append(req: AppendRequest): Promise<AppendResponse> {
    const parts = req.partitions.map((p, i) => ({
      topicId: checkedTopicId(p.topicId, `partitions[${i}]`),
      partition: p.partition,
      records: p.records,
      ...(p.maxBatchBytes === undefined ? {} : { maxBatchBytes: p.maxBatchBytes }),
      logAppendTime: p.timestampType === TimestampType.LOG_APPEND_TIME,
    }));
    const refused = req.partitions.map((p, i) => {
      const part = parts[i];
      return part && epochMismatch(engine, part.topicId, part.partition, p.leaderEpoch);
    });
    const outcomes = await engine.append(parts.filter((_, i) => refused[i] === undefined));
    let next = 0;
    return create(AppendResponseSchema, {
      partitions: req.partitions.map((p, i) => {
        const base = {
          topicId: p.topicId,
          topic: p.topic,
          partition: p.partition,
          logAppendTimeMs: -1n,
        };
        const refusal = refused[i];
        const outcome = refusal === undefined ? outcomes[next++] : undefined;
        if (outcome?.ok) {
          return create(AppendPartitionResultSchema, {
            ...base,
            errorCode: 0,
            baseOffset: outcome.baseOffset,
            logStartOffset: outcome.logStartOffset,
            logAppendTimeMs: outcome.logAppendTimeMs ?? -1n,
          });
        }
        return create(AppendPartitionResultSchema, {
          ...base,
          errorCode: outcome?.errorCode ?? refusal ?? KafkaError.UNKNOWN_SERVER_ERROR,
          baseOffset: -1n,
          logStartOffset: -1n,
          errorMessage: outcome?.message ?? `leader epoch ${p.leaderEpoch} is not the partition's`,
        });
      }),
    });
  }

  return {
    append,

    /**
     * One stream per edge: each request's batches are queued as its message arrives (the
     * engine enqueues synchronously), so stream order is append order; answers go back as
     * commits complete.
     */
    async *appendStream(requests) {
      const answers = new AsyncQueue<AppendStreamResponse>();
      let pending = 0;
      let inputDone = false;
      const finishIfIdle = () => {
        if (inputDone && pending === 0) answers.end();
      };
      void (async () => {
        try {
          for await (const m of requests) {
            pending++;
            append(m.request ?? create(AppendRequestSchema))
              .then(
                (response) => {
                  answers.push(create(AppendStreamResponseSchema, { id: m.id, response }));
                },
                (err: unknown) => {
                  answers.fail(err);
                },
              )
              .finally(() => {
                pending--;
                finishIfIdle();
              });
          }
        } catch (err) {
          answers.fail(err);
        } finally {
          inputDone = true;
          finishIfIdle();
        }
      })();
      yield* answers;
    },

    async fetch(req) {
      const parts = req.partitions.map((p, i) => ({
        topicId: checkedTopicId(p.topicId, `partitions[${i}]`),
        partition: p.partition,
        offset: p.fetchOffset,
        maxBytes: p.partitionMaxBytes,
      }));
      const results = await engine.fetch(parts, {
        maxWaitMs: req.maxWaitMs,
        minBytes: req.minBytes,
        maxBytes: req.maxBytes,
      });
      return create(FetchResponseSchema, {
        partitions: req.partitions.map((p, i) => {
          const r = results[i];
          return create(FetchPartitionResultSchema, {
            topicId: p.topicId,
            topic: p.topic,
            partition: p.partition,
            errorCode: r?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
            highWatermark: r?.highWatermark ?? -1n,
            lastStableOffset: r?.highWatermark ?? -1n,
            logStartOffset: r?.logStartOffset ?? -1n,
            // Batch by batch: serializing the message is the one copy on this hop.
            records: new Uint8Array(0),
            batches: r?.batches ?? [],
          });
        }),
      });
    },

    flush() {
      return create(FlushResponseSchema, { pendingBytes: BigInt(engine.flushNow()) });
    },

    describeProducers(req) {
      const answers = engine.describeProducers(
        req.partitions.map((p, i) => ({
          topicId: checkedTopicId(p.topicId, `partitions[${i}]`),
          partition: p.partition,
        })),
      );
      return create(DescribeProducersResponseSchema, {
        partitions: req.partitions.map((p, i) => {
          const a = answers[i];
          return create(PartitionProducersSchema, {
            topicId: p.topicId,
            topic: p.topic,
            partition: p.partition,
            errorCode: a?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
            producers: (a?.producers ?? []).map((s) => ({
              producerId: s.producerId,
              producerEpoch: s.epoch,
              lastSequence: s.lastSequence,
              lastTimestamp: s.lastTimestamp,
            })),
          });
        }),
      });
    },

    async deleteRecords(req) {
      const answers = await engine.deleteRecords(
        req.partitions.map((p, i) => ({
          topicId: checkedTopicId(p.topicId, `partitions[${i}]`),
          partition: p.partition,
          offset: p.offset,
        })),
      );
      return create(DeleteRecordsResponseSchema, {
        partitions: req.partitions.map((p, i) => {
          const a = answers[i];
          return create(DeleteRecordsResultSchema, {
            topicId: p.topicId,
            topic: p.topic,
            partition: p.partition,
            errorCode: a?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
            lowWatermark: a?.lowWatermark ?? -1n,
            errorMessage: a?.message ?? '',
          });
        }),
      });
    },

    offsetForLeaderEpoch(req) {
      const answers = engine.offsetForLeaderEpoch(
        req.partitions.map((p, i) => ({
          topicId: checkedTopicId(p.topicId, `partitions[${i}]`),
          partition: p.partition,
          currentLeaderEpoch: p.currentLeaderEpoch,
          leaderEpoch: p.leaderEpoch,
        })),
      );
      return create(OffsetForLeaderEpochResponseSchema, {
        partitions: req.partitions.map((p, i) => {
          const a = answers[i];
          return create(EpochEndSchema, {
            topicId: p.topicId,
            topic: p.topic,
            partition: p.partition,
            errorCode: a?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
            leaderEpoch: a?.leaderEpoch ?? -1,
            endOffset: a?.endOffset ?? -1n,
          });
        }),
      });
    },

    async listOffsets(req) {
      const answers = await engine.listOffsets(
        req.partitions.map((p, i) => ({
          topicId: checkedTopicId(p.topicId, `partitions[${i}]`),
          partition: p.partition,
          timestamp: p.timestamp,
        })),
      );
      return create(ListOffsetsResponseSchema, {
        partitions: req.partitions.map((p, i) => {
          const a = answers[i];
          return create(ListOffsetsPartitionResultSchema, {
            topicId: p.topicId,
            topic: p.topic,
            partition: p.partition,
            errorCode: a?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
            offset: a?.offset ?? -1n,
            timestamp: a?.timestamp ?? -1n,
            leaderEpoch: a?.leaderEpoch ?? -1,
          });
        }),
      });
    },
  };
}
