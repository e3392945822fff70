/**
 * Reads on any storage node, with real processes (etcd, MinIO, a controlplane, two storage
 * nodes, an edge): the owner of a partition is killed -9 while its lease (30 s here) still
 * holds the partition, so no new owner can take it; kcat (librdkafka) still reads every
 * acknowledged record from the beginning (ListOffsets and Fetch) at once, served by the
 * other storage node from the index in etcd. Producing to that partition waits for a new
 * owner; this test does not produce after the kill.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../fixtures/kafscale-cluster.js';
import { partitionOwnerId } from '../../support/etcdctl.js';
import { kcatConsume } from '../../support/kcat.js';

const LEASE_SECONDS = 30;
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    storageNodes: 2,
    extra: { KAFSCALE_LEASE_TTL_SECONDS: String(LEASE_SECONDS) },
  });
}, 120_000);

afterAll(async () => {
  await cluster.stop();
});

describe('reads on any storage node', () => {
  it('serves every acknowledged record of a partition whose owner was killed, before any new owner', async () => {
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${cluster.edge.port}`],
      clientId: 'reads-any-node',
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'orphaned', numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const values = Array.from({ length: 200 }, (_, i) => `v${i}`);
    for (let i = 0; i < values.length; i += 20)
      await producer.send({
        topic: 'orphaned',
        acks: -1,
        messages: values.slice(i, i + 20).map((value) => ({ partition: 0, value })),
      });
    await producer.disconnect();

    const owner = await partitionOwnerId(cluster.etcd, 'orphaned', 0);
    const victim = cluster.storage.find((s) => s.banner.includes(`storage node ${owner} `));
    if (victim === undefined) throw new Error(`no process for owner ${owner}`);
    await victim.process.kill('SIGKILL');

    const read = await kcatConsume(cluster.edge.port, 'orphaned', 0, values.length);
    expect(read).toEqual(values.map((v, i) => `${i} ${v}`));
    // Still the dead node's claim (its lease holds): the records came from the other node.
    expect(await partitionOwnerId(cluster.etcd, 'orphaned', 0)).toBe(owner);
  }, 90_000);
});
