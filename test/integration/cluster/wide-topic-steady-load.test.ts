/**
 * 1,000 partitions under steady load on the real stack (etcd, MinIO, the three services as
 * separate processes, one storage node at its default flush settings): a kafkajs producer
 * (acks=all) sends RECORDS_PER_SECOND records of 1 KiB, spread round-robin over every
 * partition, for WARM_UP_MS and then WINDOWS windows of WINDOW_MS. Per window the test prints
 * the storage node's S3 PUTs per second (flush objects and compacted segments apart), GETs
 * and etcd transactions per second, and the index keys per partition read from etcd with
 * etcdctl. It checks that:
 * - one flush is one PUT, however many partitions it carries (PUTs = flushes + segments +
 *   hedged flush PUTs);
 * - the PUT rate stays flat from window to window (within a factor of MAX_RATE_SPREAD)
 *   while the partitions' logs keep growing;
 * - compaction keeps every partition's index keys at most KEYS_BOUND
 *   (KAFSCALE_COMPACTION_MIN_RUNS is set to MIN_RUNS so that the bound is reached within the
 *   run: each partition gets several times MIN_RUNS entries);
 * - every acknowledged record is in the log (the high watermarks add up to the acks).
 */
import { type Kafka, type Producer } from 'kafkajs';
import { clusterKafka, createTopic } from '../../support/cluster-kafka.js';
import { etcdGetPrefix, topicIdOf } from '../../support/etcdctl.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../fixtures/kafscale-cluster.js';
import { waitUntil } from '../../fixtures/processes.js';
import { sample, scrape } from '../../support/scrape-metrics.js';
import { diffCounters, readCounters, type StoreCounters } from '../../support/store-counters.js';

const TOPIC = 'wide';
const PARTITIONS = 1000;
const RECORDS_PER_SECOND = 1000;
const SENDS_PER_SECOND = 10;
const WARM_UP_MS = 15_000;
const WINDOW_MS = 20_000;
const WINDOWS = 4;
const MIN_RUNS = 16;
/**
 * compaction-plan.ts keeps a partition near MIN_RUNS x (merge levels) entries; with at most
 * a few hundred entries per partition that is two levels, plus the entries that arrived
 * since the last pass.
 */
const KEYS_BOUND = 3 * MIN_RUNS;
const MAX_RATE_SPREAD = 3;
/** KAFSCALE_FLUSH_MAX_INFLIGHT plus KAFSCALE_COMPACTION_CONCURRENCY, both at their defaults. */
const PUTS_IN_FLIGHT = 4 + 4;

let cluster: Cluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({
    extra: {
      // The services' own defaults for flushing and leases (the fixture's are for speed).
      KAFSCALE_FLUSH_INTERVAL_MS: '',
      KAFSCALE_LEASE_TTL_SECONDS: '',
      KAFSCALE_COMPACTION_MIN_RUNS: String(MIN_RUNS),
      KAFSCALE_COMPACTION_INTERVAL_MS: '2000',
    },
  });
  kafka = clusterKafka(cluster, 'wide-topic');
  await createTopic(kafka, TOPIC, PARTITIONS);
  // The storage node claims the new partitions in the background; load starts once it owns
  // them all (a produce before that is refused with NOT_LEADER_OR_FOLLOWER, which clients retry).
  const node = cluster.storage[0];
  if (node === undefined) throw new Error('no storage node');
  await waitUntil(
    async () =>
      sample(await scrape(node.metricsPort), 'kafscale_storage_owned_partitions') === PARTITIONS,
    {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: `the storage node to own ${PARTITIONS} partitions`,
    },
  );
}, 120_000);

afterAll(async () => {
  await cluster.stop();
});

/** Sends SENDS_PER_SECOND requests a second, each to the next slice of partitions. */
function steadyLoad(producer: Producer) {
  const perSend = RECORDS_PER_SECOND / SENDS_PER_SECOND;
  const value = Buffer.alloc(1024, 7);
  let next = 0;
  let acked = 0;
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const messages = Array.from({ length: perSend }, () => ({
      partition: next++ % PARTITIONS,
      value,
    }));
    const sent = producer
      .send({ topic: TOPIC, acks: -1, messages })
      .then(
        () => {
          acked += messages.length;
        },
        (e: unknown) => {
          const cause = (e as { cause?: { type?: string } }).cause;
          failures.push(`${String(e)}${cause?.type ? ` (${cause.type})` : ''}`);
        },
      )
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }, 1000 / SENDS_PER_SECOND);
  return {
    acked: () => acked,
    failures,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}

