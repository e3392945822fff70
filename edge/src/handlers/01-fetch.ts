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
 * Partitions are grouped by owning storage node: one Fetch call per node, in parallel,
 * each with the request's deadline; the batches come back exactly as stored. A partition
 * with no owner, or whose owner is unknown to this edge or fails the call, is read from
 * another live storage node (committed-reader.ts), which serves its committed data from
 * the index in etcd: consumers keep reading while a partition changes hands.
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
import { committedReader } from '../routing/committed-reader.js';
import { groupByNode, type Located } from '../routing/group-by-node.js';
import type { StorageClients } from '../routing/storage-clients.js';
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
        return t.partitions.map((data): Slot => ({
          topic,
          data,
          response: partitionResult(data.partition, KafkaError.NONE),
        }));
      });
      const { byNode, unknownTopic, noOwner } = groupByNode(perTopic.flat(), (s) => ({
        topic: s.topic,
        partition: s.data.partition,
      }));
      const unknownCode = byId
        ? KafkaError.UNKNOWN_TOPIC_ID
        : KafkaError.UNKNOWN_TOPIC_OR_PARTITION;
      for (const s of unknownTopic) {
        s.response = partitionResult(
          s.data.partition,
          s.topic === undefined ? unknownCode : KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
        );
      }
      const started = Date.now();
      /** Reads `located` from one node; false when the node is unknown or the call failed. */
      const readFrom = async (
        nodeId: string,
        located: readonly Located<Slot>[],
      ): Promise<boolean> => {
        const client = storage.get(nodeId);
        if (client === undefined) return false;
        const maxWaitMs = Math.max(0, request.maxWaitMs - (Date.now() - started));
        try {
          const res = await client.fetch(
            {
              maxWaitMs,
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
            { timeoutMs: maxWaitMs + 30_000 },
          );
          located.forEach((l, i) => {
            const r = res.partitions[i];
            if (r === undefined) {
              l.item.response = partitionResult(l.partition, KafkaError.UNKNOWN_SERVER_ERROR);
              return;
            }
            l.item.response = {
              ...partitionResult(l.partition, r.errorCode),
              highWatermark: r.highWatermark,
              lastStableOffset: r.lastStableOffset,
              logStartOffset: r.logStartOffset,
              records: joinBatches(r.batches, r.records),
            };
          });
          return true;
        } catch (err) {
          ctx.log.warn({ err, nodeId }, 'fetch from storage node failed');
          return false;
        }
      };
      // Partitions whose owner is unknown, absent or failing: any other live storage node
      // serves their committed data (storage-node/src/read/replica-index.ts).
      const elsewhere: { located: Located<Slot>; avoid: string | undefined }[] = [];
      for (const s of noOwner)
        if (s.topic !== undefined)
          elsewhere.push({
            located: { item: s, topic: s.topic, partition: s.data.partition, leaderEpoch: -1 },
            avoid: undefined,
          });
      await Promise.all(
        [...byNode].map(async ([nodeId, located]) => {
          if (!(await readFrom(nodeId, located)))
            for (const l of located) elsewhere.push({ located: l, avoid: nodeId });
        }),
      );
      const byReader = new Map<string, Located<Slot>[]>();
      for (const { located, avoid } of elsewhere) {
        const reader = committedReader(
          storage.nodeIds(),
          located.topic.topicId,
          located.partition,
          avoid,
        );
        if (reader === undefined) {
          located.item.response = partitionResult(
            located.partition,
            avoid === undefined
              ? KafkaError.LEADER_NOT_AVAILABLE
              : KafkaError.NOT_LEADER_OR_FOLLOWER,
          );
          continue;
        }
        byReader.set(reader, [...(byReader.get(reader) ?? []), located]);
      }
      await Promise.all(
        [...byReader].map(async ([nodeId, located]) => {
          if (await readFrom(nodeId, located)) return;
          for (const l of located)
            l.item.response = partitionResult(l.partition, KafkaError.NOT_LEADER_OR_FOLLOWER);
        }),
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
