/**
 * Every topic-level config Kafka 3.9 defines (LogConfig's ConfigDef plus the throttled-
 * replica lists of QuotaConfig), with the type, default, broker synonym and validator Kafka
 * gives it, and a line of documentation of our own. Values are parsed as Kafka's ConfigDef
 * parses them: trimmed, booleans case-insensitive, lists comma-separated with whitespace
 * trimmed; enum strings are case-sensitive.
 *
 * Kafscale stores the overrides and reports them (DescribeConfigs); which ones change
 * behaviour is up to the features that read them (retention, compression, timestamps).
 * A topic without an override reports the default here, which is also the value of its
 * broker synonym (controlplane/src/configs/broker-configs.ts).
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../lib/metadata/topic-append-rules.js';
import type { ConfigType } from '../configs/config-types.js';
import { topicFailure, type TopicFailure } from './topic-failure.js';

/** Returns why `value` is refused, or undefined when it is valid. */
type Check = (value: string) => string | undefined;

const INT32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

function integer(range: readonly [bigint, bigint], type: string, min?: bigint, max?: bigint) {
  return (value: string): string | undefined => {
    const t = value.trim();
    if (!/^[+-]?\d+$/.test(t)) return `it is not a ${type}`;
    const n = BigInt(t);
    if (n < range[0] || n > range[1]) return `it is out of range for a ${type}`;
    if (min !== undefined && n < min) {
      return max === undefined ? `it must be at least ${min}` : `it must be in [${min}, ${max}]`;
    }
    if (max !== undefined && n > max) return `it must be in [${min ?? range[0]}, ${max}]`;
    return undefined;
  };
}

const int = (min?: number, max?: number): Check =>
  integer(
    INT32,
    'int',
    min === undefined ? undefined : BigInt(min),
    max === undefined ? undefined : BigInt(max),
  );
const long = (min?: number): Check =>
  integer(INT64, 'long', min === undefined ? undefined : BigInt(min));

const bool: Check = (value) =>
  /^(true|false)$/i.test(value.trim()) ? undefined : 'it is not a boolean (true or false)';

function oneOf(...allowed: string[]): Check {
  return (value) =>
    allowed.includes(value.trim()) ? undefined : `it must be one of ${allowed.join(', ')}`;
}

function listOf(...allowed: string[]): Check {
  return (value) => {
    const t = value.trim();
    if (t === '') return undefined;
    const bad = t.split(/\s*,\s*/).find((item) => !allowed.includes(item));
    return bad === undefined
      ? undefined
      : `item ${JSON.stringify(bad)} is not one of ${allowed.join(', ')}`;
  };
}

const ratio: Check = (value) => {
  const t = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return 'it is not a double';
  const n = Number(t);
  return n >= 0 && n <= 1 ? undefined : 'it must be in [0, 1]';
};

/** ThrottledReplicaListValidator: "*" or a list of partition:brokerId pairs. */
const throttledReplicas: Check = (value) => {
  const t = value.trim();
  if (t === '*' || t === '') return undefined;
  return t.split(/\s*,\s*/).every((item) => /^(\d+:\d+)?$/.test(item))
    ? undefined
    : 'it must be "*" or a list of partitionId:brokerId pairs';
};

/** MetadataVersion strings such as 2.8, 3.0-IV1 or 0.10.0-IV1 (deprecated in 3.x). */
const metadataVersion: Check = (value) =>
  /^\d+\.\d+(\.\d+)?(-IV\d+)?$/.test(value.trim()) ? undefined : 'it is not a Kafka version';

/** Deflater levels: -1 (the default) or 1 to 9. */
const gzipLevel: Check = (value) => {
  const why = int()(value);
  if (why !== undefined) return why;
  const n = Number(value.trim());
  return n === -1 || (n >= 1 && n <= 9) ? undefined : 'it must be -1 or in [1, 9]';
};

/** One topic-level config: how Kafka types, defaults, validates and explains it. */
export interface TopicConfigDef {
  readonly type: ConfigType;
  /** Kafka 3.9's default, as DescribeConfigs prints it. */
  readonly defaultValue: string;
  /**
   * The broker config that sets the cluster-wide default in Kafka (ServerTopicConfigSynonyms,
   * the first of its names), if there is one.
   */
  readonly brokerSynonym: string | undefined;
  /** Why a value is refused, or undefined when it is valid. */
  readonly check: Check;
  /** What the config does, for DescribeConfigs' documentation (v3+). */
  readonly documentation: string;
}

function def(
  type: ConfigType,
  defaultValue: string,
  brokerSynonym: string | undefined,
  check: Check,
  documentation: string,
): TopicConfigDef {
  return { type, defaultValue, brokerSynonym, check, documentation };
}

const MAX_LONG = '9223372036854775807';
const WEEK_MS = '604800000';

