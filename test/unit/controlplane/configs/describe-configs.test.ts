/** DescribeConfigs' rules over the in-process store: topics, brokers, broker loggers, errors. */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeConfigsRequestSchema,
  type ConfigResourceQuerySchema,
  type DescribedConfig,
  type DescribedConfigResource,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import {
  brokerConfigNames,
  DEFAULT_BROKER_SETTINGS,
  type BrokerSettings,
} from '../../../../controlplane/src/configs/broker-configs.js';
import { describeConfigs } from '../../../../controlplane/src/configs/describe-configs.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { TOPIC_CONFIGS } from '../../../../controlplane/src/topics/topic-configs.js';
import { TopicRegistry } from '../../../../controlplane/src/topics/topic-registry.js';
import { waitFor } from '../helpers.js';

type Query = MessageInitShape<typeof ConfigResourceQuerySchema>;

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
/** Kafka's config sources and types. */
const TOPIC_CONFIG = 1;
const STATIC_BROKER_CONFIG = 4;
const DEFAULT_CONFIG = 5;
const [BOOLEAN, STRING, INT, LONG, DOUBLE, LIST] = [1, 2, 3, 5, 6, 7];

let store: MemoryMetadataStore;
let view: MetadataView;

beforeEach(async () => {
  store = new MemoryMetadataStore();
  const registry = new TopicRegistry(store, { defaultPartitions: 1 });
  await registry.create([
    {
      name: 'orders',
      numPartitions: 3,
      replicationFactor: -1,
      configs: {
        'retention.ms': ' 3600000 ',
        'cleanup.policy': 'compact , delete',
        preallocate: 'TRUE',
        'min.cleanable.dirty.ratio': '1',
      },
    },
    { name: 'plain', numPartitions: 1, replicationFactor: -1, configs: {} },
  ]);
  view = await MetadataView.start(store);
  await waitFor('topics in view', () => view.topicByName('plain') !== undefined);
});

afterEach(async () => {
  await view.stop();
  await store.close();
});

function query(q: Query): Query {
  return { resourceType: TOPIC, resourceName: 'orders', allConfigs: true, ...q };
}

async function describeOne(
  q: Query,
  opts: { synonyms?: boolean; docs?: boolean; settings?: BrokerSettings } = {},
): Promise<DescribedConfigResource> {
  const res = await describeConfigs(
    view,
    create(DescribeConfigsRequestSchema, {
      resources: [query(q)],
      includeSynonyms: opts.synonyms ?? false,
      includeDocumentation: opts.docs ?? false,
    }),
    opts.settings,
  );
  const [r] = res.results;
  if (r === undefined) throw new Error('no result');
  return r;
}

function byName(r: DescribedConfigResource): Map<string, DescribedConfig> {
  return new Map(r.configs.map((c) => [c.name, c]));
}

