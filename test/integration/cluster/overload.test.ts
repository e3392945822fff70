/**
 * Backpressure when the object store or etcd stalls, on the real stack (etcd, MinIO and the
 * three services as separate processes; the storage node's append buffer set to 2 MiB).
 * Eight kafkajs producers (no client retries, so every outcome is seen) keep two 256 KiB
 * requests each in flight, 4 MiB in all, twice the buffer. Then:
 * 1. MinIO is frozen (SIGSTOP) for 12 s: requests are answered with retriable errors rather
 *    than left hanging (REQUEST_TIMED_OUT among them: the node refuses appends past its
 *    buffer), and the node's buffered bytes (kafscale_storage_buffered_bytes, scraped every
 *    200 ms) never exceed the 2 MiB limit; once MinIO is resumed,
 *    acknowledgements resume with nothing restarted.
 * 2. etcd is frozen for 8 s: the same, across the lease expiry that follows.
 * Every acknowledged record is read back afterwards. Memory under overload as a figure
 * belongs to the benchmark; this test checks the limit is enforced and nothing is lost.
 */
import { type Kafka } from 'kafkajs';
import { clusterKafka, createTopic } from '../../support/cluster-kafka.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdFixture } from '../../fixtures/etcd.js';
import {
  startCluster,
  type Cluster,
  type ServiceProcess,
} from '../../fixtures/kafscale-cluster.js';
import type { MinioFixture } from '../../fixtures/minio.js';
import { startProducerLoad, type ProducerLoad } from '../../support/producer-load.js';
import { sample, scrape } from '../../support/scrape-metrics.js';

const BUFFER_BYTES = 2 * 1024 * 1024;
const TOPIC = 'overload';
let cluster: Cluster;
let etcd: EtcdFixture;
let minio: MinioFixture;
let storage: ServiceProcess;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({ extra: { KAFSCALE_STORAGE_BUFFER_BYTES: String(BUFFER_BYTES) } });
  ({ etcd, minio } = cluster);
  const [node] = cluster.storage;
  if (node === undefined) throw new Error('no storage node');
  storage = node;
  kafka = clusterKafka(cluster, 'overload', 10_000);
  await createTopic(kafka, TOPIC, 4);
}, 120_000);

afterAll(async () => {
  minio.resume();
  etcd.resume();
  await cluster.stop();
});

/** Eight producers, two requests of 8 x 32 KiB records in flight each, until stopped. */
function startLoad(tag: string): ProducerLoad {
  return startProducerLoad(kafka, {
    topic: TOPIC,
    partitions: 4,
    producers: 8,
    lanes: 2,
    recordsPerRequest: 8,
    recordBytes: 32 * 1024,
    timeoutMs: 10_000,
    tag,
  });
}

/** The node's buffered bytes, sampled every 200 ms until `stop` resolves; returns the max. */
async function maxBuffered(until: Promise<void>): Promise<number> {
  let max = 0;
  const state = { done: false };
  void until.then(() => {
    state.done = true;
  });
  while (!state.done) {
    const text = await scrape(storage.metricsPort).catch(() => '');
    max = Math.max(max, sample(text, 'kafscale_storage_buffered_bytes') ?? 0);
    await new Promise((r) => setTimeout(r, 200));
  }
  return max;
}

async function readBackKeys(): Promise<Set<string>> {
  const consumer = kafka.consumer({ groupId: `overload-reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(TOPIC);
  await admin.disconnect();
  const total = ends.reduce((n, o) => n + Number(o.high), 0);
  const keys = new Set<string>();
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: ({ message }) => {
        keys.add(message.key?.toString() ?? '');
        if (++seen >= total) resolve();
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return keys;
}

async function stall(what: 'minio' | 'etcd', ms: number) {
  const load = startLoad(what);
  await new Promise((r) => setTimeout(r, 3000));
  const before = load.acked.size;
  const target = what === 'minio' ? minio : etcd;
  target.pause();
  const pausedAt = Date.now();
  const stalled = new Promise<void>((r) => setTimeout(r, ms));
  const max = await maxBuffered(stalled);
  target.resume();
  const resumedAt = Date.now();
  // Wait for acknowledgements after the resume (the client keeps sending throughout).
  for (let i = 0; i < 300 && !load.ackTimes.some((t) => t > resumedAt + 1000); i++)
    await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 2000));
  await load.stop();
  const duringStall = load.ackTimes.filter((t) => t > pausedAt + 2000 && t < resumedAt).length;
  const afterResume = load.ackTimes.filter((t) => t > resumedAt).length;
  console.log(
    `${what} frozen ${ms} ms: acknowledged ${before} records before, ${load.acked.size} in all; ` +
      `requests acknowledged during the stall ${duringStall}, after it ${afterResume}; ` +
      `errors ${JSON.stringify(Object.fromEntries(load.errors))}; max buffered ${max} bytes`,
  );
  return { load, max, afterResume };
}

describe('a stalled object store or etcd gives backpressure, not a growing buffer', () => {
  it('MinIO frozen: retriable errors, the buffer limit holds, producing resumes', async () => {
    const { load, max, afterResume } = await stall('minio', 12_000);
    expect(max).toBeLessThanOrEqual(BUFFER_BYTES);
    expect(load.errors.get('REQUEST_TIMED_OUT')).toBeGreaterThan(0);
    expect(afterResume).toBeGreaterThan(0);
    const stored = await readBackKeys();
    expect([...load.acked].filter((id) => !stored.has(id))).toEqual([]);
  }, 180_000);

  it('etcd frozen: retriable errors, the buffer limit holds, producing resumes', async () => {
    const { load, max, afterResume } = await stall('etcd', 8_000);
    expect(max).toBeLessThanOrEqual(BUFFER_BYTES);
    expect(load.errors.size).toBeGreaterThan(0);
    expect(afterResume).toBeGreaterThan(0);
    const stored = await readBackKeys();
    expect([...load.acked].filter((id) => !stored.has(id))).toEqual([]);
  }, 180_000);
});