/** Kafka 3.9's topic-level configs by name. */
export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigDef> = new Map<string, TopicConfigDef>([
  [
    'cleanup.policy',
    def(
      'LIST',
      'delete',
      'log.cleanup.policy',
      listOf('compact', 'delete'),
      'How old records go: "delete" removes whole segments past the retention limits, ' +
        '"compact" keeps only the newest record of each key; both may be listed.',
    ),
  ],
  [
    'compression.gzip.level',
    def(
      'INT',
      '-1',
      'compression.gzip.level',
      gzipLevel,
      'The level used when compression.type is gzip; -1 leaves it to the codec.',
    ),
  ],
  [
    'compression.lz4.level',
    def(
      'INT',
      '9',
      'compression.lz4.level',
      int(1, 17),
      'The level used when compression.type is lz4.',
    ),
  ],
  [
    'compression.type',
    def(
      'STRING',
      'producer',
      'compression.type',
      oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'),
      'The codec batches are stored with; "producer" keeps each batch as the producer ' +
        'compressed it.',
    ),
  ],
  [
    'compression.zstd.level',
    def(
      'INT',
      '3',
      'compression.zstd.level',
      int(-131072, 22),
      'The level used when compression.type is zstd.',
    ),
  ],
  [
    'delete.retention.ms',
    def(
      'LONG',
      '86400000',
      'log.cleaner.delete.retention.ms',
      long(0),
      'On a compacted topic, how long a tombstone stays readable before compaction may ' +
        'drop it.',
    ),
  ],
  [
    'file.delete.delay.ms',
    def(
      'LONG',
      '60000',
      'log.segment.delete.delay.ms',
      long(0),
      'How long a segment that left the log waits before its files are removed.',
    ),
  ],
  [
    'flush.messages',
    def(
      'LONG',
      MAX_LONG,
      'log.flush.interval.messages',
      long(1),
      'Records appended between two forced flushes to disk.',
    ),
  ],
  [
    'flush.ms',
    def(
      'LONG',
      MAX_LONG,
      'log.flush.interval.ms',
      long(0),
      'The longest a record stays unflushed before the log is forced to disk.',
    ),
  ],
  [
    'follower.replication.throttled.replicas',
    def(
      'LIST',
      '',
      undefined,
      throttledReplicas,
      'Replicas, as partition:broker pairs or "*" for all, whose replication is throttled ' +
        'on the follower side.',
    ),
  ],
  [
    'index.interval.bytes',
    def(
      'INT',
      '4096',
      'log.index.interval.bytes',
      int(0),
      'Log bytes between two entries of the offset index.',
    ),
  ],
  [
    'leader.replication.throttled.replicas',
    def(
      'LIST',
      '',
      undefined,
      throttledReplicas,
      'Replicas, as partition:broker pairs or "*" for all, whose replication is throttled ' +
        'on the leader side.',
    ),
  ],
  [
    'local.retention.bytes',
    def(
      'LONG',
      '-2',
      'log.local.retention.bytes',
      long(-2),
      'With tiered storage, the bytes a partition keeps on local disk; -2 means ' +
        'retention.bytes.',
    ),
  ],
  [
    'local.retention.ms',
    def(
      'LONG',
      '-2',
      'log.local.retention.ms',
      long(-2),
      'With tiered storage, how long segments stay on local disk; -2 means retention.ms.',
    ),
  ],
  [
    'max.compaction.lag.ms',
    def(
      'LONG',
      MAX_LONG,
      'log.cleaner.max.compaction.lag.ms',
      long(1),
      'The longest a record of a compacted topic may wait before it is eligible for ' +
        'compaction.',
    ),
  ],
  [
    'max.message.bytes',
    def(
      'INT',
      String(DEFAULT_MAX_MESSAGE_BYTES),
      'message.max.bytes',
      int(0),
      'The largest record batch the topic accepts, in bytes (after compression).',
    ),
  ],
  [
    'message.downconversion.enable',
    def(
      'BOOLEAN',
      'true',
      'log.message.downconversion.enable',
      bool,
      'Whether consumers using an old fetch version get records converted to the old ' +
        'message format.',
    ),
  ],
  [
    'message.format.version',
    def(
      'STRING',
      '3.0-IV1',
      'log.message.format.version',
      metadataVersion,
      'Deprecated: the message format records are written in; ignored from inter-broker ' +
        'protocol 3.0 on.',
    ),
  ],
  [
    'message.timestamp.after.max.ms',
    def(
      'LONG',
      MAX_LONG,
      'log.message.timestamp.after.max.ms',
      long(0),
      'How far ahead of the broker clock a CreateTime timestamp may be before the batch is ' +
        'refused.',
    ),
  ],
  [
    'message.timestamp.before.max.ms',
    def(
      'LONG',
      MAX_LONG,
      'log.message.timestamp.before.max.ms',
      long(0),
      'How far behind the broker clock a CreateTime timestamp may be before the batch is ' +
        'refused.',
    ),
  ],
  [
    'message.timestamp.difference.max.ms',
    def(
      'LONG',
      MAX_LONG,
      'log.message.timestamp.difference.max.ms',
      long(0),
      'Deprecated: the largest gap, either way, between a CreateTime timestamp and the ' +
        'broker clock.',
    ),
  ],
  [
    'message.timestamp.type',
    def(
      'STRING',
      'CreateTime',
      'log.message.timestamp.type',
      oneOf('CreateTime', 'LogAppendTime'),
      "Which timestamp records keep: the producer's (CreateTime) or the time the broker " +
        'appended them (LogAppendTime).',
    ),
  ],
  [
    'min.cleanable.dirty.ratio',
    def(
      'DOUBLE',
      '0.5',
      'log.cleaner.min.cleanable.ratio',
      ratio,
      'The share of a compacted log not yet compacted at which the cleaner takes it up.',
    ),
  ],
  [
    'min.compaction.lag.ms',
    def(
      'LONG',
      '0',
      'log.cleaner.min.compaction.lag.ms',
      long(0),
      'The least time a record stays as written before compaction may drop it.',
    ),
  ],
  [
    'min.insync.replicas',
    def(
      'INT',
      '1',
      'min.insync.replicas',
      int(1),
      'Replicas that must have a write for an acks=all produce to succeed.',
    ),
  ],
  [
    'preallocate',
    def(
      'BOOLEAN',
      'false',
      'log.preallocate',
      bool,
      'Whether a new segment file is allocated at its full size up front.',
    ),
  ],
  [
    'remote.log.copy.disable',
    def(
      'BOOLEAN',
      'false',
      undefined,
      bool,
      'With tiered storage, stop copying segments to remote storage; what is there stays ' +
        'readable.',
    ),
  ],
  [
    'remote.log.delete.on.disable',
    def(
      'BOOLEAN',
      'false',
      undefined,
      bool,
      'Whether turning remote.storage.enable off deletes the remote copies of the topic.',
    ),
  ],
  [
    'remote.storage.enable',
    def('BOOLEAN', 'false', undefined, bool, 'Whether the topic uses tiered (remote) storage.'),
  ],
  [
    'retention.bytes',
    def(
      'LONG',
      '-1',
      'log.retention.bytes',
      long(),
      'The bytes a partition keeps before its oldest segments are deleted; -1 means no size ' +
        'limit.',
    ),
  ],
  [
    'retention.ms',
    def(
      'LONG',
      WEEK_MS,
      'log.retention.ms',
      long(-1),
      'How long records are kept before their segment is deleted; -1 means no time limit.',
    ),
  ],
  [
    'segment.bytes',
    def(
      'INT',
      '1073741824',
      'log.segment.bytes',
      int(14),
      'The size at which a segment is closed and the next one started.',
    ),
  ],
  [
    'segment.index.bytes',
    def(
      'INT',
      '10485760',
      'log.index.size.max.bytes',
      int(4),
      'The size of the offset index of one segment.',
    ),
  ],
  [
    'segment.jitter.ms',
    def(
      'LONG',
      '0',
      'log.roll.jitter.ms',
      long(0),
      'The largest random amount taken off segment.ms, so that segments do not all roll at ' +
        'once.',
    ),
  ],
  [
    'segment.ms',
    def(
      'LONG',
      WEEK_MS,
      'log.roll.ms',
      long(1),
      'The age at which a segment is closed and the next one started, even if not full.',
    ),
  ],
  [
    'unclean.leader.election.enable',
    def(
      'BOOLEAN',
      'false',
      'unclean.leader.election.enable',
      bool,
      'Whether a replica that is not in sync may become leader, losing what it lacks.',
    ),
  ],
]);

