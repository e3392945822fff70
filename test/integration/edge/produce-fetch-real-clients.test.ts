/**
 * The produce and consume path end to end with real clients: kafkajs produces (gzip,
 * headers, null keys) and kcat (librdkafka) consumes, through an edge that calls a storage
 * node over gRPC (HTTP/2), which commits to a real etcd and a real MinIO. The topics are
 * given to the edge as a fixed view (the controlplane's watch is not wired in yet).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticClusterView } from '../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../edge/src/edge.js';
import { FixedStorageClients } from '../../../edge/src/routing/storage-clients.js';
import { startKafkaServer, type KafkaServer } from '../../../edge/src/server/kafka-server.js';
import { StorageService } from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { EtcdMetadataStore } from '../../../lib/stores/etcd/etcd-metadata-store.js';
import { S3ObjectStore } from '../../../lib/stores/s3/s3-object-store.js';
import { storageService } from '../../../storage-node/src/services/storage-service.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';
import { serveGrpc, type TestGrpcServer } from '../../support/grpc-server.js';
import { kcatConsume } from '../../support/kcat.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';
import { batchOf } from '../../support/storage-harness.js';
import {
  defaultProduceRequest,
  produceApi,
  type ProduceResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';

const run = promisify(execFile);
const ORDERS = { name: 'orders', topicId: 'b3JkZXJzLXRvcGljLWlkAA', partitions: 3 };
const EVENTS = { name: 'events', topicId: 'ZXZlbnRzLXRvcGljLWlkAA', partitions: 1 };

let etcd: EtcdFixture;
let minio: MinioFixture;
let metadata: EtcdMetadataStore;
let engine: StorageEngine;
let grpc: TestGrpcServer;
let edge: KafkaServer;

beforeAll(async () => {
  [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('kafscale');
  metadata = await EtcdMetadataStore.connect({ endpoints: etcd.endpoints });
  engine = await StorageEngine.start({
    nodeId: 'storage-1',
    metadata,
    objects: new S3ObjectStore({
      bucket: 'kafscale',
      region: minio.region,
      endpoint: minio.endpoint,
      forcePathStyle: true,
      accessKeyId: minio.accessKey,
      secretAccessKey: minio.secretKey,
    }),
    flushIntervalMs: 10,
    flushBytes: 4 << 20,
    maxInflightFlushes: 4,
    maxBufferedBytes: 64 << 20,
    leaseTtlSeconds: 10,
    recentRunsBytes: 16 << 20,
  });
  const self = { nodeId: 1, host: '127.0.0.1', port: 0, rack: null };
  const view = new StaticClusterView('e2e', self);
  for (const t of [ORDERS, EVENTS]) {
    const partitions = [];
    for (let p = 0; p < t.partitions; p++) {
      const claim = await engine.claim(t.topicId, p);
      if (claim.kind !== 'claimed') throw new Error('claim failed');
      partitions.push({ index: p, storageNodeId: 'storage-1', leaderEpoch: claim.log.epoch });
    }
    view.setTopic({ name: t.name, topicId: t.topicId, partitions, configs: {} });
  }
  grpc = await serveGrpc((r) => r.service(StorageService, storageService(engine)));
  const client = createClient(StorageService, createGrpcTransport({ baseUrl: grpc.baseUrl }));
  edge = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    buildRegistry({
      cluster: view,
      storage: new FixedStorageClients(new Map([['storage-1', client]])),
    }),
    { maxRequestBytes: 8 << 20, inflightBytes: 64 << 20 },
    pino({ level: 'silent' }),
  );
  self.port = edge.port;
});

afterAll(async () => {
  await edge.close();
  await grpc.close();
  await engine.stop();
  await metadata.close();
  await Promise.all([etcd.stop(), minio.stop()]);
});

function consumeLines(topic: string, partition: number, count: number): Promise<string[]> {
  return kcatConsume(edge.port, topic, partition, count, '%o|%k|%s|%h\\n');
}

describe('produce with kafkajs, consume with kcat, through edge, storage node, etcd and MinIO', () => {
  it('reads back exactly what was acknowledged, in order, with contiguous offsets', async () => {
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${edge.port}`],
      clientId: 'e2e',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const perPartition = new Map<number, string[]>();
    for (let round = 0; round < 20; round++) {
      const messages = Array.from({ length: 30 }, (_, i) => {
        const n = round * 30 + i;
        const partition = n % ORDERS.partitions;
        const line = `${n % 7 === 0 ? '' : `k${n}`}|v${n}|h=${n}`;
        perPartition.set(partition, [...(perPartition.get(partition) ?? []), line]);
        return {
          partition,
          key: n % 7 === 0 ? null : `k${n}`,
          value: `v${n}`,
          headers: { h: String(n) },
        };
      });
      const acks = await producer.send({
        topic: ORDERS.name,
        acks: -1,
        compression: round % 2 === 0 ? CompressionTypes.GZIP : CompressionTypes.None,
        messages,
      });
      expect(acks.every((a) => a.errorCode === 0)).toBe(true);
    }
    await producer.send({ topic: EVENTS.name, messages: [{ value: 'only-event' }] });
    await producer.disconnect();

    for (let p = 0; p < ORDERS.partitions; p++) {
      const expected = perPartition.get(p) ?? [];
      const lines = await consumeLines(ORDERS.name, p, expected.length);
      expect(lines).toEqual(expected.map((l, i) => `${i}|${l}`));
    }
    expect(await consumeLines(EVENTS.name, 0, 1)).toEqual(['0||only-event|']);

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(ORDERS.name);
    expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
      [0, '0', '200'],
      [1, '0', '200'],
      [2, '0', '200'],
    ]);
    await admin.disconnect();
  });

  it('answers an unknown topic with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const { stderr } = await run(
      'kcat',
      [
        '-C',
        '-b',
        `127.0.0.1:${edge.port}`,
        '-t',
        'nope',
        '-p',
        '0',
        '-o',
        'beginning',
        '-c',
        '1',
        '-e',
      ],
      { timeout: 30_000 },
    ).catch((e: unknown) => ({ stderr: String((e as { stderr?: unknown }).stderr) }));
    expect(stderr).toMatch(/Unknown topic or partition|UNKNOWN_TOPIC/i);
  });

  it('refuses corrupt and legacy batches with the Kafka error, writes nothing, and keeps serving', async () => {
    const client = await RawKafkaClient.connect(edge.port);
    const good = batchOf('fine');
    const corrupt = batchOf('bit-flipped');
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0x40, corrupt.length - 1);
    const legacy = batchOf('magic-one');
    legacy.writeInt8(1, 16);
    const produce = (records: Buffer) =>
      client.request<ProduceResponse>(produceApi, 9, {
        ...defaultProduceRequest(),
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: EVENTS.name, partitionData: [{ index: 0, records }] }],
      });
    const before = await engine.listOffsets([
      { topicId: EVENTS.topicId, partition: 0, timestamp: -1n },
    ]);
    expect((await produce(corrupt)).responses[0]?.partitionResponses[0]?.errorCode).toBe(
      KafkaError.CORRUPT_MESSAGE,
    );
    expect((await produce(legacy)).responses[0]?.partitionResponses[0]?.errorCode).toBe(
      KafkaError.INVALID_RECORD,
    );
    const after = await engine.listOffsets([
      { topicId: EVENTS.topicId, partition: 0, timestamp: -1n },
    ]);
    expect(after[0]?.offset).toBe(before[0]?.offset);
    // The same connection still works.
    expect((await produce(good)).responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    // An oversized frame closes that connection only.
    const hostile = await RawKafkaClient.connect(edge.port);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(0x7ffffff0);
    hostile.write(prefix);
    await hostile.closed;
    expect((await produce(good)).responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    client.close();
  });
});
