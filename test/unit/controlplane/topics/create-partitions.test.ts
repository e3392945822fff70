/**
 * CreatePartitions in the controlplane over the in-process store: Kafka 3.9's rules and
 * messages, compare-and-swap under concurrent raises, validate-only, and the assignment
 * runner placing the new partitions of a raised topic.
 */
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, createRouterTransport } from '@connectrpc/connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startControlplane } from '../../../../controlplane/src/controlplane.js';
import { createPartitions } from '../../../../controlplane/src/topics/create-partitions.js';
import { TopicRegistry } from '../../../../controlplane/src/topics/topic-registry.js';
import {
  ControlPlaneService,
  CreatePartitionsRequestSchema,
  type CreatePartitionsResponse,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { AdminService } from '../../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import {
  MetadataStoreUnavailableError,
  type MetadataStore,
} from '../../../../lib/stores/metadata-store.js';
import { registerNode, waitFor } from '../helpers.js';

let store: MemoryMetadataStore;
let registry: TopicRegistry;

beforeEach(async () => {
  store = new MemoryMetadataStore();
  registry = new TopicRegistry(store, { defaultPartitions: 1, maxPartitions: 8 });
  await registry.create([
    { name: 'orders', numPartitions: 3, replicationFactor: -1, configs: { 'retention.ms': '9' } },
    { name: 'bar', numPartitions: 4, replicationFactor: -1, configs: {} },
  ]);
});

afterEach(async () => {
  await store.close();
});

function raise(
  topics: { name: string; count: number }[],
  validateOnly = false,
  on: TopicRegistry = registry,
): Promise<CreatePartitionsResponse> {
  return createPartitions(
    on,
    create(CreatePartitionsRequestSchema, { topics, validateOnly, timeoutMs: 1000 }),
  );
}

const rows = (res: CreatePartitionsResponse) =>
  res.results.map((r) => [r.resourceName, r.errorCode, r.errorMessage]);

