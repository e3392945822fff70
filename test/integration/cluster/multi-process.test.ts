/**
 * Kafscale as separate processes over real etcd and MinIO: a controlplane, two storage
 * nodes and two edges. A topic created through one edge is served by both; records
 * produced through one edge are consumed through the other. Then the storage node that
 * owns a partition is killed with SIGKILL during a sustained acks=all produce: every
 * acknowledged record is read back exactly once, in order, and producing resumes on the
 * surviving node once the dead node's lease expires.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import {
  startService,
  type ClusterEnv,
  type ServiceProcess,
} from '../../fixtures/kafscale-cluster.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';

const run = promisify(execFile);
let etcd: EtcdFixture;
let minio: MinioFixture;
let env: ClusterEnv;
const services: ServiceProcess[] = [];
let edges: ServiceProcess[] = [];
let storage: ServiceProcess[] = [];

beforeAll(async () => {
  [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('kafscale');
  env = { etcd, minio, bucket: 'kafscale' };
  services.push(await startService('controlplane', env));
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

function client(edge: ServiceProcess): Kafka {
  return new Kafka({
    brokers: [`127.0.0.1:${edge.port}`],
    clientId: 'multi-process',
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

async function consume(
  edge: ServiceProcess,
  topic: string,
  partition: number,
  count: number,
): Promise<string[]> {
  const { stdout } = await run(
    'kcat',
    [
      '-C',
      '-b',
      `127.0.0.1:${edge.port}`,
      '-t',
      topic,
      '-p',
      String(partition),
      '-o',
      'beginning',
      '-c',
      String(count),
      '-e',
      '-q',
      '-f',
      '%o %s\\n',
    ],
    { timeout: 60_000 },
  );
  return stdout.split('\n').filter((l) => l !== '');
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
        const victim = storage[0];
        if (victim === undefined) throw new Error('no storage node');
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
});
