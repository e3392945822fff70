/**
 * Kafscale as separate processes over real etcd and MinIO: a controlplane, two storage
 * nodes and two edges. A topic created through one edge is served by both; records
 * produced through one edge are consumed through the other. Then the storage node that
 * owns a partition is killed with SIGKILL during a sustained acks=all produce: every
 * acknowledged record is read back exactly once, in order, and producing resumes on the
 * surviving node once the dead node's lease expires.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import {
  startService,
  type ClusterEnv,
  type ServiceProcess,
} from '../../fixtures/kafscale-cluster.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';
import { etcdGet, partitionOwnerId } from '../../support/etcdctl.js';
import { kcatConsume } from '../../support/kcat.js';
import { httpGet, sample, scrape } from '../../support/scrape-metrics.js';

let etcd: EtcdFixture;
let minio: MinioFixture;
let env: ClusterEnv;
const services: ServiceProcess[] = [];
let edges: ServiceProcess[] = [];
let storage: ServiceProcess[] = [];
let controlplanes: ServiceProcess[] = [];

beforeAll(async () => {
  [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('kafscale');
  env = { etcd, minio, bucket: 'kafscale' };
  controlplanes = [await startService('controlplane', env)];
  controlplanes.push(await startService('controlplane', env));
  services.push(...controlplanes);
  storage = await Promise.all([
    startService('storage-node', env),
    startService('storage-node', env),
  ]);
  edges = await Promise.all([startService('edge', env), startService('edge', env)]);
  services.push(...storage, ...edges);
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.process.stop()));
  await Promise.all([etcd.stop(), minio.stop()]);
});

function client(...via: ServiceProcess[]): Kafka {
  return new Kafka({
    brokers: via.map((e) => `127.0.0.1:${e.port}`),
    clientId: 'multi-process',
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

function consume(
  edge: ServiceProcess,
  topic: string,
  partition: number,
  count: number,
): Promise<string[]> {
  return kcatConsume(edge.port, topic, partition, count);
}

/** The storage-node process that owns a partition now (from its claim in etcd). */
async function ownerOf(topic: string, partition: number): Promise<ServiceProcess> {
  const owner = await partitionOwnerId(etcd, topic, partition);
  const node = storage.find((s) => s.banner.includes(`storage node ${owner} `));
  if (node === undefined) throw new Error(`no storage process for owner ${owner}`);
  return node;
}