/** Index keys per partition of the topic, from etcd (keys only). */
async function indexKeysPerPartition(): Promise<number[]> {
  const topicId = await topicIdOf(cluster.etcd, TOPIC);
  const listed = await etcdGetPrefix(cluster.etcd, `/kafscale/part/${topicId}/`, {
    keysOnly: true,
  });
  const counts = new Array<number>(PARTITIONS).fill(0);
  for (const key of listed.split('\n')) {
    const m = /\/part\/[^/]+\/(\d+)\/idx\//.exec(key);
    if (m) counts[Number(m[1])] = (counts[Number(m[1])] ?? 0) + 1;
  }
  return counts.sort((a, b) => a - b);
}

const perSecond = (n: number, ms: number) => (n * 1000) / ms;

describe('1,000 partitions under steady load', () => {
  it('keep PUTs per second flat and index keys per partition bounded', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const load = steadyLoad(producer);
    await new Promise((r) => setTimeout(r, WARM_UP_MS));
    const rows: {
      d: StoreCounters;
      ms: number;
      acked: number;
      keys: number[];
    }[] = [];
    let before = await readCounters(cluster.storage);
    let ackedBefore = load.acked();
    for (let w = 0; w < WINDOWS; w++) {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const after = await readCounters(cluster.storage);
      const ms = Date.now() - start;
      const keys = await indexKeysPerPartition();
      rows.push({ d: diffCounters(after, before), ms, acked: load.acked() - ackedBefore, keys });
      before = after;
      ackedBefore = load.acked();
    }
    await load.stop();
    await producer.disconnect();

    console.log(
      `${PARTITIONS} partitions, ${RECORDS_PER_SECOND} records/s of 1 KiB, compaction at ${MIN_RUNS} runs\n` +
        'window  acked/s  flush PUT/s  segment PUT/s  GET/s  etcd txn/s  idx keys/partition (median, max)\n' +
        rows
          .map(
            (r, i) =>
              `${i + 1}       ${perSecond(r.acked, r.ms).toFixed(0).padStart(7)}  ` +
              `${perSecond(r.d.flushes, r.ms).toFixed(1).padStart(11)}  ` +
              `${perSecond(r.d.compactions, r.ms).toFixed(1).padStart(13)}  ` +
              `${perSecond(r.d.s3Gets, r.ms).toFixed(1).padStart(5)}  ` +
              `${perSecond(r.d.etcdTxns, r.ms).toFixed(1).padStart(10)}  ` +
              `${r.keys[PARTITIONS / 2]}, ${r.keys.at(-1)}`,
          )
          .join('\n'),
    );

    expect(load.failures).toEqual([]);
    // One object per flush, whatever the number of partitions it carries, plus the second
    // PUT of each hedged flush (up to the PUTs in flight while the counters were read: a PUT
    // is counted before its flush or merge is).
    const sum = (f: (d: StoreCounters) => number) => rows.reduce((n, r) => n + f(r.d), 0);
    expect(
      Math.abs(sum((d) => d.s3Puts) - sum((d) => d.flushes + d.compactions + d.hedgedPuts)),
    ).toBeLessThanOrEqual(PUTS_IN_FLIGHT);
    for (const r of rows) expect(r.keys.at(-1)).toBeLessThanOrEqual(KEYS_BOUND);
    const rates = rows.map((r) => perSecond(r.d.s3Puts, r.ms));
    expect(Math.max(...rates)).toBeLessThanOrEqual(MAX_RATE_SPREAD * Math.min(...rates));
    expect(rows.reduce((n, r) => n + r.d.compactions, 0)).toBeGreaterThan(PARTITIONS);

    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(TOPIC);
    await admin.disconnect();
    expect(ends.reduce((n, o) => n + Number(o.high), 0)).toBe(load.acked());
    // Compaction did the bounding: each record went out in its own batch (a request carries
    // a partition at most once), so every partition got at least as many index entries as
    // records, half as many again as the bound at least.
    expect(Math.min(...ends.map((o) => Number(o.high)))).toBeGreaterThan((3 * KEYS_BOUND) / 2);
  }, 300_000);
});
