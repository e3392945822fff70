/**
 * Sustained acks=all produce while S3 slows, fails now and then, and then fails outright, on
 * the real stack (etcd, MinIO behind the S3 latency proxy of docs/s3-latency-model.md, the
 * three services as separate processes). Four kafkajs producers (no client retries, so every
 * outcome is seen) keep two requests of 8 x 16 KiB records in flight each. The phases:
 * 1. normal (the proxy only forwards);
 * 2. slowed: the s3-standard model's latencies;
 * 3. flaky: s3-standard, with PUTs answered 503 SlowDown, 500 InternalError, reset, or done
 *    but their answer lost, and some GETs refused with SlowDown;
 * 4. failing: every PUT answered 500;
 * 5. recovered: the proxy only forwards again.
 * Then: every acknowledged record is in the log, each partition's offsets run from 0 to its
 * high watermark without a gap, the storage node's buffered bytes never passed their bound,
 * producers saw retriable errors while PUTs failed and acknowledgements came back on their
 * own afterwards, and once the grace period has passed and the sweep has run, every object
 * left in the bucket is one an index entry names (the objects whose answers were lost and
 * whose flushes failed are gone).
 */
import { readFileSync } from 'node:fs';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type Kafka } from 'kafkajs';
import { clusterKafka, createTopic } from '../../support/cluster-kafka.js';
import { etcdGetPrefix } from '../../support/etcdctl.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startCluster,
  type Cluster,
  type ServiceProcess,
} from '../../fixtures/kafscale-cluster.js';
import { waitUntil } from '../../fixtures/processes.js';
import { withErrors } from '../../fixtures/s3-model/latency-model.js';
import { NONE, S3_STANDARD } from '../../fixtures/s3-model/presets.js';
import { startProducerLoad } from '../../support/producer-load.js';
import { sample, scrape } from '../../support/scrape-metrics.js';

const TOPIC = 's3-faults';
const PARTITIONS = 4;
const BUFFER_BYTES = 4 * 1024 * 1024;
const GRACE_MS = 10_000;
/** What no service's resident memory may reach (they start at about 150-250 MiB). */
const RSS_BOUND_BYTES = 1024 * 1024 * 1024;

const FLAKY = withErrors(
  withErrors(S3_STANDARD, { slowDown: 0.15, internalError: 0.15, reset: 0.1, lostAnswer: 0.2 }, [
    'put',
  ]),
  { slowDown: 0.1 },
  ['get'],
);
const FAILING = withErrors(NONE, { internalError: 1 }, ['put']);

let cluster: Cluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({
    s3Model: NONE,
    extra: {
      KAFSCALE_LEASE_TTL_SECONDS: '',
      KAFSCALE_STORAGE_BUFFER_BYTES: String(BUFFER_BYTES),
      KAFSCALE_OBJECT_GRACE_MS: String(GRACE_MS),
      KAFSCALE_OBJECT_SWEEP_INTERVAL_MS: '2000',
    },
  });
  kafka = clusterKafka(cluster, 's3-faults');
  await createTopic(kafka, TOPIC, PARTITIONS);
}, 120_000);

afterAll(async () => {
  await cluster.stop();
});

function storageNode(): ServiceProcess {
  const node = cluster.storage[0];
  if (node === undefined) throw new Error('no storage node');
  return node;
}

/** Four producers, two requests of 8 x 16 KiB in flight each, until stopped. */
function startLoad() {
  return startProducerLoad(kafka, {
    topic: TOPIC,
    partitions: PARTITIONS,
    producers: 4,
    lanes: 2,
    recordsPerRequest: 8,
    recordBytes: 16 * 1024,
    timeoutMs: 30_000,
  });
}

/** Largest buffered bytes of the storage node and resident memory of each service, sampled. */
function watchMemory() {
  const peaks = { buffered: 0, rss: new Map<string, number>() };
  const services = [cluster.controlplane, ...cluster.storage, cluster.edge];
  const timer = setInterval(() => {
    void scrape(storageNode().metricsPort)
      .then((text) => {
        peaks.buffered = Math.max(
          peaks.buffered,
          sample(text, 'kafscale_storage_buffered_bytes') ?? 0,
        );
      })
      .catch(() => undefined);
    for (const s of services) {
      const rss = residentBytes(s.process.pid);
      peaks.rss.set(s.kind, Math.max(peaks.rss.get(s.kind) ?? 0, rss));
    }
  }, 200);
  return {
    peaks,
    stop: () => {
      clearInterval(timer);
    },
  };
}

function residentBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every record of the topic: key per partition and offset. */
async function readAll(): Promise<Map<number, Map<bigint, string>>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(TOPIC);
  await admin.disconnect();
  const total = ends.reduce((n, o) => n + Number(o.high), 0);
  const byPartition = new Map<number, Map<bigint, string>>(
    ends.map((o) => [o.partition, new Map()]),
  );
  const consumer = kafka.consumer({ groupId: `s3-faults-reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: ({ partition, message }) => {
        byPartition.get(partition)?.set(BigInt(message.offset), message.key?.toString() ?? '');
        if (++seen >= total) resolve();
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return byPartition;
}

/** Object keys every index entry in etcd names. */
async function indexedObjects(): Promise<Set<string>> {
  const listed = await etcdGetPrefix(cluster.etcd, '/kafscale/part/');
  const named = new Set<string>();
  for (const m of listed.matchAll(/"objectKey":"([^"]+)"/g)) named.add(m[1] ?? '');
  return named;
}

async function bucketObjects(): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await cluster.minio
      .client()
      .send(new ListObjectsV2Command({ Bucket: 'kafscale', ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('S3 slowed, flaky, then failing under sustained acks=all produce', () => {
  it('loses nothing acknowledged, leaves no gap and no orphan, keeps memory bounded, recovers', async () => {
    const proxy = cluster.s3Proxy;
    if (proxy === undefined) throw new Error('no S3 proxy');
    const memory = watchMemory();
    const load = startLoad();
    const phases: [string, number, number][] = [];
    const phase = async (name: string, ms: number) => {
      const acksBefore = load.ackTimes.length;
      await pause(ms);
      phases.push([name, ms, load.ackTimes.length - acksBefore]);
    };
    await phase('normal', 3000);
    proxy.setModel(S3_STANDARD);
    await phase('slowed', 8000);
    proxy.setModel(FLAKY);
    await phase('flaky', 10_000);
    const errorsBefore = [...load.errors.values()].reduce((a, b) => a + b, 0);
    proxy.setModel(FAILING);
    const failingFrom = Date.now();
    await phase('failing', 8000);
    const errorsWhileFailing = [...load.errors.values()].reduce((a, b) => a + b, 0) - errorsBefore;
    proxy.setModel(NONE);
    const recoveredAt = Date.now();
    await waitUntil(() => load.ackTimes.some((t) => t > recoveredAt + 1000), {
      timeoutMs: 60_000,
      what: 'acknowledgements after S3 recovered',
    });
    await phase('recovered', 3000);
    await load.stop();
    memory.stop();

    console.log(
      `phases (name, ms, requests acknowledged): ${JSON.stringify(phases)}\n` +
        `acknowledged records ${load.acked.size}; errors ${JSON.stringify(Object.fromEntries(load.errors))}\n` +
        `proxy ${JSON.stringify(proxy.stats())}\n` +
        `peak buffered ${memory.peaks.buffered} bytes; peak RSS ${JSON.stringify(Object.fromEntries([...memory.peaks.rss].map(([k, v]) => [k, Math.round(v / 2 ** 20)])))} MiB`,
    );

    expect(proxy.stats().injected.lostAnswer).toBeGreaterThan(0);
    expect(errorsWhileFailing).toBeGreaterThan(0);
    expect(load.ackTimes.filter((t) => t > failingFrom + 3000 && t < recoveredAt)).toEqual([]);
    expect(memory.peaks.buffered).toBeLessThanOrEqual(BUFFER_BYTES);
    for (const [, rss] of memory.peaks.rss) expect(rss).toBeLessThan(RSS_BOUND_BYTES);

    const stored = await readAll();
    const keys = new Set([...stored.values()].flatMap((m) => [...m.values()]));
    expect([...load.acked].filter((id) => !keys.has(id))).toEqual([]);
    for (const [, offsets] of stored) {
      const sorted = [...offsets.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(sorted).toEqual(sorted.map((_, i) => BigInt(i)));
    }

    // Past the grace period, and a sweep after it: only objects the index names are left.
    const sweeps = async () =>
      sample(await scrape(storageNode().metricsPort), 'kafscale_storage_sweeps_total') ?? 0;
    await pause(GRACE_MS);
    const sweepsBefore = await sweeps();
    await waitUntil(async () => (await sweeps()) >= sweepsBefore + 2, {
      timeoutMs: 30_000,
      what: 'two sweeps after the grace period',
    });
    // Compaction may still be swapping a segment in (its object is written before the index
    // names it), so look until a listing agrees with the index; a true orphan never does.
    let orphans: string[] = [];
    await waitUntil(
      async () => {
        const objects = await bucketObjects();
        const named = await indexedObjects();
        orphans = objects.filter((key) => !named.has(key));
        return orphans.length === 0;
      },
      { timeoutMs: 30_000, intervalMs: 1000, what: 'no object the index does not name' },
    ).catch(() => undefined);
    expect(orphans).toEqual([]);
  }, 240_000);
});
