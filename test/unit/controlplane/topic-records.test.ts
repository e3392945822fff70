/** The controlplane's etcd records: round trips, validation and topic ids. */
import { describe, expect, it } from 'vitest';
import { BadMetadataValueError, encodeJson } from '../../../lib/metadata/json-value.js';
import {
  decodeAssignment,
  decodeNodeRecord,
  decodeTopicRecord,
  edgeBrokerId,
  encodeAssignment,
  encodeNodeRecord,
  encodeTopicRecord,
  isTopicId,
  newTopicId,
  topicIdFromBytes,
  topicIdToBytes,
} from '../../../lib/metadata/topic-records.js';

const topic = {
  topicId: 'AAAAAAAAAAAAAAAAAAAABA',
  name: 'orders',
  partitions: 3,
  configs: { 'retention.ms': '1000' },
  createdAtMs: 1700000000000,
};

describe('topic records', () => {
  it('round-trips a topic, a node and an assignment', () => {
    expect(decodeTopicRecord('k', encodeTopicRecord(topic))).toEqual(topic);
    const node = { id: 's1', host: 'h', port: 9000, rack: 'r1', version: '0.1.0', startedAtMs: 5 };
    expect(decodeNodeRecord('k', encodeNodeRecord(node))).toEqual(node);
    const noRack = { id: 's1', host: 'h', port: 9000, version: '0.1.0', startedAtMs: 5 };
    expect(decodeNodeRecord('k', encodeNodeRecord(noRack))).toEqual(noRack);
    const withMetrics = { ...noRack, metricsAddr: '10.0.0.7:39093' };
    expect(decodeNodeRecord('k', encodeNodeRecord(withMetrics))).toEqual(withMetrics);
    expect(() => decodeNodeRecord('k', encodeJson({ ...noRack, metricsAddr: 7 }))).toThrow(
      'field metricsAddr is not a string',
    );
    expect(decodeAssignment('k', encodeAssignment({ node: 's1' }))).toEqual({ node: 's1' });
  });

  it.each([
    [{ ...topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'topicId'],
    [{ ...topic, topicId: 'short' }, 'topicId'],
    [{ ...topic, partitions: 0 }, 'partitions'],
    [{ ...topic, configs: { a: 1 } }, 'configs.a'],
    [{ ...topic, configs: [] }, 'configs'],
    [{ ...topic, name: '' }, 'name'],
  ])('refuses a bad topic record (%j) naming the field', (value, fieldName) => {
    expect(() => decodeTopicRecord('/kafscale/topics/x', encodeJson(value))).toThrow(
      BadMetadataValueError,
    );
    expect(() => decodeTopicRecord('/kafscale/topics/x', encodeJson(value))).toThrow(
      `field ${fieldName}`,
    );
  });

  it('refuses a node with a bad port or rack', () => {
    const base = { id: 's', host: 'h', port: 1, version: 'v', startedAtMs: 1 };
    expect(() => decodeNodeRecord('k', encodeJson({ ...base, port: 70000 }))).toThrow('port');
    expect(() => decodeNodeRecord('k', encodeJson({ ...base, rack: 3 }))).toThrow('rack');
  });

  it('draws topic ids of 16 bytes, never the all-zero id', () => {
    const zeroThenOne = [new Uint8Array(16), Uint8Array.from({ length: 16 }, () => 1)];
    const id = newTopicId(() => zeroThenOne.shift() ?? new Uint8Array(16));
    expect(id).toBe('AQEBAQEBAQEBAQEBAQEBAQ');
    const fresh = newTopicId();
    expect(isTopicId(fresh)).toBe(true);
    expect(topicIdFromBytes(topicIdToBytes(fresh))).toBe(fresh);
    expect(topicIdFromBytes(new Uint8Array(16))).toBeUndefined();
    expect(topicIdFromBytes(new Uint8Array(3))).toBeUndefined();
  });

  it('reads edge broker ids from decimal ids only', () => {
    expect(edgeBrokerId('0')).toBe(0);
    expect(edgeBrokerId('42')).toBe(42);
    expect(edgeBrokerId('2147483648')).toBeUndefined();
    expect(edgeBrokerId('007')).toBeUndefined();
    expect(edgeBrokerId('edge-a')).toBeUndefined();
  });
});
