/**
 * AlterConfigs and IncrementalAlterConfigs rules over the in-process store: what is written
 * to the topic key, the Kafka errors in Kafka's order, brokers and broker loggers, and that
 * edges learn the new overrides from the metadata stream.
 */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlterConfigOp,
  AlterConfigsRequestSchema,
  type AlterableConfigResourceSchema,
  type ConfigResourceResult,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  MetadataStoreUnavailableError,
  type MetadataStore,
} from '../../../../lib/stores/metadata-store.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import {
  alterConfigs,
  applyIncremental,
} from '../../../../controlplane/src/configs/alter-configs.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { TopicRegistry } from '../../../../controlplane/src/topics/topic-registry.js';
import { waitFor } from '../helpers.js';
import { startWatchedControlplane } from '../watched-controlplane.js';

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const { SET_UNSPECIFIED: SET, DELETE, APPEND, SUBTRACT } = AlterConfigOp;

let store: MemoryMetadataStore;
let registry: TopicRegistry;
let view: MetadataView;

beforeEach(async () => {
  store = new MemoryMetadataStore();
  registry = new TopicRegistry(store, { defaultPartitions: 1 });
  await registry.create([
    {
      name: 'orders',
      numPartitions: 2,
      replicationFactor: -1,
      configs: { 'retention.ms': '1000', 'segment.bytes': '1048576' },
    },
  ]);
  view = await MetadataView.start(store);
});

afterEach(async () => {
  await view.stop();
  await store.close();
});

type Change = [string, number, string | undefined];
type ResourceInit = MessageInitShape<typeof AlterableConfigResourceSchema>;

function resource(configs: readonly Change[], over: ResourceInit = {}): ResourceInit {
  return {
    resourceType: TOPIC,
    resourceName: 'orders',
    configs: configs.map(([name, op, value]) => ({
      name,
      op,
      ...(value === undefined ? {} : { value }),
    })),
    ...over,
  };
}

async function alter(
  resources: ResourceInit[],
  incremental: boolean,
  validateOnly = false,
  reg: TopicRegistry = registry,
): Promise<ConfigResourceResult[]> {
  const res = await alterConfigs(
    reg,
    view,
    create(AlterConfigsRequestSchema, { resources, incremental, validateOnly }),
  );
  return res.results;
}

async function alterOne(
  changes: readonly Change[],
  incremental: boolean,
  over: ResourceInit = {},
  validateOnly = false,
): Promise<ConfigResourceResult> {
  const [r] = await alter([resource(changes, over)], incremental, validateOnly);
  if (r === undefined) throw new Error('no result');
  return r;
}

const stored = async () => (await registry.get('orders'))?.configs;