describe('separate processes', () => {
  it('serve a topic through either edge: produce through one, consume through the other', async () => {
    const [e1, e2] = edges;
    if (e1 === undefined || e2 === undefined) throw new Error('edges missing');
    const admin = client(e1).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'spread', numPartitions: 4 }],
      waitForLeaders: true,
    });
    const meta = await admin.fetchTopicMetadata({ topics: ['spread'] });
    await admin.disconnect();
    expect(meta.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);

    const producer = client(e1).producer();
    await producer.connect();
    for (let p = 0; p < 4; p++) {
      await producer.send({
        topic: 'spread',
        acks: -1,
        messages: Array.from({ length: 25 }, (_, i) => ({ partition: p, value: `p${p}-${i}` })),
      });
    }
    await producer.disconnect();
    for (let p = 0; p < 4; p++) {
      expect(await consume(e2, 'spread', p, 25)).toEqual(
        Array.from({ length: 25 }, (_, i) => `${i} p${p}-${i}`),
      );
    }

    // Each process counts what it did, and reports ready. Partition leadership is spread
    // over the edges, so the four produce requests are counted on both together.
    let produces = 0;
    for (const edge of edges) {
      produces +=
        sample(await scrape(edge.metricsPort), 'kafscale_kafka_requests_total', {
          api: 'Produce',
          version: '7',
        }) ?? 0;
    }
    expect(produces).toBe(4);
    let flushes = 0;
    let puts = 0;
    for (const node of storage) {
      const text = await scrape(node.metricsPort);
      flushes += sample(text, 'kafscale_storage_flushes_total', { outcome: 'committed' }) ?? 0;
      puts += sample(text, 'kafscale_s3_requests_total', { op: 'put', outcome: 'ok' }) ?? 0;
      expect(sample(text, 'kafscale_etcd_txns_total', { outcome: 'succeeded' })).toBeGreaterThan(0);
    }
    expect(flushes).toBeGreaterThanOrEqual(4);
    expect(puts).toBe(flushes);
    for (const svc of services)
      expect((await httpGet(svc.metricsPort, '/readyz')).status).toBe(200);
  });

  it('keeps every acknowledged record when a storage node is killed -9 during an acks=all produce', async () => {
    const [e1, e2] = edges;
    if (e1 === undefined || e2 === undefined) throw new Error('edges missing');
    const admin = client(e1).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'survive', numPartitions: 2 }],
      waitForLeaders: true,
    });
    await admin.disconnect();

    const producer: Producer = client(e1).producer();
    await producer.connect();
    const acked = new Map<number, string[]>([
      [0, []],
      [1, []],
    ]);
    let n = 0;
    let victimKilledAt = 0;
    let firstAckAfterKill = 0;
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && (victimKilledAt === 0 || firstAckAfterKill === 0 || n < 400)) {
      const partition = n % 2;
      const value = `r${n}`;
      try {
        await producer.send({ topic: 'survive', acks: -1, messages: [{ partition, value }] });
        acked.get(partition)?.push(value);
        if (victimKilledAt > 0 && firstAckAfterKill === 0) firstAckAfterKill = Date.now();
      } catch {
        // Not acknowledged: may or may not be stored (at-least-once), so it is not counted.
      }
      n++;
      if (n === 100) {
        const victim = await ownerOf('survive', 0);
        await victim.process.kill('SIGKILL');
        victimKilledAt = Date.now();
      }
    }
    await producer.disconnect();
    expect(victimKilledAt).toBeGreaterThan(0);
    expect(firstAckAfterKill).toBeGreaterThan(0);
    console.log(
      `produce resumed ${firstAckAfterKill - victimKilledAt} ms after the storage node was killed`,
    );

    for (const [partition, values] of acked) {
      const lines = await consume(e2, 'survive', partition, 100_000);
      const read = lines.map((l) => l.split(' ')[1] ?? '');
      // Offsets are contiguous from 0 and every acknowledged value is present once, in order.
      expect(lines.map((l) => Number(l.split(' ')[0]))).toEqual(read.map((_, i) => i));
      const ackedSet = new Set(values);
      expect(read.filter((v) => ackedSet.has(v))).toEqual(values);
    }
  });

  it('keeps producing through the other edge when one edge is killed -9', async () => {
    const [e1, e2] = edges;
    if (e1 === undefined || e2 === undefined) throw new Error('edges missing');
    const admin = client(e2).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'edge-loss', numPartitions: 2 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = client(e1, e2).producer();
    await producer.connect();
    const acked: string[][] = [[], []];
    let killedAt = 0;
    let resumedAt = 0;
    for (let n = 0; n < 300; n++) {
      if (n === 100) {
        await e1.process.kill('SIGKILL');
        killedAt = Date.now();
      }
      try {
        await producer.send({
          topic: 'edge-loss',
          acks: -1,
          messages: [{ partition: n % 2, value: `e${n}` }],
        });
        acked[n % 2]?.push(`e${n}`);
        if (killedAt > 0 && resumedAt === 0) resumedAt = Date.now();
      } catch {
        // not acknowledged
      }
    }
    await producer.disconnect();
    console.log(`produce resumed ${resumedAt - killedAt} ms after an edge was killed`);
    expect(resumedAt).toBeGreaterThan(0);
    for (const p of [0, 1]) {
      const read = (await consume(e2, 'edge-loss', p, 100_000)).map((l) => l.split(' ')[1] ?? '');
      const ackedSet = new Set(acked[p]);
      expect(read.filter((v) => ackedSet.has(v))).toEqual(acked[p]);
    }
  });

  it('keeps producing through a controlplane leader kill -9, and creates topics again once the standby leads', async () => {
    const e2 = edges[1];
    if (e2 === undefined) throw new Error('edge missing');
    // A sustained acks=all produce runs across the kill: the data path does not go
    // through the controlplane.
    const setup = client(e2).admin();
    await setup.connect();
    await setup.createTopics({
      topics: [{ topic: 'cp-loss', numPartitions: 1 }],
      waitForLeaders: true,
    });
    await setup.disconnect();
    const steady = client(e2).producer();
    await steady.connect();
    const ackedDuring: string[] = [];
    const loopState = { producing: true };
    const loop = (async () => {
      for (let n = 0; loopState.producing; n++) {
        try {
          await steady.send({ topic: 'cp-loss', acks: -1, messages: [{ value: `c${n}` }] });
          ackedDuring.push(`c${n}`);
        } catch {
          // not acknowledged
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    // The first replica started campaigned first; kill whichever holds the leader key.
    const leaderKey = await etcdGet(etcd, '/kafscale/controlplane/leader');
    const leader = controlplanes.find((c) => leaderKey.includes(`:${c.port}`));
    if (leader === undefined) throw new Error(`no leader among the replicas: ${leaderKey}`);
    await leader.process.kill('SIGKILL');
    const killedAt = Date.now();
    const admin = client(e2).admin();
    await admin.connect();
    let created = false;
    while (!created && Date.now() - killedAt < 20_000) {
      try {
        await admin.createTopics({
          topics: [{ topic: 'after-failover', numPartitions: 1 }],
          waitForLeaders: true,
        });
        created = (await admin.listTopics()).includes('after-failover');
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await admin.disconnect();
    console.log(
      `a topic was created ${Date.now() - killedAt} ms after the controlplane leader was killed`,
    );
    expect(created).toBe(true);
    const ackedBeforeStop = ackedDuring.length;
    await new Promise((r) => setTimeout(r, 300));
    loopState.producing = false;
    await loop;
    await steady.disconnect();
    expect(ackedDuring.length).toBeGreaterThan(ackedBeforeStop); // still acknowledging after the failover
    const read = (await consume(e2, 'cp-loss', 0, 1_000_000)).map((l) => l.split(' ')[1] ?? '');
    const ackedSet = new Set(ackedDuring);
    expect(read.filter((v) => ackedSet.has(v))).toEqual(ackedDuring);
    console.log(`${ackedDuring.length} records acknowledged across the controlplane leader kill`);
    const producer = client(e2).producer();
    await producer.connect();
    await producer.send({ topic: 'after-failover', acks: -1, messages: [{ value: 'ok' }] });
    await producer.disconnect();
    expect(await consume(e2, 'after-failover', 0, 1)).toEqual(['0 ok']);
  });

  it('fences a storage node paused past its lease: the new owner continues, the old one writes nothing after resuming', async () => {
    const e2 = edges[1];
    if (e2 === undefined) throw new Error('edge missing');
    // An earlier test killed a storage node: start another, so the partition has somewhere to go.
    const spare = await startService('storage-node', env);
    services.push(spare);
    storage.push(spare);
    const admin = client(e2).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'paused', numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = client(e2).producer();
    await producer.connect();
    const acked: string[] = [];
    const send = async (value: string) => {
      try {
        await producer.send({ topic: 'paused', acks: -1, timeout: 3000, messages: [{ value }] });
        acked.push(value);
      } catch {
        // not acknowledged
      }
    };
    for (let i = 0; i < 20; i++) await send(`before-${i}`);
    const owner = await ownerOf('paused', 0);
    const { topicId } = JSON.parse(await etcdGet(etcd, '/kafscale/topics/paused')) as {
      topicId: string;
    };
    const epochBefore = (
      JSON.parse(await etcdGet(etcd, `/kafscale/part/${topicId}/0/state`)) as { epoch: number }
    ).epoch;
    owner.process.pause();
    const pausedAt = Date.now();
    try {
      // Keep sending while frozen: the sends fail until the owner's lease expires and the
      // partition moves (the client retries); stop once another node holds the partition.
      let n = 0;
      const movedAway = async () =>
        (JSON.parse(await etcdGet(etcd, `/kafscale/part/${topicId}/0/state`)) as { epoch: number })
          .epoch > epochBefore;
      while (Date.now() - pausedAt < 30_000 && !(await movedAway())) await send(`during-${n++}`);
      for (let i = 0; i < 5; i++) await send(`during-${n++}`);
    } finally {
      owner.process.resume();
    }
    await new Promise((r) => setTimeout(r, 3000)); // let the resumed node try (and fail) to commit
    for (let i = 0; i < 20; i++) await send(`after-${i}`);
    await producer.disconnect();
    const state = JSON.parse(await etcdGet(etcd, `/kafscale/part/${topicId}/0/state`)) as {
      epoch: number;
      owner: string;
    };
    expect(state.epoch).toBeGreaterThan(epochBefore);
    // The partition changed hands at least once (the epoch grew). The resumed node rejoins
    // with a new lease and rebalancing may hand the partition back to it at a later epoch.
    expect(state.owner).not.toBe('');
    expect(acked.some((v) => v.startsWith('after-'))).toBe(true); // producing resumed
    const lines = await consume(e2, 'paused', 0, 100_000);
    const read = lines.map((l) => l.split(' ')[1] ?? '');
    expect(lines.map((l) => Number(l.split(' ')[0]))).toEqual(read.map((_, i) => i));
    const ackedSet = new Set(acked);
    expect(read.filter((v) => ackedSet.has(v))).toEqual(acked);
    console.log(
      `paused owner fenced: epoch ${epochBefore} -> ${state.epoch}; ${acked.length} acked, ${read.length} stored`,
    );
  });
});
