/** CreateTopics validation: each bad input gets Kafka's error and a message naming it. */
import { describe, expect, it } from 'vitest';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  validateCreatableTopic,
  type CreatableTopic,
} from '../../../../controlplane/src/topics/creatable-topic.js';
import {
  TOPIC_CONFIGS,
  validateTopicConfigs,
} from '../../../../controlplane/src/topics/topic-configs.js';
import { validateTopicName } from '../../../../controlplane/src/topics/topic-name.js';

const limits = { defaultPartitions: 3, maxPartitions: 1000 };
const ok: CreatableTopic = { name: 't', numPartitions: 1, replicationFactor: -1, configs: {} };

describe('topic names', () => {
  it.each(['a', 'orders.v1', 'A_b-C.9', 'x'.repeat(249), '...', '__consumer_offsets'])(
    'accepts %s',
    (name) => {
      expect(validateTopicName(name)).toBeUndefined();
    },
  );

  it.each(['', '.', '..', 'x'.repeat(250), 'a b', 'a/b', 'ü', 'a:b', 'tab\t'])(
    'refuses %j with INVALID_TOPIC_EXCEPTION naming it',
    (name) => {
      const f = validateTopicName(name);
      expect(f?.errorCode).toBe(KafkaError.INVALID_TOPIC_EXCEPTION);
      expect(f?.message).toContain(JSON.stringify(name));
    },
  );
});

describe('partitions and replication factor', () => {
  it('uses the default for -1 and keeps an explicit count', () => {
    expect(validateCreatableTopic({ ...ok, numPartitions: -1 }, limits)).toMatchObject({
      ok: true,
      topic: { partitions: 3 },
    });
    expect(validateCreatableTopic({ ...ok, numPartitions: 7 }, limits)).toMatchObject({
      ok: true,
      topic: { partitions: 7 },
    });
  });

  it.each([0, -2, -100, 1001])('refuses %i partitions with INVALID_PARTITIONS', (n) => {
    const r = validateCreatableTopic({ ...ok, numPartitions: n }, limits);
    expect(r).toMatchObject({ ok: false, errorCode: KafkaError.INVALID_PARTITIONS });
    expect(r.ok ? '' : r.message).toContain(String(n));
  });

  it.each([-1, 1, 3, 1000])('accepts and ignores replication factor %i', (rf) => {
    expect(validateCreatableTopic({ ...ok, replicationFactor: rf }, limits).ok).toBe(true);
  });

  it.each([0, -2, -7])('refuses replication factor %i with INVALID_REPLICATION_FACTOR', (rf) => {
    const r = validateCreatableTopic({ ...ok, replicationFactor: rf }, limits);
    expect(r).toMatchObject({ ok: false, errorCode: KafkaError.INVALID_REPLICATION_FACTOR });
    expect(r.ok ? '' : r.message).toContain(String(rf));
  });

  it('checks in Kafka order: the name first', () => {
    const r = validateCreatableTopic(
      { name: '..', numPartitions: 0, replicationFactor: 0, configs: { x: 'y' } },
      limits,
    );
    expect(r).toMatchObject({ ok: false, errorCode: KafkaError.INVALID_TOPIC_EXCEPTION });
  });
});

describe('topic configs', () => {
  it('knows every Kafka 3.9 topic config', () => {
    expect([...TOPIC_CONFIGS.keys()].sort()).toEqual(
      [
        'cleanup.policy',
        'compression.gzip.level',
        'compression.lz4.level',
        'compression.type',
        'compression.zstd.level',
        'delete.retention.ms',
        'file.delete.delay.ms',
        'flush.messages',
        'flush.ms',
        'follower.replication.throttled.replicas',
        'index.interval.bytes',
        'leader.replication.throttled.replicas',
        'local.retention.bytes',
        'local.retention.ms',
        'max.compaction.lag.ms',
        'max.message.bytes',
        'message.downconversion.enable',
        'message.format.version',
        'message.timestamp.after.max.ms',
        'message.timestamp.before.max.ms',
        'message.timestamp.difference.max.ms',
        'message.timestamp.type',
        'min.cleanable.dirty.ratio',
        'min.compaction.lag.ms',
        'min.insync.replicas',
        'preallocate',
        'remote.log.copy.disable',
        'remote.log.delete.on.disable',
        'remote.storage.enable',
        'retention.bytes',
        'retention.ms',
        'segment.bytes',
        'segment.index.bytes',
        'segment.jitter.ms',
        'segment.ms',
        'unclean.leader.election.enable',
      ].sort(),
    );
  });

  it.each([
    ['cleanup.policy', 'delete'],
    ['cleanup.policy', 'compact,delete'],
    ['cleanup.policy', 'compact , delete'],
    ['compression.type', 'zstd'],
    ['compression.type', 'producer'],
    ['compression.gzip.level', '-1'],
    ['compression.gzip.level', '9'],
    ['compression.zstd.level', '-5'],
    ['message.timestamp.type', 'LogAppendTime'],
    ['retention.ms', '-1'],
    ['retention.ms', ' 86400000 '],
    ['retention.bytes', '-1'],
    ['retention.bytes', '9223372036854775807'],
    ['local.retention.ms', '-2'],
    ['min.insync.replicas', '2'],
    ['max.message.bytes', '1048588'],
    ['preallocate', 'TRUE'],
    ['unclean.leader.election.enable', 'false'],
    ['min.cleanable.dirty.ratio', '0.5'],
    ['leader.replication.throttled.replicas', '*'],
    ['follower.replication.throttled.replicas', '0:1,1:2'],
    ['message.format.version', '3.0-IV1'],
    ['segment.bytes', '1073741824'],
  ])('accepts %s=%s', (name, value) => {
    expect(validateTopicConfigs({ [name]: value })).toBeUndefined();
  });

  it.each([
    ['retention.hours', '1'],
    ['cleanup.policy', 'archive'],
    ['cleanup.policy', 'delete,archive'],
    ['compression.type', 'brotli'],
    ['compression.type', 'ZSTD'],
    ['compression.gzip.level', '0'],
    ['compression.lz4.level', '18'],
    ['message.timestamp.type', 'createtime'],
    ['retention.ms', '-2'],
    ['retention.ms', 'soon'],
    ['retention.ms', '1.5'],
    ['retention.bytes', '9223372036854775808'],
    ['min.insync.replicas', '0'],
    ['max.message.bytes', '2147483648'],
    ['segment.bytes', '13'],
    ['segment.ms', '0'],
    ['preallocate', 'yes'],
    ['min.cleanable.dirty.ratio', '1.5'],
    ['leader.replication.throttled.replicas', 'a:b'],
    ['message.format.version', 'latest'],
  ])('refuses %s=%s with INVALID_CONFIG naming both', (name, value) => {
    const f = validateTopicConfigs({ [name]: value });
    expect(f?.errorCode).toBe(KafkaError.INVALID_CONFIG);
    expect(f?.message).toContain(JSON.stringify(name));
    expect(f?.message).toContain(JSON.stringify(value));
  });

  it('reports a bad config through the topic check, naming the topic', () => {
    const r = validateCreatableTopic({ ...ok, configs: { 'retention.ms': 'x' } }, limits);
    expect(r).toMatchObject({ ok: false, errorCode: KafkaError.INVALID_CONFIG });
    expect(r.ok ? '' : r.message).toMatch(/topic "t".*"x".*retention\.ms/);
  });
});
