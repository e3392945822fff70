/**
 * Every topic-level config Kafka 3.9 defines (LogConfig's ConfigDef plus the throttled-
 * replica lists of QuotaConfig), with the type and validator Kafka gives it. Values are
 * parsed as Kafka's ConfigDef parses them: numbers and booleans trimmed, booleans case-
 * insensitive, lists comma-separated with whitespace trimmed; enum strings exact.
 *
 * Kafscale stores the overrides and reports them; which ones change behaviour is up to
 * the features that read them (retention, compression, timestamps).
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
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
    allowed.includes(value) ? undefined : `it must be one of ${allowed.join(', ')}`;
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

/** Kafka 3.9's topic-level configs by name. */
export const TOPIC_CONFIGS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['cleanup.policy', listOf('compact', 'delete')],
  ['compression.gzip.level', gzipLevel],
  ['compression.lz4.level', int(1, 17)],
  ['compression.type', oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer')],
  ['compression.zstd.level', int(-131072, 22)],
  ['delete.retention.ms', long(0)],
  ['file.delete.delay.ms', long(0)],
  ['flush.messages', long(1)],
  ['flush.ms', long(0)],
  ['follower.replication.throttled.replicas', throttledReplicas],
  ['index.interval.bytes', int(0)],
  ['leader.replication.throttled.replicas', throttledReplicas],
  ['local.retention.bytes', long(-2)],
  ['local.retention.ms', long(-2)],
  ['max.compaction.lag.ms', long(1)],
  ['max.message.bytes', int(0)],
  ['message.downconversion.enable', bool],
  ['message.format.version', metadataVersion],
  ['message.timestamp.after.max.ms', long(0)],
  ['message.timestamp.before.max.ms', long(0)],
  ['message.timestamp.difference.max.ms', long(0)],
  ['message.timestamp.type', oneOf('CreateTime', 'LogAppendTime')],
  ['min.cleanable.dirty.ratio', ratio],
  ['min.compaction.lag.ms', long(0)],
  ['min.insync.replicas', int(1)],
  ['preallocate', bool],
  ['remote.log.copy.disable', bool],
  ['remote.log.delete.on.disable', bool],
  ['remote.storage.enable', bool],
  ['retention.bytes', long()],
  ['retention.ms', long(-1)],
  ['segment.bytes', int(14)],
  ['segment.index.bytes', int(4)],
  ['segment.jitter.ms', long(0)],
  ['segment.ms', long(1)],
  ['unclean.leader.election.enable', bool],
]);

/** Undefined when every entry is a known config with a valid value, else INVALID_CONFIG. */
export function validateTopicConfigs(
  configs: Readonly<Record<string, string>>,
): TopicFailure | undefined {
  for (const [name, value] of Object.entries(configs)) {
    const check = TOPIC_CONFIGS.get(name);
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
  return undefined;
}
