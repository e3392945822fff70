/**
 * Fetch (key 1): read committed batches, waiting up to MaxWaitMs for MinBytes.
 *
 * v4: isolation level, last stable offset and aborted transactions. v5: log start offset.
 * v7: fetch sessions (KIP-227): this edge keeps none and answers every fetch in full with
 * session id 0, which clients treat as "no session"; an incremental fetch on a session id
 * gets FETCH_SESSION_ID_NOT_FOUND. v9: current leader epoch. v11: rack id and preferred
 * read replica (always -1). v12: flexible; diverging epoch and current leader as tagged
 * fields (defaults here). v13: topics by id (UNKNOWN_TOPIC_ID for an unknown one).
 * v15: replica state replaces replica id. v16: node endpoints. v17: replica directory id.
 *
 * Partitions are grouped by owning storage node (call-owners.ts): one Fetch call per node,
 * in parallel, each with what is left of the request's wait; the batches come back exactly
 * as stored. A partition with no owner, or whose owner is unknown to this edge or fails the
 * call, is read from another live storage node, which serves its committed data from the
 * index in etcd: consumers keep reading while a partition changes hands.
 *
 * Authorization (Kafka's): each topic needs READ, else its partitions get
 * TOPIC_AUTHORIZATION_FAILED (a topic named that does not exist too; an unknown topic id
 * stays UNKNOWN_TOPIC_ID).
 */
import {
  defaultFetchResponsePartitionData,
  fetchApi,
  type FetchRequest,
  type FetchRequestFetchPartition,
  type FetchResponse,
  type FetchResponsePartitionData,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { topicIdToBytes } from '../../../lib/metadata/topic-records.js';
import type { ClusterView, TopicView } from '../cluster-view.js';
import { callOwners } from '../routing/call-owners.js';
import type { StorageClients } from '../routing/storage-clients.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';
import type { KafkaHandler } from './kafka-handler.js';

interface Slot {
  readonly topic: TopicView | undefined;
  readonly data: FetchRequestFetchPartition;
  response: FetchResponsePartitionData;
}

const EMPTY = new Uint8Array(0);

/**
 * The Kafka response carries one records field per partition: a single batch goes as it
 * is, several are joined once (the one copy on this hop). `records` is the older form of
 * the storage answer.
 */
function joinBatches(batches: readonly Uint8Array[], records: Uint8Array): Uint8Array {
  if (batches.length === 0) return records;
  if (batches.length === 1) return batches[0] ?? EMPTY;
  return Buffer.concat(batches);
}

function partitionResult(index: number, errorCode: number): FetchResponsePartitionData {
  return {
    ...defaultFetchResponsePartitionData(),
    partitionIndex: index,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    records: EMPTY,
  };
}

export function fetchHandler(
  cluster: ClusterView,
  storage: StorageClients,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<FetchRequest, FetchResponse> {
  return {
    api: fetchApi,
    minVersion: 4,
    maxVersion: 17,
    async handle(request, ctx) {
      const byId = ctx.apiVersion >= 13;
      if (ctx.apiVersion >= 7 && (request.sessionId !== 0 || request.sessionEpoch > 0)) {
        return {
          throttleTimeMs: 0,
          errorCode:
            request.sessionId !== 0
              ? KafkaError.FETCH_SESSION_ID_NOT_FOUND
              : KafkaError.INVALID_FETCH_SESSION_EPOCH,
          sessionId: 0,
          responses: [],
          nodeEndpoints: [],
        };
      }
      const perTopic = request.topics.map((t) => {
        const topic = byId ? cluster.topicById(t.topicId) : cluster.topic(t.topic);
        const name = topic?.name ?? (byId ? undefined : t.topic);
        const denied =
          name !== undefined &&
          !authorizer.authorize(ctx, AclOperation.READ, ResourceType.TOPIC, name);
        return t.partitions.map((data): Slot => ({
          topic: denied ? undefined : topic,
          data,
          response: partitionResult(
            data.partition,
            denied ? KafkaError.TOPIC_AUTHORIZATION_FAILED : KafkaError.NONE,
          ),
        }));
      });
      const unknownCode = byId
        ? KafkaError.UNKNOWN_TOPIC_ID
        : KafkaError.UNKNOWN_TOPIC_OR_PARTITION;
      const known: Slot[] = [];
      for (const s of perTopic.flat()) {
        if (s.response.errorCode !== KafkaError.NONE) continue;
        if (s.topic === undefined) s.response = partitionResult(s.data.partition, unknownCode);
        else known.push(s);
      }
      const started = Date.now();
      const waitLeft = (): number => Math.max(0, request.maxWaitMs - (Date.now() - started));
      await callOwners(
        cluster,
        storage,
        known,
        {
          what: 'fetch',
          anyNode: true,
          locate: (s) => ({ topicName: s.topic?.name ?? '', partition: s.data.partition }),
          call: async (client, located) =>
            (
              await client.fetch(
                {
                  maxWaitMs: waitLeft(),
                  minBytes: request.minBytes,
                  maxBytes: request.maxBytes,
                  partitions: located.map((l) => ({
                    topicId: topicIdToBytes(l.topic.topicId),
                    topic: l.topic.name,
                    partition: l.partition,
                    fetchOffset: l.item.data.fetchOffset,
                    partitionMaxBytes: l.item.data.partitionMaxBytes,
                    currentLeaderEpoch: l.item.data.currentLeaderEpoch,
                  })),
                },
                { timeoutMs: waitLeft() + 30_000 },
              )
            ).partitions,
          onResult: (l, r) => {
            l.item.response = {
              ...partitionResult(l.partition, r.errorCode),
              highWatermark: r.highWatermark,
              lastStableOffset: r.lastStableOffset,
              logStartOffset: r.logStartOffset,
              records: joinBatches(r.batches, r.records),
            };
          },
          onError: (s, errorCode) => {
            s.response = partitionResult(s.data.partition, errorCode);
          },
        },
        ctx.log,
      );
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: request.topics.map((t, i) => ({
          topic: t.topic,
          topicId: t.topicId,
          partitions: (perTopic[i] ?? []).map((s) => s.response),
        })),
        nodeEndpoints: [],
      };
    },
  };
}