describe('createPartitions', () => {
  it('raises the count in the topic record, keeping its id and configs', async () => {
    const before = await registry.get('orders');
    const res = await raise([{ name: 'orders', count: 5 }]);
    expect(rows(res)).toEqual([['orders', KafkaError.NONE, '']]);
    expect(res.results[0]?.resourceType).toBe(2);
    expect(await registry.get('orders')).toEqual({ ...before, partitions: 5 });
  });

  it("refuses a count that is not an increase with Kafka's messages", async () => {
    const res = await raise([
      { name: 'orders', count: 3 },
      { name: 'bar', count: 3 },
    ]);
    expect(rows(res)).toEqual([
      ['orders', KafkaError.INVALID_PARTITIONS, 'Topic already has 3 partition(s).'],
      [
        'bar',
        KafkaError.INVALID_PARTITIONS,
        'The topic bar currently has 4 partition(s); 3 would not be an increase.',
      ],
    ]);
    expect((await registry.get('bar'))?.partitions).toBe(4);
  });

  it("refuses more partitions than the registry's maximum", async () => {
    const res = await raise([{ name: 'orders', count: 9 }]);
    expect(res.results[0]?.errorCode).toBe(KafkaError.INVALID_PARTITIONS);
    expect(res.results[0]?.errorMessage).toContain('more than the maximum 8');
    expect(rows(await raise([{ name: 'orders', count: 8 }]))).toEqual([['orders', 0, '']]);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic or an impossible name', async () => {
    const res = await raise([
      { name: 'nope', count: 2 },
      { name: 'bad/name', count: 2 },
      { name: '', count: 2 },
    ]);
    expect(res.results.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['nope', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['bad/name', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
  });

  it('fails every copy of a topic named twice and raises the others, in request order', async () => {
    const res = await raise([
      { name: 'orders', count: 5 },
      { name: 'bar', count: 6 },
      { name: 'orders', count: 6 },
    ]);
    expect(rows(res)).toEqual([
      ['orders', KafkaError.INVALID_REQUEST, 'Duplicate topic name.'],
      ['bar', 0, ''],
      ['orders', KafkaError.INVALID_REQUEST, 'Duplicate topic name.'],
    ]);
    expect((await registry.get('orders'))?.partitions).toBe(3);
    expect((await registry.get('bar'))?.partitions).toBe(6);
  });

  it('validates only: the same answers, nothing written', async () => {
    const before = await store.get(keys.topic('orders'));
    const res = await raise(
      [
        { name: 'orders', count: 7 },
        { name: 'bar', count: 2 },
        { name: 'nope', count: 2 },
      ],
      true,
    );
    expect(res.results.map((r) => r.errorCode)).toEqual([
      0,
      KafkaError.INVALID_PARTITIONS,
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    expect((await store.get(keys.topic('orders')))?.modRevision).toBe(before?.modRevision);
  });

  it('lets exactly one of 10 concurrent raises to one count win (compare-and-swap)', async () => {
    const registries = Array.from(
      { length: 10 },
      () => new TopicRegistry(store, { defaultPartitions: 1 }),
    );
    const results = (
      await Promise.all(registries.map((r) => raise([{ name: 'orders', count: 6 }], false, r)))
    ).flatMap((r) => r.results);
    expect(results.filter((r) => r.errorCode === 0)).toHaveLength(1);
    expect(
      results.filter((r) => r.errorMessage === 'Topic already has 6 partition(s).'),
    ).toHaveLength(9);
    expect((await registry.get('orders'))?.partitions).toBe(6);
  });

  it('fails the call with UNAVAILABLE when the store cannot be reached', async () => {
    const down: MetadataStore = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'get') return () => Promise.reject(new MetadataStoreUnavailableError('down'));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const broken = new TopicRegistry(down, { defaultPartitions: 1 });
    const err = await raise([{ name: 'orders', count: 5 }], false, broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.Unavailable);
  });
});

/** A controlplane (at most 16 partitions per topic) over storage nodes of the given ids. */
async function withControlplane(
  storageNodes: readonly string[],
  body: (cp: Awaited<ReturnType<typeof startControlplane>>) => Promise<void>,
): Promise<void> {
  const cpStore = new MemoryMetadataStore();
  for (const id of storageNodes) await registerNode(cpStore, 'storage', id);
  const cp = await startControlplane({
    replicaId: 'cp-1',
    metadata: cpStore,
    clusterId: 'c',
    defaultPartitions: 1,
    leaseTtlSeconds: 5,
    assignDebounceMs: 5,
    maxPartitions: 16,
  });
  try {
    await body(cp);
  } finally {
    await cp.stop();
    await cpStore.close();
  }
}

describe('CreatePartitions through the controlplane', () => {
  it('assigns the new partitions to the live storage nodes at once', async () => {
    await withControlplane(['s1', 's2'], async (cp) => {
      await cp.registry.create([
        { name: 'grow', numPartitions: 2, replicationFactor: -1, configs: {} },
      ]);
      const topicId = (await cp.registry.get('grow'))?.topicId ?? '';
      await waitFor('2 partitions assigned', () => cp.view.assignmentsOf(topicId).size === 2);
      const client = createClient(
        ControlPlaneService,
        createRouterTransport((r) => r.service(ControlPlaneService, cp.service)),
      );
      const res = await client.createPartitions({
        topics: [{ name: 'grow', count: 6 }],
        timeoutMs: 1000,
      });
      expect(res.results.map((r) => r.errorCode)).toEqual([0]);
      await waitFor('6 partitions assigned', () => cp.view.assignmentsOf(topicId).size === 6);
      const nodes = [...cp.view.assignmentsOf(topicId).values()];
      expect(nodes.filter((n) => n === 's1')).toHaveLength(3);
      expect(nodes.filter((n) => n === 's2')).toHaveLength(3);
      // Beyond the configured maximum, as the registry was built with it.
      const tooMany = await client.createPartitions({ topics: [{ name: 'grow', count: 17 }] });
      expect(tooMany.results[0]?.errorMessage).toContain('more than the maximum 16');
    });
  });
});

describe("the admin API's CreatePartitions (the same implementation as Kafka's)", () => {
  it('raises the count, and refuses what the Kafka API refuses with the same messages', async () => {
    await withControlplane(['s1'], async (cp) => {
      const admin = createClient(
        AdminService,
        createRouterTransport((r) => r.service(AdminService, cp.adminService)),
      );
      await admin.createTopic({ name: 'grow', partitions: 2 });
      const topicId = (await cp.registry.get('grow'))?.topicId ?? '';
      expect((await admin.createPartitions({ name: 'grow', partitions: 5 })).partitions).toBe(5);
      expect((await cp.registry.get('grow'))?.partitions).toBe(5);
      await waitFor('5 partitions assigned', () => cp.view.assignmentsOf(topicId).size === 5);

      const refused = async (req: { name: string; partitions: number }) => {
        const e = await admin.createPartitions(req).catch((err: unknown) => err);
        if (!(e instanceof ConnectError)) throw new Error('the call succeeded');
        return [e.code, e.rawMessage];
      };
      expect(await refused({ name: 'grow', partitions: 5 })).toEqual([
        Code.InvalidArgument,
        "create partitions of topic 'grow': INVALID_PARTITIONS: Topic already has 5 partition(s).",
      ]);
      expect(await refused({ name: 'grow', partitions: 3 })).toEqual([
        Code.InvalidArgument,
        "create partitions of topic 'grow': INVALID_PARTITIONS: The topic grow currently has 5 partition(s); 3 would not be an increase.",
      ]);
      expect((await refused({ name: 'grow', partitions: 17 }))[1]).toContain(
        'more than the maximum 16',
      );
      expect(await refused({ name: 'nope', partitions: 3 })).toEqual([
        Code.NotFound,
        'create partitions of topic \'nope\': UNKNOWN_TOPIC_OR_PARTITION: topic "nope" does not exist',
      ]);
      expect((await refused({ name: '', partitions: 3 }))[0]).toBe(Code.InvalidArgument);
      // validate_only checks and writes nothing.
      expect(
        (await admin.createPartitions({ name: 'grow', partitions: 8, validateOnly: true }))
          .partitions,
      ).toBe(8);
      expect((await cp.registry.get('grow'))?.partitions).toBe(5);
    });
  });
});
