/**
 * The operations metrics of the real stack (etcd, MinIO, the three services as separate
 * processes), scraped from each process's /metrics:
 * - the controlplane replica says it leads (kafscale_controlplane_leader);
 * - kafscale_produce_rps and kafscale_fetch_rps, the edge's window set to WINDOW_SEC: a
 *   kafkajs producer sends RATE records a second (SENDS_PER_SECOND requests of
 *   RATE / SENDS_PER_SECOND records) while a kafkajs consumer tails the topic. Once the
 *   window holds nothing but load, each second the test scrapes the edge's /metrics and
 *   compares both gauges with the records the clients saw acknowledged and received over
 *   the last WINDOW_SEC seconds: within 10%.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../fixtures/kafscale-cluster.js';
import { waitUntil } from '../../fixtures/processes.js';
import { clusterKafka, createTopic } from '../../support/cluster-kafka.js';
import { sample, scrape } from '../../support/scrape-metrics.js';

const TOPIC = 'throughput';
const WINDOW_SEC = 5;
const RATE = 500;
const SENDS_PER_SECOND = 10;
/** Load before the first check: the window then holds load only. */
const WARM_UP_MS = WINDOW_SEC * 1000 + 1000;
const CHECKS = 8;
const TOLERANCE = 0.1;

let cluster: Cluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({
    extra: {
      KAFSCALE_THROUGHPUT_WINDOW_SEC: String(WINDOW_SEC),
      KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    },
  });
  kafka = clusterKafka(cluster, 'throughput-metrics');
  await createTopic(kafka, TOPIC, 1);
  const node = cluster.storage[0];
  if (node === undefined) throw new Error('no storage node');
  await waitUntil(
    async () => sample(await scrape(node.metricsPort), 'kafscale_storage_owned_partitions') === 1,
    { timeoutMs: 20_000, intervalMs: 100, what: 'the storage node to own the partition' },
  );
}, 120_000);

afterAll(async () => {
  await cluster.stop();
});

/** Times (ms) at which `count` records were seen, to count those of a recent window. */
class Arrivals {
  private readonly events: { at: number; count: number }[] = [];
  add(count: number): void {
    this.events.push({ at: Date.now(), count });
  }
  perSecondOver(windowMs: number, now = Date.now()): number {
    let n = 0;
    for (const e of this.events) if (e.at > now - windowMs && e.at <= now) n += e.count;
    return (n * 1000) / windowMs;
  }
}

function steadyProduce(producer: Producer, acked: Arrivals) {
  const perSend = RATE / SENDS_PER_SECOND;
  const messages = Array.from({ length: perSend }, (_, i) => ({ value: `record-${i}` }));
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const sent = producer
      .send({ topic: TOPIC, acks: -1, messages })
      .then(
        () => {
          acked.add(perSend);
        },
        (e: unknown) => {
          failures.push(String(e));
        },
      )
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }, 1000 / SENDS_PER_SECOND);
  return {
    failures,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}

async function tail(fetched: Arrivals): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: 'throughput-tail', maxWaitTimeInMs: 100 });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachBatch: ({ batch }) => {
      fetched.add(batch.messages.length);
      return Promise.resolve();
    },
  });
  await waitUntil(() => joined, {
    timeoutMs: 20_000,
    intervalMs: 50,
    what: 'the consumer to join',
  });
  return consumer;
}

const within = (actual: number, expected: number) =>
  Math.abs(actual - expected) <= TOLERANCE * expected;

describe('controlplane leader gauge', () => {
  it('is 1 on the one replica, which leads', async () => {
    const text = await scrape(cluster.controlplane.metricsPort);
    expect(sample(text, 'kafscale_controlplane_leader')).toBe(1);
    expect(sample(text, 'kafscale_controlplane_leader_changes_total', { event: 'elected' })).toBe(
      1,
    );
  });
});

describe('records-per-second gauges', () => {
  it('follow a steady produce and fetch rate within 10% once the window has filled', async () => {
    const acked = new Arrivals();
    const fetched = new Arrivals();
    const consumer = await tail(fetched);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const load = steadyProduce(producer, acked);
    await new Promise((r) => setTimeout(r, WARM_UP_MS));
    const rows: { produceRps: number; produced: number; fetchRps: number; received: number }[] = [];
    for (let i = 0; i < CHECKS; i++) {
      const text = await scrape(cluster.edge.metricsPort);
      rows.push({
        produceRps: sample(text, 'kafscale_produce_rps') ?? -1,
        produced: acked.perSecondOver(WINDOW_SEC * 1000),
        fetchRps: sample(text, 'kafscale_fetch_rps') ?? -1,
        received: fetched.perSecondOver(WINDOW_SEC * 1000),
      });
      await new Promise((r) => setTimeout(r, 1000));
    }
    await load.stop();
    await consumer.disconnect();
    await producer.disconnect();

    console.log(
      `window ${WINDOW_SEC} s, ${RATE} records/s sent\n` +
        'produce_rps  acked/s  fetch_rps  received/s\n' +
        rows
          .map(
            (r) =>
              `${r.produceRps.toFixed(1).padStart(11)}  ${r.produced.toFixed(1).padStart(7)}  ` +
              `${r.fetchRps.toFixed(1).padStart(9)}  ${r.received.toFixed(1).padStart(10)}`,
          )
          .join('\n'),
    );
    expect(load.failures).toEqual([]);
    for (const r of rows) {
      expect(r.produced).toBeGreaterThan(RATE / 2); // the load really ran
      expect(within(r.produceRps, r.produced), JSON.stringify(r)).toBe(true);
      expect(within(r.fetchRps, r.received), JSON.stringify(r)).toBe(true);
    }
  }, 60_000);
});
