/**
 * Fetch reads a partition from another live storage node when its owner is absent, unknown
 * to the edge or failing (that node serves committed data from the index in etcd); with no
 * node left to ask, the partition gets the retriable error a Kafka client refreshes on.
 */
import { create } from '@bufbuild/protobuf';
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StaticClusterView, type TopicView } from '../../../../edge/src/cluster-view.js';
import { fetchHandler } from '../../../../edge/src/handlers/01-fetch.js';
import {
  FixedStorageClients,
  type StorageClient,
} from '../../../../edge/src/routing/storage-clients.js';
import {
  FetchPartitionResultSchema,
  FetchResponseSchema,
  StorageService,
} from '../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
  defaultFetchRequestFetchTopic,
} from '../../../../lib/kafka/gen/index.js';

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAABQ';

/** A storage node that answers every partition with one "batch" naming itself, or fails. */
function node(name: string, fails = false): StorageClient {
  return createClient(
    StorageService,
    createRouterTransport(({ service }) => {
      service(StorageService, {
        fetch(req) {
          if (fails) throw new Error(`${name} is down`);
          return create(FetchResponseSchema, {
            partitions: req.partitions.map((p) =>
              create(FetchPartitionResultSchema, {
                partition: p.partition,
                highWatermark: 1n,
                batches: [Buffer.from(name)],
              }),
            ),
          });
        },
      });
    }),
  );
}

function cluster(owners: readonly (string | undefined)[]): StaticClusterView {
  const topic: TopicView = {
    name: 't',
    topicId: TOPIC_ID,
    configs: {},
    partitions: owners.map((storageNodeId, index) => ({ index, storageNodeId, leaderEpoch: 0 })),
  };
  return new StaticClusterView('c', { nodeId: 0, host: 'h', port: 9092, rack: null }, [topic]);
}

async function fetchAll(view: StaticClusterView, nodes: Record<string, StorageClient>) {
  const storage = new FixedStorageClients(new Map(Object.entries(nodes)));
  const partitions = view.topic('t')?.partitions ?? [];
  const res = await fetchHandler(view, storage).handle(
    {
      ...defaultFetchRequest(),
      maxWaitMs: 0,
      maxBytes: 1 << 20,
      topics: [
        {
          ...defaultFetchRequestFetchTopic(),
          topic: 't',
          partitions: partitions.map((p) => ({
            ...defaultFetchRequestFetchPartition(),
            partition: p.index,
            partitionMaxBytes: 1 << 20,
          })),
        },
      ],
    },
    {
      apiVersion: 12,
      correlationId: 1,
      clientId: 'x',
      clientHost: '127.0.0.1',
      log: pino({ level: 'silent' }),
    },
  );
  return (res?.responses[0]?.partitions ?? []).map((p) => ({
    errorCode: p.errorCode,
    from: Buffer.from(p.records ?? new Uint8Array()).toString(),
  }));
}

describe('Fetch when the owner cannot answer', () => {
  it('reads unowned partitions and those of an unknown owner from a live node', async () => {
    const answers = await fetchAll(cluster(['gone', undefined, 'alive']), { alive: node('alive') });
    expect(answers).toEqual([
      { errorCode: 0, from: 'alive' },
      { errorCode: 0, from: 'alive' },
      { errorCode: 0, from: 'alive' },
    ]);
  });

  it('reads the partitions of a failing owner from another node', async () => {
    const answers = await fetchAll(cluster(['failing', 'failing']), {
      failing: node('failing', true),
      alive: node('alive'),
    });
    expect(answers).toEqual([
      { errorCode: 0, from: 'alive' },
      { errorCode: 0, from: 'alive' },
    ]);
  });

  it('answers retriable errors when no other node can read', async () => {
    expect(await fetchAll(cluster(['failing']), { failing: node('failing', true) })).toEqual([
      { errorCode: KafkaError.NOT_LEADER_OR_FOLLOWER, from: '' },
    ]);
    expect(await fetchAll(cluster([undefined]), {})).toEqual([
      { errorCode: KafkaError.LEADER_NOT_AVAILABLE, from: '' },
    ]);
  });
});
