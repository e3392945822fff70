/**
 * Requests pipelined on one append stream keep their order: over a real HTTP/2 gRPC
 * connection, 200 appends sent without waiting get offsets in the order they were sent.
 * (Separate unary calls do not guarantee that: a later small request can be read first.)
 */
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppendChannel } from '../../../../edge/src/routing/append-channel.js';
import { StorageService } from '../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import { storageService } from '../../../../storage-node/src/services/storage-service.js';
import { topicIdToBytes } from '../../../../lib/metadata/topic-records.js';
import { StorageEngine } from '../../../../storage-node/src/storage-engine.js';
import { serveGrpc, type TestGrpcServer } from '../../../support/grpc-server.js';
import { batchOf } from '../../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAABg';
let engine: StorageEngine;
let server: TestGrpcServer;

beforeAll(async () => {
  engine = await StorageEngine.start({
    nodeId: 'order',
    metadata: new MemoryMetadataStore(),
    objects: new MemoryObjectStore(),
    flushIntervalMs: 2,
    flushBytes: 1 << 20,
    maxInflightFlushes: 4,
    maxBufferedBytes: 64 << 20,
    leaseTtlSeconds: 10,
    recentRunsBytes: 1 << 20,
  });
  await engine.claim(T, 0);
  server = await serveGrpc((r) => r.service(StorageService, storageService(engine)));
});

afterAll(async () => {
  await engine.stop();
  await server.close();
});

it('assigns offsets in the order requests were sent on the stream', async () => {
  const channel = new AppendChannel(
    createClient(StorageService, createGrpcTransport({ baseUrl: server.baseUrl })),
  );
  // Sizes vary so that a later, smaller request would overtake an earlier large one if
  // requests were read independently.
  const answers = Array.from({ length: 200 }, (_, i) =>
    channel.append(
      {
        acks: -1,
        timeoutMs: 10_000,
        partitions: [
          {
            topicId: topicIdToBytes(T),
            topic: 't',
            partition: 0,
            records: batchOf('x'.repeat(i % 2 === 0 ? 20_000 : 10)),
            leaderEpoch: -1,
          },
        ],
      },
      10_000,
    ),
  );
  const offsets = (await Promise.all(answers)).map((r) => r.partitions[0]?.baseOffset);
  expect(offsets).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)));
  channel.close();
});
