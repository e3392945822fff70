/**
 * Idempotent produce through a real listener (the embedded broker, in-process), with a
 * raw client that controls the bytes: InitProducerId hands out distinct ids; a retried
 * batch (same producer id, epoch and sequence) is acknowledged with the first offsets and
 * stored once; a gap in the sequence gets Kafka's error; DescribeProducers shows each
 * producer's last sequence; a transactional id is refused.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevBroker } from '../../../lib/cli/dev.js';
import { loadConfig } from '../../../lib/config/config.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  createTopicsApi,
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
  defaultFetchRequestFetchTopic,
  defaultInitProducerIdRequest,
  defaultProduceRequest,
  describeProducersApi,
  fetchApi,
  initProducerIdApi,
  produceApi,
  type CreateTopicsResponse,
  type DescribeProducersResponse,
  type FetchResponse,
  type InitProducerIdResponse,
  type ProduceResponse,
} from '../../../lib/kafka/gen/index.js';
import { buildRecordBatchSync } from '../../../lib/kafka/record-batch/build-batch.js';
import { createLogger } from '../../../lib/log/logger.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';
import { recordsOf } from '../../support/storage-harness.js';

const TOPIC = 'idempotent';
let dir: string;
let broker: DevBroker;
let client: RawKafkaClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafscale-idempotent-'));
  broker = await startDev(
    { dataDir: dir, kafkaHost: '127.0.0.1', kafkaPort: 0 },
    loadConfig({ KAFSCALE_METRICS_ADDR: '127.0.0.1:0' }),
    createLogger('test', 'silent'),
  );
  client = await RawKafkaClient.connect(broker.port);
  const created = await client.request<CreateTopicsResponse>(createTopicsApi, 5, {
    ...defaultCreateTopicsRequest(),
    timeoutMs: 10_000,
    topics: [
      {
        ...defaultCreateTopicsRequestCreatableTopic(),
        name: TOPIC,
        numPartitions: 1,
        replicationFactor: 1,
      },
    ],
  });
  expect(created.topics[0]?.errorCode).toBe(0);
}, 60_000);

afterAll(async () => {
  client.close();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
});

async function initProducerId(transactionalId: string | null = null) {
  return client.request<InitProducerIdResponse>(initProducerIdApi, 4, {
    ...defaultInitProducerIdRequest(),
    transactionalId,
    transactionTimeoutMs: 60_000,
  });
}

async function produce(producerId: bigint, epoch: number, seq: number, ...values: string[]) {
  const records = buildRecordBatchSync({
    baseTimestamp: 1_700_000_000_000n,
    producerId,
    producerEpoch: epoch,
    baseSequence: seq,
    records: values.map((v, i) => ({ key: null, value: Buffer.from(v), timestampDelta: i })),
  });
  // Retried while the new topic's partition has no owner yet, as a client would.
  for (let attempt = 0; ; attempt++) {
    const res = await client.request<ProduceResponse>(produceApi, 9, {
      ...defaultProduceRequest(),
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }],
    });
    const p = res.responses[0]?.partitionResponses[0];
    const notYetOwned =
      p?.errorCode === KafkaError.LEADER_NOT_AVAILABLE ||
      p?.errorCode === KafkaError.NOT_LEADER_OR_FOLLOWER;
    if (notYetOwned && attempt < 100) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    return { errorCode: p?.errorCode, baseOffset: p?.baseOffset };
  }
}

async function readAll(): Promise<string[]> {
  const res = await client.request<FetchResponse>(fetchApi, 12, {
    ...defaultFetchRequest(),
    maxWaitMs: 0,
    topics: [
      {
        ...defaultFetchRequestFetchTopic(),
        topic: TOPIC,
        partitions: [
          {
            ...defaultFetchRequestFetchPartition(),
            partition: 0,
            fetchOffset: 0n,
            partitionMaxBytes: 1 << 20,
          },
        ],
      },
    ],
  });
  const records = res.responses[0]?.partitions[0]?.records ?? null;
  if (records === null) return [];
  // The records field is the partition's batches back to back: 12 bytes of offset and
  // length, then `length` bytes.
  const all = Buffer.from(records);
  const batches: Buffer[] = [];
  for (let at = 0; at + 12 <= all.length;) {
    const end = at + 12 + all.readInt32BE(at + 8);
    batches.push(all.subarray(at, end));
    at = end;
  }
  return recordsOf(batches).map((r) => r.value);
}

describe('idempotent produce through the edge', () => {
  it('gives distinct producer ids with epoch 0 and refuses transactional ids', async () => {
    const a = await initProducerId();
    const b = await initProducerId();
    expect(a.errorCode).toBe(0);
    expect(a.producerEpoch).toBe(0);
    expect(b.producerId).not.toBe(a.producerId);
    expect((await initProducerId('txn-1')).errorCode).toBe(KafkaError.INVALID_REQUEST);
  });

  it('acknowledges a retried batch with the first offsets and stores it once', async () => {
    const { producerId } = await initProducerId();
    expect(await produce(producerId, 0, 0, 'a', 'b')).toEqual({ errorCode: 0, baseOffset: 0n });
    expect(await produce(producerId, 0, 0, 'a', 'b')).toEqual({ errorCode: 0, baseOffset: 0n });
    expect(await produce(producerId, 0, 2, 'c')).toEqual({ errorCode: 0, baseOffset: 2n });
    expect((await produce(producerId, 0, 9, 'gap')).errorCode).toBe(
      KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    const other = await initProducerId();
    expect(await produce(other.producerId, 0, 0, 'd')).toEqual({ errorCode: 0, baseOffset: 3n });
    expect(await readAll()).toEqual(['a', 'b', 'c', 'd']);

    const described = await client.request<DescribeProducersResponse>(describeProducersApi, 0, {
      topics: [{ name: TOPIC, partitionIndexes: [0] }],
    });
    const active = described.topics[0]?.partitions[0]?.activeProducers ?? [];
    expect(
      active
        .filter((p) => p.producerId === producerId || p.producerId === other.producerId)
        .sort((x, y) => (x.producerId < y.producerId ? -1 : 1))
        .map((p) => [p.producerId, p.producerEpoch, p.lastSequence]),
    ).toEqual([
      [producerId, 0, 2],
      [other.producerId, 0, 0],
    ]);
  });
});