describe('DescribeConfigs: topics', () => {
  it('lists every topic config: overrides as TOPIC_CONFIG (values as Kafka prints them), the rest as defaults', async () => {
    const r = await describeOne({});
    expect(r.errorCode).toBe(0);
    expect(r.configs.map((c) => c.name)).toEqual([...TOPIC_CONFIGS.keys()]);
    const c = byName(r);
    expect(c.get('retention.ms')).toMatchObject({
      value: '3600000',
      configSource: TOPIC_CONFIG,
      readOnly: false,
      isSensitive: false,
      configType: LONG,
    });
    expect(c.get('cleanup.policy')).toMatchObject({
      value: 'compact,delete',
      configSource: TOPIC_CONFIG,
      configType: LIST,
    });
    expect(c.get('preallocate')).toMatchObject({ value: 'true', configType: BOOLEAN });
    expect(c.get('min.cleanable.dirty.ratio')).toMatchObject({ value: '1.0', configType: DOUBLE });
    expect(c.get('max.message.bytes')).toMatchObject({
      value: '1048588',
      configSource: DEFAULT_CONFIG,
      readOnly: false,
      configType: INT,
    });
    expect(c.get('compression.type')).toMatchObject({ value: 'producer', configType: STRING });
    expect(c.get('segment.ms')?.value).toBe('604800000');
    expect(c.get('leader.replication.throttled.replicas')?.value).toBe('');
    // Neither synonyms nor documentation unless asked.
    expect(r.configs.every((x) => x.synonyms.length === 0 && x.documentation === '')).toBe(true);
  });

  it('gives synonyms when asked: the override, then the broker default under its broker name', async () => {
    const c = byName(await describeOne({}, { synonyms: true }));
    expect(c.get('retention.ms')?.synonyms.map((s) => [s.name, s.value, s.source])).toEqual([
      ['retention.ms', '3600000', TOPIC_CONFIG],
      ['log.retention.ms', '604800000', DEFAULT_CONFIG],
    ]);
    expect(c.get('max.message.bytes')?.synonyms.map((s) => [s.name, s.value, s.source])).toEqual([
      ['message.max.bytes', '1048588', DEFAULT_CONFIG],
    ]);
    // No broker synonym in Kafka: no synonyms at all without an override.
    expect(c.get('remote.storage.enable')?.synonyms).toEqual([]);
  });

  it('documents each config when asked, in words of its own', async () => {
    const r = await describeOne({}, { docs: true });
    expect(r.configs.every((c) => c.documentation.length > 20)).toBe(true);
    expect(byName(r).get('retention.ms')?.documentation).toMatch(/kept/);
  });

  it('describes only the configs asked for (unknown names are left out)', async () => {
    const r = await describeOne({
      allConfigs: false,
      configNames: ['segment.bytes', 'no.such.config', 'retention.ms'],
    });
    expect(r.configs.map((c) => [c.name, c.value])).toEqual([
      ['retention.ms', '3600000'],
      ['segment.bytes', '1073741824'],
    ]);
  });

  it('a topic without overrides is all defaults', async () => {
    const r = await describeOne({ resourceName: 'plain' });
    expect(r.configs.every((c) => c.configSource === DEFAULT_CONFIG)).toBe(true);
  });

  it('UNKNOWN_TOPIC_OR_PARTITION for a missing topic, INVALID_TOPIC_EXCEPTION for an illegal name', async () => {
    expect(await describeOne({ resourceName: 'missing' })).toMatchObject({
      errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
      resourceName: 'missing',
      resourceType: TOPIC,
      configs: [],
    });
    expect((await describeOne({ resourceName: 'bad/name' })).errorCode).toBe(
      KafkaError.INVALID_TOPIC_EXCEPTION,
    );
    expect((await describeOne({ resourceName: '' })).errorCode).toBe(
      KafkaError.INVALID_TOPIC_EXCEPTION,
    );
  });

  it('answers every resource in request order', async () => {
    const res = await describeConfigs(
      view,
      create(DescribeConfigsRequestSchema, {
        resources: [
          query({ resourceName: 'missing' }),
          query({ resourceType: BROKER, resourceName: '3' }),
          query({}),
          query({}),
        ],
      }),
    );
    expect(res.results.map((r) => [r.resourceType, r.resourceName, r.errorCode])).toEqual([
      [TOPIC, 'missing', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      [BROKER, '3', 0],
      [TOPIC, 'orders', 0],
      [TOPIC, 'orders', 0],
    ]);
  });
});

describe('DescribeConfigs: brokers', () => {
  const settings: BrokerSettings = {
    ...DEFAULT_BROKER_SETTINGS,
    defaultPartitions: 3,
    autoCreateTopics: false,
    groups: { ...DEFAULT_BROKER_SETTINGS.groups, offsetsRetentionMs: 60 * 60_000 },
  };

  it('reports the settings the cluster runs with, read-only; STATIC_BROKER_CONFIG where they differ from Kafka', async () => {
    const r = await describeOne(
      { resourceType: BROKER, resourceName: '7' },
      { synonyms: true, settings },
    );
    expect(r.errorCode).toBe(0);
    expect(r.configs.map((c) => c.name)).toEqual(brokerConfigNames());
    expect(r.configs.every((c) => c.readOnly)).toBe(true);
    const c = byName(r);
    expect(c.get('broker.id')?.value).toBe('7');
    expect(c.get('num.partitions')).toMatchObject({
      value: '3',
      configSource: STATIC_BROKER_CONFIG,
      configType: INT,
    });
    expect(c.get('num.partitions')?.synonyms.map((s) => [s.name, s.value, s.source])).toEqual([
      ['num.partitions', '3', STATIC_BROKER_CONFIG],
      ['num.partitions', '1', DEFAULT_CONFIG],
    ]);
    expect(c.get('auto.create.topics.enable')).toMatchObject({
      value: 'false',
      configSource: STATIC_BROKER_CONFIG,
    });
    expect(c.get('offsets.retention.minutes')?.value).toBe('60');
    expect(c.get('group.min.session.timeout.ms')).toMatchObject({
      value: '6000',
      configSource: DEFAULT_CONFIG,
    });
    expect(c.get('socket.request.max.bytes')?.value).toBe('104857600');
    // Topic defaults under their broker names.
    expect(c.get('log.retention.ms')).toMatchObject({ value: '604800000', configType: LONG });
    expect(c.get('message.max.bytes')?.value).toBe('1048588');
    expect(c.get('log.cleanup.policy')?.value).toBe('delete');
  });

  it('filters broker configs by name too', async () => {
    const r = await describeOne({
      resourceType: BROKER,
      resourceName: '1',
      allConfigs: false,
      configNames: ['num.partitions', 'log.retention.ms'],
    });
    expect(r.configs.map((c) => [c.name, c.value])).toEqual([
      ['log.retention.ms', '604800000'],
      ['num.partitions', '1'],
    ]);
  });

  it('"" (the cluster-wide dynamic defaults): none exist, an empty list', async () => {
    expect(await describeOne({ resourceType: BROKER, resourceName: '' })).toMatchObject({
      errorCode: 0,
      configs: [],
    });
  });

  it('INVALID_REQUEST for an id that is not an integer', async () => {
    const r = await describeOne({ resourceType: BROKER, resourceName: 'edge-1' });
    expect(r.errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect(r.errorMessage).toBe('Broker id must be an integer, but it is: edge-1');
  });

  it('broker loggers: none to list; an empty or non-integer id is INVALID_REQUEST', async () => {
    expect(await describeOne({ resourceType: BROKER_LOGGER, resourceName: '1' })).toMatchObject({
      errorCode: 0,
      configs: [],
    });
    expect(await describeOne({ resourceType: BROKER_LOGGER, resourceName: '' })).toMatchObject({
      errorCode: KafkaError.INVALID_REQUEST,
      errorMessage: 'Broker id must not be empty',
    });
    expect((await describeOne({ resourceType: BROKER_LOGGER, resourceName: 'x' })).errorCode).toBe(
      KafkaError.INVALID_REQUEST,
    );
  });

  it.each([0, 1, 16, 32, -1])('INVALID_REQUEST for resource type %i', async (type) => {
    const r = await describeOne({ resourceType: type, resourceName: 'x' });
    expect(r.errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect(r.errorMessage).toContain(`Unsupported resource type: ${type}`);
  });
});
