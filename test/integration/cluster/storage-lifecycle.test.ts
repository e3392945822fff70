/**
 * The storage lifecycle on the real stack (etcd, MinIO, controlplane, storage node and edge
 * as separate processes; retention checked every 200 ms, the sweep every 300 ms, a 500 ms
 * grace period), driven by real clients:
 * - retention.ms (set with kafkajs' admin, AlterConfigs): 50 records an hour old, then 50
 *   fresh ones; after retention.ms=60000 the earliest offset becomes 50, kafkajs and kcat
 *   read exactly the 50 fresh records from the beginning, and the object holding only the
 *   old run is deleted from MinIO while the fresh one's stays;
 * - retention.bytes trims the oldest runs to the limit;
 * - DeleteRecords (kafkajs admin) deletes the objects below the new start;
 * - DeleteTopics removes the topic's partition keys, objects and deletion record; the topic
 *   created again under the same name (a new topic id) is empty;
 * - compaction (a window of six runs, checked every 300 ms): of twelve small runs, at least
 *   the first six end in a segment under seg/, the replaced flush objects are deleted, and
 *   kcat reads all 120 records in order.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/metadata/keys.js';
import { decodeIndexEntry } from '../../../lib/metadata/partition-records.js';
import { decodeTopicRecord } from '../../../lib/metadata/topic-records.js';
import { EtcdMetadataStore } from '../../../lib/stores/etcd/etcd-metadata-store.js';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import { startService, type ServiceProcess } from '../../fixtures/kafscale-cluster.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';
import { kcatConsume } from '../../support/kcat.js';

const BUCKET = 'kafscale';
let etcd: EtcdFixture;
let minio: MinioFixture;
let metadata: EtcdMetadataStore;
const services: ServiceProcess[] = [];
let edge: ServiceProcess;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket(BUCKET);
  const env = {
    etcd,
    minio,
    bucket: BUCKET,
    extra: {
      KAFSCALE_RETENTION_CHECK_INTERVAL_MS: '200',
      KAFSCALE_OBJECT_SWEEP_INTERVAL_MS: '300',
      KAFSCALE_OBJECT_GRACE_MS: '500',
      // Six runs make a window: the other scenarios write fewer per partition.
      KAFSCALE_COMPACTION_INTERVAL_MS: '300',
      KAFSCALE_COMPACTION_MIN_RUNS: '6',
    },
  };
  services.push(await startService('controlplane', env));
  services.push(await startService('storage-node', env));
  edge = await startService('edge', env);
  services.push(edge);
  metadata = await EtcdMetadataStore.connect({ endpoints: etcd.endpoints });
  kafka = new Kafka({
    brokers: [`127.0.0.1:${edge.port}`],
    clientId: 'storage-lifecycle',
    logLevel: logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  admin = kafka.admin();
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await admin.disconnect();
  await metadata.close();
  await Promise.all(services.map((s) => s.process.stop()));
  await Promise.all([etcd.stop(), minio.stop()]);
});

async function topicId(name: string): Promise<string> {
  const kv = await metadata.get(keys.topic(name));
  if (kv === undefined) throw new Error(`no topic ${name}`);
  return decodeTopicRecord(kv.key, kv.value).topicId;
}

/** Each committed run of a partition: its offsets and object. */
async function runs(name: string, partition = 0) {
  const id = await topicId(name);
  const { kvs } = await metadata.list(keys.indexPrefix(id, partition));
  return kvs.map((kv) => decodeIndexEntry(kv.key, kv.value));
}

async function exists(objectKey: string): Promise<boolean> {
  try {
    await minio.client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: objectKey }));
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: still ${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

const earliest = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic)).map((p) => Number(p.low));

async function produce(topic: string, count: number, timestamp: number, tag: string) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({
      partition: 0,
      value: `${tag}-${i}`,
      timestamp: String(timestamp),
    })),
  });
  await producer.disconnect();
}

async function setConfigs(topic: string, entries: { name: string; value: string }[]) {
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: entries }],
  });
}