/** The names among `names` that are not topic configs, in order, each once. */
export function unknownTopicConfigs(names: Iterable<string>): string[] {
  return [...new Set([...names].filter((n) => !TOPIC_CONFIGS.has(n)))];
}

/**
 * Undefined when every entry is a known config with a valid value and the set is
 * consistent (LogConfig.validateValues: min.compaction.lag.ms not above
 * max.compaction.lag.ms), else INVALID_CONFIG.
 */
export function validateTopicConfigs(
  configs: Readonly<Record<string, string>>,
): TopicFailure | undefined {
  for (const [name, value] of Object.entries(configs)) {
    const check = TOPIC_CONFIGS.get(name)?.check;
    if (check === undefined) {
      return topicFailure(
        KafkaError.INVALID_CONFIG,
        `unknown topic config ${JSON.stringify(name)} (value ${JSON.stringify(value)})`,
      );
    }
    const why = check(value);
    if (why !== undefined) {
      return topicFailure(
        KafkaError.INVALID_CONFIG,
        `invalid value ${JSON.stringify(value)} for topic config ${JSON.stringify(name)}: ${why}`,
      );
    }
  }
  const lag = (name: string) =>
    BigInt((configs[name] ?? TOPIC_CONFIGS.get(name)?.defaultValue ?? '0').trim());
  const [minLag, maxLag] = [lag('min.compaction.lag.ms'), lag('max.compaction.lag.ms')];
  if (minLag > maxLag) {
    return topicFailure(
      KafkaError.INVALID_CONFIG,
      `conflicting topic configs: min.compaction.lag.ms (${String(minLag)}) is above ` +
        `max.compaction.lag.ms (${String(maxLag)})`,
    );
  }
  return undefined;
}
