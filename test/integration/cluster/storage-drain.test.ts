/**
 * Draining a storage node under sustained produce, on the real stack (etcd, MinIO, two
 * storage nodes, an edge and the controlplane as separate processes). Two kafkajs producers
 * with their default retries, one of them idempotent, send acks=all batches over every
 * partition without pause while the admin API drains one node. No send may fail (the
 * clients retry what the hand-over refuses), every acknowledged record must be in the log,
 * the idempotent producer's records exactly once, and each partition's offsets must run
 * from 0 to its high watermark without a gap.
 */
import { createClient, type Client } from '@connectrpc/connect';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService } from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { grpcTransport } from '../../../lib/grpc/service-transport.js';
import { startCluster, type Cluster } from '../../fixtures/kafscale-cluster.js';
import { waitUntil } from '../../fixtures/processes.js';

const TOPIC = 'drained';
const PARTITIONS = 6;
const BATCH = 12;

let cluster: Cluster;
let admin: Client<typeof AdminService>;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({ storageNodes: 2 });
  admin = createClient(
    AdminService,
    grpcTransport(`http://127.0.0.1:${cluster.controlplane.port}`),
  );
  // The clients' own retry settings (kafkajs defaults), as an application would run them.
  kafka = new Kafka({
    brokers: [`127.0.0.1:${cluster.edge.port}`],
    clientId: 'drain-test',
    logLevel: logLevel.NOTHING,
  });
  await waitUntil(async () => (await admin.getClusterStatus({})).storageNodes.length === 2, {
    timeoutMs: 20_000,
    what: 'both storage nodes to register',
  });
  await admin.createTopic({ name: TOPIC, partitions: PARTITIONS });
  await waitUntil(
    async () => {
      const owners = (await admin.describeTopic({ name: TOPIC })).partitions.map((p) => p.owner);
      return owners.every((o) => o !== '') && new Set(owners).size === 2;
    },
    { timeoutMs: 20_000, what: 'the partitions to be spread over both nodes' },
  );
}, 120_000);

afterAll(async () => {
  await cluster.stop();
});

interface Lane {
  readonly acked: string[];
  readonly failures: string[];
  stop(): Promise<void>;
}

/** Sends batches of BATCH records (one per partition in turn) until stopped. */
function sendUntilStopped(producer: Producer, tag: string): Lane {
  const acked: string[] = [];
  const failures: string[] = [];
  const state = { running: true };
  const loop = (async () => {
    await producer.connect();
    for (let n = 0; state.running; n++) {
      const ids = Array.from({ length: BATCH }, (_, i) => `${tag}-${n}-${i}`);
      try {
        await producer.send({
          topic: TOPIC,
          acks: -1,
          messages: ids.map((id, i) => ({ key: id, value: id, partition: i % PARTITIONS })),
        });
        acked.push(...ids);
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
    await producer.disconnect();
  })();
  return {
    acked,
    failures,
    stop: async () => {
      state.running = false;
      await loop;
    },
  };
}

describe('draining a storage node under sustained produce', () => {
  it('moves every partition with no failed send, no lost and no duplicated record', async () => {
    const status = await admin.getClusterStatus({});
    const drained = status.storageNodes[1]?.id ?? '';
    const kept = status.storageNodes[0]?.id ?? '';
    const idempotent = sendUntilStopped(
      kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      'idem',
    );
    const retrying = sendUntilStopped(kafka.producer(), 'plain');
    await waitUntil(() => idempotent.acked.length > 500 && retrying.acked.length > 500, {
      timeoutMs: 30_000,
      what: 'both producers to get going',
    });

    let steps = 0;
    let done = false;
    for await (const p of admin.drainStorageNode({ node: drained })) {
      steps++;
      done = p.done;
    }
    expect(done).toBe(true);
    // Keep producing on the remaining node for a while after the drain.
    const ackedAtDrain = idempotent.acked.length + retrying.acked.length;
    await waitUntil(() => idempotent.acked.length + retrying.acked.length > ackedAtDrain + 1000, {
      timeoutMs: 30_000,
      what: 'produce to go on after the drain',
    });
    await Promise.all([idempotent.stop(), retrying.stop()]);

    expect(idempotent.failures).toEqual([]);
    expect(retrying.failures).toEqual([]);
    expect(steps).toBeGreaterThanOrEqual(1);
    const after = await admin.describeTopic({ name: TOPIC });
    expect(after.partitions.map((p) => p.owner)).toEqual(Array(PARTITIONS).fill(kept));
    const node = (await admin.getClusterStatus({})).storageNodes.find((n) => n.id === drained);
    expect(node).toMatchObject({ draining: true, assignedPartitions: 0, ownedPartitions: 0 });

    const total = after.partitions.reduce((n, p) => n + Number(p.highWatermark), 0);
    const seen = await readEverything(total);
    const counts = new Map<string, number>();
    for (const r of seen.records) counts.set(r, (counts.get(r) ?? 0) + 1);
    expect(idempotent.acked.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(retrying.acked.filter((id) => (counts.get(id) ?? 0) < 1)).toEqual([]);
    expect(seen.gaps).toEqual([]);
    // A plain producer's retry of a request re-sends partitions that had succeeded: Kafka's
    // at-least-once, shown, not asserted.
    const duplicates = retrying.acked.reduce(
      (n, id) => n + Math.max(0, (counts.get(id) ?? 0) - 1),
      0,
    );
    const known = new Set([...idempotent.acked, ...retrying.acked]);
    const unacknowledged = seen.records.filter((r) => !known.has(r)).length;
    console.log(
      `drain: ${idempotent.acked.length} idempotent + ${retrying.acked.length} retrying records ` +
        `acknowledged, ${steps} progress messages, ${total} records in the log, ` +
        `${duplicates} extra copies of the retrying producer's records, ` +
        `${unacknowledged} records no send acknowledged`,
    );
  }, 180_000);
});

/** Every record of the topic from offset 0, and any offset that is not the one expected next. */
async function readEverything(total: number): Promise<{ records: string[]; gaps: string[] }> {
  const consumer = kafka.consumer({ groupId: `drain-reader-${Date.now()}` });
  const records: string[] = [];
  const gaps: string[] = [];
  const next = new Map<number, bigint>();
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const offset = BigInt(message.offset);
      const expected = next.get(partition) ?? 0n;
      if (offset !== expected) gaps.push(`${partition}: ${expected} then ${offset}`);
      next.set(partition, offset + 1n);
      records.push(message.value?.toString() ?? '');
      await Promise.resolve();
    },
  });
  try {
    await waitUntil(() => records.length >= total, {
      timeoutMs: 60_000,
      what: `all ${total} records to be read`,
    });
  } finally {
    await consumer.disconnect();
  }
  return { records, gaps };
}
