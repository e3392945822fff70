/** The StorageService over a real HTTP/2 gRPC server, called with connect's gRPC transport. */
import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageService } from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import { storageService } from '../../../storage-node/src/services/storage-service.js';
import { topicIdToBytes } from '../../../lib/metadata/topic-records.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { serveGrpc, type TestGrpcServer } from '../../support/grpc-server.js';
import { batchAt, recordsOf } from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAABA';
let engine: StorageEngine;
let server: TestGrpcServer;
let client: Client<typeof StorageService>;

beforeAll(async () => {
  engine = await StorageEngine.start({
    nodeId: 'svc',
    metadata: new MemoryMetadataStore(),
    objects: new MemoryObjectStore(),
    flushIntervalMs: 5,
    flushBytes: 1 << 20,
    maxInflightFlushes: 2,
    maxBufferedBytes: 16 << 20,
    leaseTtlSeconds: 10,
    recentRunsBytes: 1 << 20,
  });
  await engine.claim(T, 0);
  server = await serveGrpc((r) => r.service(StorageService, storageService(engine)));
  client = createClient(StorageService, createGrpcTransport({ baseUrl: server.baseUrl }));
});

afterAll(async () => {
  await engine.stop();
  await server.close();
});

const part = { topicId: topicIdToBytes(T), topic: 't', partition: 0 };

describe('StorageService over gRPC', () => {
  it('appends, fetches and lists offsets', async () => {
    const appended = await client.append({
      acks: -1,
      timeoutMs: 5000,
      partitions: [
        { ...part, records: batchAt(100n, 'x', 'y'), leaderEpoch: -1 },
        { ...part, partition: 7, records: batchAt(100n, 'z'), leaderEpoch: -1 },
      ],
    });
    expect(appended.partitions.map((p) => [p.partition, p.errorCode, p.baseOffset])).toEqual([
      [0, 0, 0n],
      [7, KafkaError.NOT_LEADER_OR_FOLLOWER, -1n],
    ]);
    const fetched = await client.fetch({
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      partitions: [
        { ...part, fetchOffset: 0n, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 },
      ],
    });
    const [f] = fetched.partitions;
    expect(f?.highWatermark).toBe(2n);
    expect(f?.records.length).toBe(0);
    expect(recordsOf(f?.batches ?? []).map((r) => r.value)).toEqual(['x', 'y']);
    const listed = await client.listOffsets({
      partitions: [{ ...part, timestamp: 101n, currentLeaderEpoch: -1 }],
    });
    expect(
      listed.partitions.map((p) => [p.errorCode, p.offset, p.timestamp, p.leaderEpoch]),
    ).toEqual([[0, 1n, 101n, 1]]);
  });

  it('refuses an append at a stale leader epoch with FENCED_LEADER_EPOCH', async () => {
    const res = await client.append({
      acks: -1,
      timeoutMs: 5000,
      partitions: [{ ...part, records: batchAt(1n, 'old'), leaderEpoch: 0 }],
    });
    expect(res.partitions[0]?.errorCode).toBe(KafkaError.FENCED_LEADER_EPOCH);
  });

  it('answers INVALID_ARGUMENT naming a topic id that is not 16 bytes', async () => {
    let error: unknown;
    try {
      await client.append({
        acks: -1,
        timeoutMs: 1,
        partitions: [
          {
            topicId: new Uint8Array(3),
            topic: 't',
            partition: 0,
            records: new Uint8Array(0),
            leaderEpoch: -1,
          },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).message).toContain(
      'partitions[0]: topic_id must be 16 bytes, got 3',
    );
  });
});
