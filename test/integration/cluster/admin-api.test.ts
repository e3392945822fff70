/**
 * The admin API (kafscale.admin.v1.AdminService) and the `kafscale` operator commands on the
 * real stack: etcd, MinIO, one controlplane, two storage nodes and an edge as separate
 * processes, with kafkajs producing and consuming. Every method is called through the real
 * gRPC server, with good and bad arguments; the CLI is run as a child process against it.
 */
import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService } from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { grpcTransport } from '../../../lib/grpc/service-transport.js';
import { startCluster, type Cluster } from '../../fixtures/kafscale-cluster.js';
import { waitUntil } from '../../fixtures/processes.js';
import { clusterKafka } from '../../support/cluster-kafka.js';
import { runKafscale } from '../../support/kafscale-cli.js';
import { sample, scrape } from '../../support/scrape-metrics.js';

let cluster: Cluster;
let admin: Client<typeof AdminService>;
let kafka: Kafka;
let url: string;

beforeAll(async () => {
  cluster = await startCluster({ storageNodes: 2 });
  url = `http://127.0.0.1:${cluster.controlplane.port}`;
  admin = createClient(AdminService, grpcTransport(url));
  kafka = clusterKafka(cluster, 'admin-api');
  await waitUntil(async () => (await admin.getClusterStatus({})).storageNodes.length === 2, {
    timeoutMs: 20_000,
    what: 'both storage nodes to register',
  });
}, 120_000);

afterAll(async () => {
  await cluster.stop();
});

/** The gRPC status of a failed call, and its message. */
async function failure(call: Promise<unknown>): Promise<{ code: Code; message: string }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof ConnectError) return { code: e.code, message: e.rawMessage };
    throw e;
  }
  throw new Error('the call succeeded');
}

async function produce(topic: string, records: { partition: number; value: string }[]) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records });
  } finally {
    await producer.disconnect();
  }
}

async function storageNodeIds(): Promise<string[]> {
  return (await admin.getClusterStatus({})).storageNodes.map((n) => n.id);
}