describe('AlterConfigs (whole replacement)', () => {
  it('replaces every override with the given set, in etcd and in the view', async () => {
    const r = await alterOne(
      [
        ['cleanup.policy', SET, 'compact'],
        ['retention.ms', SET, '5000'],
      ],
      false,
    );
    expect(r).toMatchObject({ errorCode: 0, errorMessage: '', resourceName: 'orders' });
    expect(await stored()).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '5000' });
    // The call returns once this replica's view shows it.
    expect(view.topicByName('orders')?.record.configs).toEqual(await stored());
  });

  it('an empty set removes every override', async () => {
    expect((await alterOne([], false)).errorCode).toBe(0);
    expect(await stored()).toEqual({});
  });

  it('refuses null values with INVALID_REQUEST naming them', async () => {
    const r = await alterOne(
      [
        ['retention.ms', SET, undefined],
        ['segment.ms', SET, '1'],
        ['flush.ms', SET, undefined],
      ],
      false,
    );
    expect(r.errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect(r.errorMessage).toBe('Null value not supported for : retention.ms, flush.ms');
    expect(await stored()).toEqual({ 'retention.ms': '1000', 'segment.bytes': '1048576' });
  });

  it('names every unknown config in one INVALID_CONFIG', async () => {
    const r = await alterOne(
      [
        ['retention.hours', SET, '1'],
        ['retention.ms', SET, '1'],
        ['no.such', SET, 'x'],
      ],
      false,
    );
    expect(r.errorCode).toBe(KafkaError.INVALID_CONFIG);
    expect(r.errorMessage).toBe('Unknown topic config names: "retention.hours", "no.such"');
  });

  it("refuses an invalid value with INVALID_CONFIG and the validator's reason", async () => {
    const r = await alterOne([['retention.ms', SET, 'soon']], false);
    expect(r.errorCode).toBe(KafkaError.INVALID_CONFIG);
    expect(r.errorMessage).toBe(
      'invalid value "soon" for topic config "retention.ms": it is not a long',
    );
  });

  it('checks the new set as a whole: min.compaction.lag.ms above max.compaction.lag.ms', async () => {
    const r = await alterOne(
      [
        ['min.compaction.lag.ms', SET, '10'],
        ['max.compaction.lag.ms', SET, '5'],
      ],
      false,
    );
    expect(r.errorCode).toBe(KafkaError.INVALID_CONFIG);
    expect(r.errorMessage).toContain(
      'min.compaction.lag.ms (10) is above max.compaction.lag.ms (5)',
    );
  });

  it('validate_only checks and writes nothing', async () => {
    expect((await alterOne([['retention.ms', SET, '7']], false, {}, true)).errorCode).toBe(0);
    expect((await alterOne([['retention.ms', SET, 'x']], false, {}, true)).errorCode).toBe(
      KafkaError.INVALID_CONFIG,
    );
    expect(await stored()).toEqual({ 'retention.ms': '1000', 'segment.bytes': '1048576' });
  });

  it('topic errors: missing, "" and illegal names', async () => {
    expect(
      (await alterOne([['retention.ms', SET, '1']], false, { resourceName: 'missing' })).errorCode,
    ).toBe(KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await alterOne([], false, { resourceName: '' })).toMatchObject({
      errorCode: KafkaError.INVALID_REQUEST,
      errorMessage: 'Default topic resources are not allowed.',
    });
    expect((await alterOne([], false, { resourceName: 'a/b' })).errorCode).toBe(
      KafkaError.INVALID_TOPIC_EXCEPTION,
    );
  });

  it('a resource named twice fails every copy; a config named twice fails its resource', async () => {
    const results = await alter(
      [
        resource([['retention.ms', SET, '1']]),
        resource([['retention.ms', SET, '2']]),
        resource(
          [
            ['retention.ms', SET, '3'],
            ['retention.ms', SET, '4'],
          ],
          { resourceName: 'other' },
        ),
        resource([], { resourceType: BROKER, resourceName: 'orders' }),
      ],
      false,
    );
    expect(results.map((r) => [r.resourceType, r.resourceName, r.errorCode])).toEqual([
      [TOPIC, 'orders', KafkaError.INVALID_REQUEST],
      [TOPIC, 'orders', KafkaError.INVALID_REQUEST],
      [TOPIC, 'other', KafkaError.INVALID_REQUEST],
      [BROKER, 'orders', KafkaError.INVALID_REQUEST],
    ]);
    expect(results[0]?.errorMessage).toBe('Each resource must appear at most once.');
    expect(results[2]?.errorMessage).toContain('duplicate config keys');
    expect(results[3]?.errorMessage).toBe('Node id must be an integer, but it is: orders');
    expect(await stored()).toEqual({ 'retention.ms': '1000', 'segment.bytes': '1048576' });
  });

  it('fails the call with UNAVAILABLE when the store cannot be reached', async () => {
    const down: MetadataStore = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'get') return () => Promise.reject(new MetadataStoreUnavailableError('down'));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const broken = new TopicRegistry(down, { defaultPartitions: 1 });
    const err = await alter([resource([['retention.ms', SET, '1']])], false, false, broken).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.Unavailable);
  });
});

