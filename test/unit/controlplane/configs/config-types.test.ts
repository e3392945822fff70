/** How values print (Kafka's ConfigDef round trip) and that the config tables hold together. */
import { describe, expect, it } from 'vitest';
import { brokerConfigNames } from '../../../../controlplane/src/configs/broker-configs.js';
import { canonicalValue } from '../../../../controlplane/src/configs/config-types.js';
import {
  TOPIC_CONFIGS,
  validateTopicConfigs,
} from '../../../../controlplane/src/topics/topic-configs.js';

describe('canonicalValue', () => {
  it.each([
    ['LONG', ' +0042 ', '42'],
    ['INT', '-7', '-7'],
    ['BOOLEAN', ' TRUE ', 'true'],
    ['DOUBLE', '0.50', '0.5'],
    ['DOUBLE', '1', '1.0'],
    ['DOUBLE', '0.0001', '1.0E-4'],
    ['LIST', ' compact ,  delete ', 'compact,delete'],
    ['LIST', '  ', ''],
    ['STRING', ' zstd ', 'zstd'],
  ] as const)('%s %j prints as %j', (type, raw, shown) => {
    expect(canonicalValue(type, raw)).toBe(shown);
  });
});

describe('the config tables', () => {
  it('every topic default is valid and prints as itself', () => {
    for (const [name, def] of TOPIC_CONFIGS) {
      expect(validateTopicConfigs({ [name]: def.defaultValue }), name).toBeUndefined();
      expect(canonicalValue(def.type, def.defaultValue), name).toBe(def.defaultValue);
    }
  });

  it("lists Kafka 3.9's broker synonyms of topic configs among the broker configs", () => {
    const names = brokerConfigNames();
    for (const synonym of [
      'log.retention.ms',
      'log.retention.bytes',
      'log.segment.bytes',
      'log.roll.ms',
      'log.cleanup.policy',
      'message.max.bytes',
      'min.insync.replicas',
      'compression.type',
      'log.cleaner.min.cleanable.ratio',
      'log.message.timestamp.type',
    ])
      expect(names).toContain(synonym);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses min.compaction.lag.ms above max.compaction.lag.ms, also against the default', () => {
    expect(validateTopicConfigs({ 'min.compaction.lag.ms': '100' })).toBeUndefined();
    expect(
      validateTopicConfigs({ 'min.compaction.lag.ms': '100', 'max.compaction.lag.ms': '99' })
        ?.message,
    ).toMatch(/min\.compaction\.lag\.ms \(100\) is above max\.compaction\.lag\.ms \(99\)/);
    expect(validateTopicConfigs({ 'max.compaction.lag.ms': '1' })).toBeUndefined();
    expect(validateTopicConfigs({ 'compression.type': ' zstd ' })).toBeUndefined();
  });
});