describe('AdminService on the real stack', () => {
  it('reports the cluster: the leading replica, the edge and both storage nodes', async () => {
    const s = await admin.getClusterStatus({});
    expect(s.clusterId).not.toBe('');
    expect(s.controlplaneReplicas).toHaveLength(1);
    expect(s.controlplaneReplicas[0]?.leader).toBe(true);
    expect(s.leaderId).toBe(s.controlplaneReplicas[0]?.id);
    expect(s.controlplaneReplicas[0]?.groupShards).toBe(s.groupShardCount);
    expect(s.edges.map((e) => e.address)).toEqual([`127.0.0.1:${cluster.edge.port}`]);
    expect(s.storageNodes.map((n) => n.draining)).toEqual([false, false]);
    expect(s.unheldGroupShards).toBe(0);
  });

  it('creates, lists, describes, alters and deletes topics, refusing bad ones by name', async () => {
    const created = await admin.createTopic({
      name: 'orders',
      partitions: 4,
      configs: { 'retention.ms': '3600000' },
    });
    expect(created.partitions).toBe(4);
    expect(created.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await admin.listTopics({})).topics.map((t) => [t.name, t.partitions])).toContainEqual([
      'orders',
      4,
    ]);
    const validated = await admin.createTopic({ name: 'never', partitions: 2, validateOnly: true });
    expect(validated.topicId).toBe('');
    expect((await admin.listTopics({})).topics.map((t) => t.name)).not.toContain('never');

    await waitUntil(
      async () =>
        (await admin.describeTopic({ name: 'orders' })).partitions.every((p) => p.owner !== ''),
      { timeoutMs: 20_000, what: 'every partition of orders to have an owner' },
    );
    await produce(
      'orders',
      Array.from({ length: 40 }, (_, i) => ({ partition: i % 4, value: `order-${i}` })),
    );
    const described = await admin.describeTopic({ name: 'orders' });
    expect(described.topic?.configs).toEqual({ 'retention.ms': '3600000' });
    expect(described.partitions.map((p) => p.highWatermark)).toEqual([10n, 10n, 10n, 10n]);
    expect(described.partitions.every((p) => p.logStartOffset === 0n && p.bytes > 0n)).toBe(true);
    expect(described.partitions.every((p) => p.leaderEpoch >= 1 && p.indexEntries >= 1)).toBe(true);
    expect(new Set(described.partitions.map((p) => p.owner))).toEqual(
      new Set(await storageNodeIds()),
    );

    const altered = await admin.alterTopicConfigs({
      name: 'orders',
      set: { 'cleanup.policy': 'delete' },
      remove: ['retention.ms'],
    });
    expect(altered.configs).toEqual({ 'cleanup.policy': 'delete' });

    expect(await failure(admin.createTopic({ name: 'orders', partitions: 1 }))).toMatchObject({
      code: Code.AlreadyExists,
      message: expect.stringMatching(/TOPIC_ALREADY_EXISTS/) as unknown,
    });
    expect(await failure(admin.createTopic({ name: 'bad name', partitions: 1 }))).toMatchObject({
      code: Code.InvalidArgument,
      message: expect.stringMatching(/bad name/) as unknown,
    });
    expect(await failure(admin.createTopic({ name: 'neg', partitions: -3 }))).toMatchObject({
      code: Code.InvalidArgument,
      message: expect.stringMatching(/-3/) as unknown,
    });
    expect(
      await failure(admin.alterTopicConfigs({ name: 'orders', set: { 'retention.ms': 'soon' } })),
    ).toMatchObject({
      code: Code.InvalidArgument,
      message: expect.stringMatching(/retention.ms/) as unknown,
    });
    expect(await failure(admin.describeTopic({ name: 'missing' }))).toMatchObject({
      code: Code.NotFound,
      message: expect.stringMatching(/'missing'/) as unknown,
    });
    expect((await failure(admin.describeTopic({ name: '' }))).code).toBe(Code.InvalidArgument);

    await admin.createTopic({ name: 'short-lived', partitions: 1 });
    const deleted = await admin.deleteTopic({ name: 'short-lived' });
    expect(deleted.topicId).not.toBe('');
    expect((await failure(admin.deleteTopic({ name: 'short-lived' }))).code).toBe(Code.NotFound);
  }, 60_000);

  it('moves a partition to a named node and keeps it there; refuses unknown nodes and partitions', async () => {
    const [first, second] = await storageNodeIds();
    if (first === undefined || second === undefined) throw new Error('two storage nodes expected');
    const before = (await admin.listAssignments({ topic: 'orders' })).partitions;
    const row = before.find((p) => p.partition === 0);
    const target = row?.owner === first ? second : first;
    await admin.movePartition({ topic: 'orders', partition: 0, node: target });
    await waitUntil(
      async () => {
        const p = (await admin.listAssignments({ topic: 'orders' })).partitions[0];
        return p?.owner === target && p.pinned;
      },
      { timeoutMs: 20_000, what: `orders:0 to move to ${target}` },
    );
    // The new owner serves the old records and takes new ones.
    await produce('orders', [{ partition: 0, value: 'after-move' }]);
    const p0 = (await admin.describeTopic({ name: 'orders' })).partitions[0];
    expect(p0?.highWatermark).toBe(11n);
    expect(p0?.owner).toBe(target);
    expect((await admin.listAssignments({ node: target })).partitions.length).toBeGreaterThan(0);

    expect(
      await failure(admin.movePartition({ topic: 'orders', partition: 0, node: 'nowhere' })),
    ).toMatchObject({
      code: Code.NotFound,
      message: expect.stringMatching(/'nowhere'/) as unknown,
    });
    expect(
      await failure(admin.movePartition({ topic: 'orders', partition: 7, node: target })),
    ).toMatchObject({ code: Code.NotFound, message: expect.stringMatching(/not 7/) as unknown });
    await admin.movePartition({ topic: 'orders', partition: 0, node: '' });
    await waitUntil(
      async () =>
        (await admin.listAssignments({ topic: 'orders' })).partitions[0]?.pinned === false,
      { timeoutMs: 10_000, what: 'the pin to go' },
    );
  }, 60_000);

  it('forces a flush on every node or one, and names a node that is not live', async () => {
    const ids = await storageNodeIds();
    expect((await admin.flushStorageNodes({})).nodes.sort()).toEqual([...ids].sort());
    expect((await admin.flushStorageNodes({ node: ids[0] ?? '' })).nodes).toEqual([ids[0]]);
    expect(await failure(admin.flushStorageNodes({ node: 'ghost' }))).toMatchObject({
      code: Code.NotFound,
      message: expect.stringMatching(/'ghost'/) as unknown,
    });
  });

  it('drains a storage node with streamed progress, then resumes it', async () => {
    const [, second] = await storageNodeIds();
    if (second === undefined) throw new Error('two storage nodes expected');
    const progress = [];
    for await (const p of admin.drainStorageNode({ node: second })) progress.push(p);
    const last = progress.at(-1);
    expect(last?.done).toBe(true);
    expect(last?.remaining).toBe(0);
    expect(progress[0]?.total).toBeGreaterThan(0);
    const status = await admin.getClusterStatus({});
    const drained = status.storageNodes.find((n) => n.id === second);
    expect(drained).toMatchObject({ draining: true, assignedPartitions: 0, ownedPartitions: 0 });
    // The other node cannot be drained while it is the only one taking partitions.
    const [first] = await storageNodeIds();
    expect(await failure(consume(admin.drainStorageNode({ node: first ?? '' })))).toMatchObject({
      code: Code.FailedPrecondition,
    });
    await admin.resumeStorageNode({ node: second });
    await waitUntil(
      async () =>
        (await admin.getClusterStatus({})).storageNodes.every(
          (n) => !n.draining && n.ownedPartitions > 0,
        ),
      { timeoutMs: 30_000, what: `${second} to take partitions again` },
    );
    expect(await failure(consume(admin.drainStorageNode({ node: 'ghost' })))).toMatchObject({
      code: Code.NotFound,
    });
    expect((await failure(admin.resumeStorageNode({ node: 'ghost' }))).code).toBe(Code.NotFound);
  }, 90_000);

  it('lists and describes groups with lag, and resets offsets only while the group is empty', async () => {
    const consumer = kafka.consumer({ groupId: 'billing' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    let seen = 0;
    await consumer.run({
      eachMessage: async () => {
        seen++;
        await Promise.resolve();
      },
    });
    await waitUntil(() => seen >= 41, { timeoutMs: 30_000, what: 'the consumer to read orders' });
    await waitUntil(
      async () => (await admin.describeGroup({ groupId: 'billing' })).totalLag === 0n,
      {
        timeoutMs: 20_000,
        what: 'billing to commit everything',
      },
    );
    const live = await admin.describeGroup({ groupId: 'billing' });
    expect(live.group).toMatchObject({ state: 'Stable', protocolType: 'consumer', members: 1 });
    expect(live.members[0]?.assigned.sort()).toEqual(
      ['orders:0', 'orders:1', 'orders:2', 'orders:3'].sort(),
    );
    expect(live.partitions.map((p) => [p.partition, p.committedOffset, p.highWatermark])).toEqual([
      [0, 11n, 11n],
      [1, 10n, 10n],
      [2, 10n, 10n],
      [3, 10n, 10n],
    ]);
    expect((await admin.listGroups({})).groups).toContainEqual(
      expect.objectContaining({ groupId: 'billing', state: 'Stable', members: 1 }),
    );
    expect(
      await failure(
        consume(
          admin.resetGroupOffsets({
            groupId: 'billing',
            topics: ['orders'],
            to: { case: 'earliest', value: true },
          }),
        ),
      ),
    ).toMatchObject({
      code: Code.FailedPrecondition,
      message: expect.stringMatching(/member/) as unknown,
    });
    await consumer.disconnect();

    const updates = [];
    for await (const u of admin.resetGroupOffsets({
      groupId: 'billing',
      topics: ['orders'],
      to: { case: 'offset', value: 4n },
    })) {
      updates.push(u);
    }
    expect(updates.at(-1)?.done).toBe(true);
    expect(updates.at(-1)?.offsets.map((o) => [o.partition, o.previousOffset, o.offset])).toEqual([
      [0, 11n, 4n],
      [1, 10n, 4n],
      [2, 10n, 4n],
      [3, 10n, 4n],
    ]);
    const reset = await admin.describeGroup({ groupId: 'billing' });
    expect(reset.group?.state).toBe('Empty');
    expect(reset.totalLag).toBe(7n + 6n * 3n);
    // The controlplane's lag metric agrees with the admin API.
    const exposition = await scrape(cluster.controlplane.metricsPort);
    expect(
      reset.partitions.map((p) =>
        sample(exposition, 'kafscale_group_lag', {
          group: 'billing',
          topic: 'orders',
          partition: String(p.partition),
        }),
      ),
    ).toEqual([7, 6, 6, 6]);

    // A time after every record: the high watermark; a dry run commits nothing.
    const dry = await last(
      admin.resetGroupOffsets({
        groupId: 'billing',
        topics: ['orders'],
        to: { case: 'timestampMs', value: BigInt(Date.now() + 60_000) },
        dryRun: true,
      }),
    );
    expect(dry?.offsets.map((o) => o.offset)).toEqual([11n, 10n, 10n, 10n]);
    expect((await admin.describeGroup({ groupId: 'billing' })).totalLag).toBe(25n);
    // Time zero: the first record of each partition.
    await last(
      admin.resetGroupOffsets({
        groupId: 'billing',
        topics: ['orders'],
        to: { case: 'timestampMs', value: 0n },
      }),
    );
    expect((await admin.describeGroup({ groupId: 'billing' })).totalLag).toBe(41n);

    expect(
      await failure(consume(admin.resetGroupOffsets({ groupId: 'billing', topics: ['orders'] }))),
    ).toMatchObject({
      code: Code.InvalidArgument,
      message: expect.stringMatching(/earliest/) as unknown,
    });
    expect(
      await failure(
        consume(
          admin.resetGroupOffsets({
            groupId: 'billing',
            topics: ['nope'],
            to: { case: 'latest', value: true },
          }),
        ),
      ),
    ).toMatchObject({ code: Code.NotFound, message: expect.stringMatching(/'nope'/) as unknown });
    expect(await failure(admin.describeGroup({ groupId: 'nobody' }))).toMatchObject({
      code: Code.NotFound,
    });
    expect((await failure(admin.describeGroup({ groupId: '' }))).code).toBe(Code.InvalidArgument);
  }, 90_000);
});

describe('the kafscale operator commands against the real controlplane', () => {
  const env = () => ({ KAFSCALE_CONTROLPLANE_URL: url });

  it('prints status, topics and groups as tables and as JSON', async () => {
    const status = await runKafscale(['status'], env());
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/storage nodes/);
    const json = await runKafscale(['status', '--json'], env());
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { storageNodes: unknown[]; leaderId: string };
    expect(parsed.storageNodes).toHaveLength(2);
    expect(parsed.leaderId).not.toBe('');

    const described = await runKafscale(['topics', 'describe', 'orders'], env());
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/HIGH WATERMARK/);
    const group = await runKafscale(['groups', 'describe', 'billing', '--json'], env());
    expect(group.code).toBe(0);
    expect((JSON.parse(group.stdout) as { totalLag: string }).totalLag).toBe('41');

    const created = await runKafscale(
      ['topics', 'create', 'cli-made', '--partitions', '2', '--config', 'retention.ms=1000'],
      env(),
    );
    expect(created.code).toBe(0);
    expect((await admin.describeTopic({ name: 'cli-made' })).topic?.partitions).toBe(2);
    const reset = await runKafscale(
      ['groups', 'reset-offsets', 'billing', '--topic', 'orders', '--to-latest', '--execute'],
      env(),
    );
    expect(reset.code).toBe(0);
    expect(reset.stderr).toMatch(/4\/4/);
    expect((await admin.describeGroup({ groupId: 'billing' })).totalLag).toBe(0n);
  }, 90_000);

  it('runs every other subcommand: topics list/alter/delete, partitions, nodes, groups list', async () => {
    const cli = async (...args: string[]) => {
      const run = await runKafscale(args, env());
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      return run.stdout;
    };
    const topics = JSON.parse(await cli('topics', 'list', '--json')) as {
      topics: { name: string }[];
    };
    expect(topics.topics.map((t) => t.name)).toContain('cli-made');
    expect(await cli('topics', 'alter', 'cli-made', '--set', 'retention.ms=5000')).toMatch(
      /retention.ms=5000/,
    );
    const [first, second] = await storageNodeIds();
    if (first === undefined || second === undefined) throw new Error('two storage nodes expected');
    await cli('partitions', 'move', 'cli-made', '1', second);
    await waitUntil(
      async () =>
        (await admin.listAssignments({ topic: 'cli-made' })).partitions[1]?.owner === second,
      { timeoutMs: 20_000, what: 'cli-made:1 to move' },
    );
    expect(await cli('partitions', 'list', '--topic', 'cli-made')).toMatch(
      new RegExp(`cli-made\\s+1\\s+${second}\\s+${second}\\s+\\d+\\s+yes`),
    );
    await cli('partitions', 'unpin', 'cli-made', '1');
    expect((await admin.listAssignments({ topic: 'cli-made' })).partitions[1]?.pinned).toBe(false);
    expect(await cli('nodes', 'flush')).toMatch(/flush started on/);
    expect(await cli('nodes', 'drain', second)).toMatch(/is drained/);
    const nodes = JSON.parse(await cli('nodes', 'list', '--json')) as {
      id: string;
      draining: boolean;
    }[];
    expect(nodes.find((n) => n.id === second)?.draining).toBe(true);
    expect(await cli('nodes', 'resume', second)).toMatch(/takes partitions again/);
    expect(await cli('groups', 'list')).toMatch(/billing\s+Empty/);
    expect(await cli('topics', 'delete', 'cli-made')).toMatch(/deleted topic cli-made/);
  }, 120_000);

  it('exits with distinct codes for bad arguments, unknown names, refusals and no server', async () => {
    const usage = await runKafscale(['topics', 'create', 'x', '--partitions', 'many'], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/'many'/);
    const unknown = await runKafscale(['topics', 'describe', 'ghost-topic'], env());
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/'ghost-topic'/);
    const exists = await runKafscale(['topics', 'create', 'orders'], env());
    expect(exists.code).toBe(5);
    const unreachable = await runKafscale(['status', '--timeout', '2000'], {
      KAFSCALE_CONTROLPLANE_URL: 'http://127.0.0.1:1',
    });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/127\.0\.0\.1:1/);
    const noVerb = await runKafscale(['groups'], env());
    expect(noVerb.code).toBe(2);
    expect(noVerb.stderr).toMatch(/list, describe, reset-offsets/);
  }, 60_000);
});

/** Reads a stream to its end (a failure surfaces as the rejection). */
async function consume(stream: AsyncIterable<unknown>): Promise<void> {
  await last(stream);
}

async function last<T>(stream: AsyncIterable<T>): Promise<T | undefined> {
  let final: T | undefined;
  for await (const item of stream) final = item;
  return final;
}