describe('IncrementalAlterConfigs', () => {
  it('SET and DELETE touch only the configs named', async () => {
    const r = await alterOne(
      [
        ['retention.ms', DELETE, undefined],
        ['compression.type', SET, 'zstd'],
        ['flush.ms', DELETE, undefined],
      ],
      true,
    );
    expect(r.errorCode).toBe(0);
    expect(await stored()).toEqual({ 'segment.bytes': '1048576', 'compression.type': 'zstd' });
  });

  it('APPEND and SUBTRACT work on lists, starting from the default without an override', async () => {
    expect((await alterOne([['cleanup.policy', APPEND, 'compact']], true)).errorCode).toBe(0);
    expect((await stored())?.['cleanup.policy']).toBe('delete,compact');
    expect((await alterOne([['cleanup.policy', APPEND, 'compact,delete']], true)).errorCode).toBe(
      0,
    );
    expect((await stored())?.['cleanup.policy']).toBe('delete,compact');
    expect((await alterOne([['cleanup.policy', SUBTRACT, 'delete']], true)).errorCode).toBe(0);
    expect((await stored())?.['cleanup.policy']).toBe('compact');
    expect(
      (await alterOne([['leader.replication.throttled.replicas', APPEND, '0:1,1:2']], true))
        .errorCode,
    ).toBe(0);
    expect((await stored())?.['leader.replication.throttled.replicas']).toBe('0:1,1:2');
  });

  it('APPEND or SUBTRACT on a config that is not a list is INVALID_CONFIG', async () => {
    const r = await alterOne([['retention.ms', APPEND, '5']], true);
    expect(r).toMatchObject({
      errorCode: KafkaError.INVALID_CONFIG,
      errorMessage: "Can't APPEND to key retention.ms because its type is not LIST.",
    });
    expect((await alterOne([['preallocate', SUBTRACT, 'true']], true)).errorCode).toBe(
      KafkaError.INVALID_CONFIG,
    );
  });

  it('refuses an APPEND that makes the list invalid', async () => {
    const r = await alterOne([['cleanup.policy', APPEND, 'archive']], true);
    expect(r.errorCode).toBe(KafkaError.INVALID_CONFIG);
    expect(r.errorMessage).toContain('"archive"');
  });

  it('null values are refused except for DELETE', async () => {
    const r = await alterOne(
      [
        ['retention.ms', DELETE, undefined],
        ['segment.ms', SET, undefined],
      ],
      true,
    );
    expect(r).toMatchObject({
      errorCode: KafkaError.INVALID_REQUEST,
      errorMessage: 'Null value not supported for : segment.ms',
    });
  });

  it('unknown names (DELETE too) are INVALID_CONFIG naming every one; an unknown operation INVALID_REQUEST', async () => {
    const r = await alterOne(
      [
        ['bogus.one', DELETE, undefined],
        ['retention.ms', SET, '1'],
        ['bogus.two', SET, '2'],
      ],
      true,
    );
    expect(r).toMatchObject({
      errorCode: KafkaError.INVALID_CONFIG,
      errorMessage: 'Unknown topic config names: "bogus.one", "bogus.two"',
    });
    const bad = await alterOne([['retention.ms', 9, '1']], true);
    expect(bad.errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect(await stored()).toEqual({ 'retention.ms': '1000', 'segment.bytes': '1048576' });
  });

  it('validate_only writes nothing', async () => {
    expect((await alterOne([['retention.ms', DELETE, undefined]], true, {}, true)).errorCode).toBe(
      0,
    );
    expect((await stored())?.['retention.ms']).toBe('1000');
  });

  it('applyIncremental keeps the configs it is not asked to change', () => {
    expect(
      applyIncremental({ a: '1', 'cleanup.policy': 'compact' }, [
        { name: 'cleanup.policy', op: SUBTRACT, value: 'compact' },
        { name: 'b', op: SET, value: '2' },
      ]),
    ).toEqual({ a: '1', 'cleanup.policy': '', b: '2' });
  });
});

describe('AlterConfigs on brokers and broker loggers', () => {
  it.each([false, true])(
    'incremental=%s: a broker config change is INVALID_REQUEST naming the configs',
    async (incremental) => {
      for (const name of ['', '1']) {
        const r = await alterOne(
          [
            ['log.retention.ms', SET, '1'],
            ['num.partitions', SET, '3'],
          ],
          incremental,
          { resourceType: BROKER, resourceName: name },
        );
        expect(r.errorCode).toBe(KafkaError.INVALID_REQUEST);
        expect(r.errorMessage).toMatch(
          /^Cannot update these configs dynamically: "log.retention.ms", "num.partitions"\. Kafscale has no dynamic broker configs/,
        );
      }
    },
  );

  it('nothing to change (or only DELETEs) succeeds', async () => {
    expect((await alterOne([], false, { resourceType: BROKER, resourceName: '1' })).errorCode).toBe(
      0,
    );
    expect(
      (
        await alterOne([['log.retention.ms', DELETE, undefined]], true, {
          resourceType: BROKER,
          resourceName: '',
        })
      ).errorCode,
    ).toBe(0);
  });

  it('broker loggers: not in AlterConfigs; incrementally, no logger exists', async () => {
    const logger = { resourceType: BROKER_LOGGER, resourceName: '1' };
    expect((await alterOne([], false, logger)).errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect((await alterOne([], true, logger)).errorCode).toBe(0);
    const set = await alterOne([['kafka.server', SET, 'DEBUG']], true, logger);
    expect(set.errorCode).toBe(KafkaError.INVALID_CONFIG);
    expect(set.errorMessage).toMatch(/^Logger kafka.server does not exist!/);
    expect((await alterOne([['root', APPEND, 'DEBUG']], true, logger)).errorMessage).toBe(
      'APPEND operation is not allowed for the BROKER_LOGGER resource',
    );
    expect(
      (await alterOne([], true, { resourceType: BROKER_LOGGER, resourceName: '' })).errorCode,
    ).toBe(KafkaError.INVALID_REQUEST);
  });

  it.each([0, 16, 32])('INVALID_REQUEST for resource type %i', async (type) => {
    const r = await alterOne([], true, { resourceType: type });
    expect(r.errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect(r.errorMessage).toContain(`Unknown resource type ${type}`);
  });
});

describe('through a controlplane', () => {
  it("reaches an edge's cluster view through WatchMetadata", async () => {
    const { client, edgeView, stop } = await startWatchedControlplane();
    try {
      await client.createTopics({
        topics: [{ name: 'watched', numPartitions: 1, replicationFactor: -1, configs: {} }],
      });
      const res = await client.alterConfigs({
        incremental: true,
        resources: [
          {
            resourceType: TOPIC,
            resourceName: 'watched',
            configs: [{ name: 'max.message.bytes', op: SET, value: '2048' }],
          },
        ],
      });
      expect(res.results.map((r) => r.errorCode)).toEqual([0]);
      await waitFor(
        'the edge view',
        () => edgeView.topic('watched')?.configs['max.message.bytes'] === '2048',
      );
      const described = await client.describeConfigs({
        resources: [
          {
            resourceType: TOPIC,
            resourceName: 'watched',
            configNames: ['max.message.bytes'],
          },
        ],
      });
      expect(described.results[0]?.configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
        ['max.message.bytes', '2048', 1],
      ]);
    } finally {
      await stop();
    }
  });
});
