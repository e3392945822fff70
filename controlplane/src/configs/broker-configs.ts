/**
 * The broker configs DescribeConfigs reports for an edge: the Kafka broker settings
 * Kafscale has, each with the value this cluster runs with. Kafscale has no dynamic broker
 * configs: every one is read-only, set at start-up from KAFSCALE_* variables (source
 * STATIC_BROKER_CONFIG when the value differs from Kafka's default, else DEFAULT_CONFIG) or
 * fixed. The cluster-wide defaults of topic configs are listed under their broker names
 * (log.retention.ms for retention.ms, ...) with the topic defaults of topic-configs.ts.
 */
import { DEFAULT_GROUP_SETTINGS, type GroupSettings } from '../groups/group-settings.js';
import { TOPIC_CONFIGS } from '../topics/topic-configs.js';
import { ConfigSource, type ConfigType } from './config-types.js';

/** What the controlplane knows of the settings every edge and replica runs with. */
export interface BrokerSettings {
  /** num.partitions (KAFSCALE_DEFAULT_PARTITIONS). */
  readonly defaultPartitions: number;
  /** auto.create.topics.enable (KAFSCALE_AUTO_CREATE_TOPICS). */
  readonly autoCreateTopics: boolean;
  /** socket.request.max.bytes (KAFSCALE_MAX_REQUEST_BYTES). */
  readonly maxRequestBytes: number;
  readonly groups: GroupSettings;
}

export const DEFAULT_BROKER_SETTINGS: BrokerSettings = {
  defaultPartitions: 1,
  autoCreateTopics: true,
  maxRequestBytes: 104_857_600,
  groups: DEFAULT_GROUP_SETTINGS,
};

/** One broker config with the value it has here. */
export interface BrokerConfigEntry {
  readonly name: string;
  readonly type: ConfigType;
  readonly value: string;
  /** Kafka 3.9's default for it. */
  readonly kafkaDefault: string;
  readonly source: number;
  readonly documentation: string;
}

interface BrokerConfigDef {
  readonly type: ConfigType;
  readonly kafkaDefault: string;
  readonly documentation: string;
  readonly value: (settings: BrokerSettings, brokerId: number) => string;
}

const fixed = (type: ConfigType, value: string, documentation: string): BrokerConfigDef => ({
  type,
  kafkaDefault: value,
  documentation,
  value: () => value,
});

/** The broker settings that are not topic config synonyms. */
const BROKER_SETTINGS: ReadonlyMap<string, BrokerConfigDef> = new Map<string, BrokerConfigDef>([
  [
    'broker.id',
    {
      type: 'INT',
      kafkaDefault: '-1',
      documentation: "The edge's broker id, as Metadata advertises it (KAFSCALE_EDGE_ID).",
      value: (_s, id) => String(id),
    },
  ],
  [
    'num.partitions',
    {
      type: 'INT',
      kafkaDefault: '1',
      documentation:
        'Partitions of a topic created without a count, or auto-created ' +
        '(KAFSCALE_DEFAULT_PARTITIONS).',
      value: (s) => String(s.defaultPartitions),
    },
  ],
  [
    'auto.create.topics.enable',
    {
      type: 'BOOLEAN',
      kafkaDefault: 'true',
      documentation:
        'Whether a Metadata request for an unknown topic creates it ' +
        '(KAFSCALE_AUTO_CREATE_TOPICS).',
      value: (s) => String(s.autoCreateTopics),
    },
  ],
  [
    'socket.request.max.bytes',
    {
      type: 'INT',
      kafkaDefault: '104857600',
      documentation:
        'The largest request an edge reads; a bigger one closes the connection ' +
        '(KAFSCALE_MAX_REQUEST_BYTES).',
      value: (s) => String(s.maxRequestBytes),
    },
  ],
  [
    'default.replication.factor',
    fixed(
      'INT',
      '1',
      'The replication factor topics report: Kafscale keeps data durable in object ' +
        'storage, so it has one copy per partition.',
    ),
  ],
  [
    'delete.topic.enable',
    fixed('BOOLEAN', 'true', 'Whether DeleteTopics may delete topics (always true here).'),
  ],
  [
    'group.min.session.timeout.ms',
    {
      type: 'INT',
      kafkaDefault: '6000',
      documentation:
        'The shortest session timeout a group member may ask for ' +
        '(KAFSCALE_GROUP_MIN_SESSION_TIMEOUT_MS).',
      value: (s) => String(s.groups.minSessionTimeoutMs),
    },
  ],
  [
    'group.max.session.timeout.ms',
    {
      type: 'INT',
      kafkaDefault: '1800000',
      documentation:
        'The longest session timeout a group member may ask for ' +
        '(KAFSCALE_GROUP_MAX_SESSION_TIMEOUT_MS).',
      value: (s) => String(s.groups.maxSessionTimeoutMs),
    },
  ],
  [
    'group.initial.rebalance.delay.ms',
    {
      type: 'INT',
      kafkaDefault: '3000',
      documentation:
        'How long a new group waits for more members before its first rebalance ' +
        '(KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS).',
      value: (s) => String(s.groups.initialRebalanceDelayMs),
    },
  ],
  [
    'offset.metadata.max.bytes',
    {
      type: 'INT',
      kafkaDefault: '4096',
      documentation:
        'The longest metadata string a committed offset may carry ' +
        '(KAFSCALE_OFFSET_METADATA_MAX_BYTES).',
      value: (s) => String(s.groups.offsetMetadataMaxBytes),
    },
  ],
  [
    'offsets.retention.minutes',
    {
      type: 'INT',
      kafkaDefault: '10080',
      documentation:
        'How long the committed offsets of an empty group are kept ' +
        '(KAFSCALE_OFFSETS_RETENTION_MINUTES).',
      value: (s) => String(Math.floor(s.groups.offsetsRetentionMs / 60_000)),
    },
  ],
  [
    'offsets.retention.check.interval.ms',
    {
      type: 'LONG',
      kafkaDefault: '600000',
      documentation:
        'How often expired offsets are looked for ' +
        '(KAFSCALE_OFFSETS_RETENTION_CHECK_INTERVAL_MS).',
      value: (s) => String(s.groups.retentionCheckIntervalMs),
    },
  ],
]);

/** Every broker config, by name: the settings above and the topic config synonyms. */
const BROKER_CONFIGS: ReadonlyMap<string, BrokerConfigDef> = new Map(
  [
    ...BROKER_SETTINGS,
    ...[...TOPIC_CONFIGS].flatMap(([topicName, t]): [string, BrokerConfigDef][] =>
      t.brokerSynonym === undefined
        ? []
        : [
            [
              t.brokerSynonym,
              fixed(t.type, t.defaultValue, `The cluster-wide default of ${topicName}.`),
            ],
          ],
    ),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);

/** The names of every broker config, in name order. */
export function brokerConfigNames(): string[] {
  return [...BROKER_CONFIGS.keys()];
}

/** Every broker config of edge `brokerId`, in name order. */
export function brokerConfigs(settings: BrokerSettings, brokerId: number): BrokerConfigEntry[] {
  return [...BROKER_CONFIGS].map(([name, d]) => {
    const value = d.value(settings, brokerId);
    return {
      name,
      type: d.type,
      value,
      kafkaDefault: d.kafkaDefault,
      source:
        value === d.kafkaDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG,
      documentation: d.documentation,
    };
  });
}