describe('retention, DeleteRecords and DeleteTopics delete data', () => {
  it('retention.ms: expired runs go, readers start at the new log start, their objects are deleted', async () => {
    const topic = 'lifecycle-retention-ms';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await produce(topic, 50, Date.now() - 3_600_000, 'old');
    await produce(topic, 50, Date.now(), 'fresh');
    const before = await runs(topic);
    expect(before.map((r) => [r.baseOffset, r.lastOffset])).toEqual([
      [0n, 49n],
      [50n, 99n],
    ]);
    const [oldRun, freshRun] = before;

    await setConfigs(topic, [{ name: 'retention.ms', value: '60000' }]);
    expect(
      await waitFor(
        'earliest offset',
        () => earliest(topic),
        (e) => e[0] === 50,
      ),
    ).toEqual([50]);
    await waitFor(
      'old object deleted',
      () => exists(oldRun?.objectKey ?? ''),
      (e) => !e,
    );
    expect(await exists(freshRun?.objectKey ?? '')).toBe(true);
    expect((await runs(topic)).map((r) => r.baseOffset)).toEqual([50n]);

    const lines = await kcatConsume(edge.port, topic, 0, 1000);
    expect(lines).toHaveLength(50);
    expect(lines[0]).toBe('50 fresh-0');
    expect(lines.at(-1)).toBe('99 fresh-49');

    const consumer = kafka.consumer({ groupId: 'lifecycle-retention-reader' });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const offsets: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          offsets.push(message.offset);
          if (message.offset === '99') resolve();
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(offsets[0]).toBe('50');
    expect(offsets).toHaveLength(50);
  }, 90_000);

  it('retention.bytes keeps the newest runs within the limit', async () => {
    const topic = 'lifecycle-retention-bytes';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    for (let i = 0; i < 4; i++) await produce(topic, 10, Date.now(), `r${i}`);
    const [first, second] = await runs(topic);
    // Keeps the last two of four equal-sized runs.
    await setConfigs(topic, [{ name: 'retention.bytes', value: String((first?.length ?? 0) * 2) }]);
    expect(
      await waitFor(
        'earliest offset',
        () => earliest(topic),
        (e) => e[0] === 20,
      ),
    ).toEqual([20]);
    await waitFor(
      'trimmed objects deleted',
      async () => (await exists(first?.objectKey ?? '')) || (await exists(second?.objectKey ?? '')),
      (e) => !e,
    );
  }, 60_000);

  it('DeleteRecords deletes the objects below the new log start', async () => {
    const topic = 'lifecycle-delete-records';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    for (let i = 0; i < 3; i++) await produce(topic, 10, Date.now(), `d${i}`);
    const [first, second, third] = await runs(topic);
    // kafkajs' admin finds the partition's leader in its own metadata: refresh it first.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '20' }] });
    expect(await earliest(topic)).toEqual([20]);
    await waitFor(
      'objects below 20 deleted',
      async () => [await exists(first?.objectKey ?? ''), await exists(second?.objectKey ?? '')],
      (e) => e.every((x) => !x),
    );
    expect(await exists(third?.objectKey ?? '')).toBe(true);
  }, 60_000);

  it("DeleteTopics deletes the topic's keys and objects; the same name created again is empty", async () => {
    const topic = 'lifecycle-delete-topic';
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 5; i++) {
      await producer.send({
        topic,
        acks: -1,
        messages: [0, 1].map((partition) => ({ partition, value: `t${i}-${partition}` })),
      });
    }
    await producer.disconnect();
    const id = await topicId(topic);
    const objectKeys = [...(await runs(topic, 0)), ...(await runs(topic, 1))].map(
      (r) => r.objectKey,
    );
    expect(objectKeys.length).toBeGreaterThanOrEqual(5);

    await admin.deleteTopics({ topics: [topic] });
    await waitFor(
      'partition keys deleted',
      async () => (await metadata.list(keys.topicPartitionsPrefix(id))).kvs.length,
      (n) => n === 0,
    );
    await waitFor(
      'deletion record finished',
      async () => (await metadata.get(keys.deletedTopic(id))) !== undefined,
      (left) => !left,
    );
    // The topic's record goes once its keys are gone; the objects follow in the same sweep
    // pass (those younger than the grace period at the first pass wait for the record sweep).
    await waitFor(
      "the topic's objects deleted",
      async () => {
        const left: string[] = [];
        for (const key of new Set(objectKeys)) if (await exists(key)) left.push(key);
        return left;
      },
      (left) => left.length === 0,
    );

    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    expect(await topicId(topic)).not.toBe(id);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => [o.low, o.high])).toEqual([
      ['0', '0'],
      ['0', '0'],
    ]);
    expect(await kcatConsume(edge.port, topic, 0, 10)).toEqual([]);
  }, 60_000);

  it('compaction merges small runs into one segment; readers see the same records', async () => {
    const topic = 'lifecycle-compaction';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    for (let i = 0; i < 12; i++) await produce(topic, 10, Date.now(), `c${i}`);
    const flushObjects = [...new Set((await runs(topic)).map((r) => r.objectKey))];
    // Compaction may run while the runs arrive: whatever the timing, a first window of at
    // least six runs merges into a segment; runs after it wait for six more.
    const merged = await waitFor(
      'the runs merged',
      () => runs(topic),
      (rs) => rs[0]?.objectKey.startsWith('seg/') === true && rs.length <= 12 - 5,
    );
    expect(merged[0]).toMatchObject({ baseOffset: 0n });
    expect(merged[0]?.batchCount).toBeGreaterThanOrEqual(6);
    expect(merged.at(-1)?.lastOffset).toBe(119n);
    expect(merged.reduce((n, r) => n + r.batchCount, 0)).toBe(12);
    expect(await exists(merged[0]?.objectKey ?? '')).toBe(true);
    const replaced = flushObjects.filter((k) => !merged.some((r) => r.objectKey === k));
    await waitFor(
      'replaced flush objects deleted',
      async () => (await Promise.all(replaced.map(exists))).filter(Boolean).length,
      (n) => n === 0,
    );
    const lines = await kcatConsume(edge.port, topic, 0, 1000);
    expect(lines).toEqual(
      Array.from({ length: 120 }, (_, i) => `${i} c${Math.floor(i / 10)}-${i % 10}`),
    );
  }, 60_000);
});
