import { describe, expect, it } from 'vitest';
import {
  ALL_ERRORS,
  KafkaError,
  errorInfo,
  isRetriable,
  type KafkaErrorName,
} from '../../../../lib/kafka/error-codes.js';

describe('kafka error codes', () => {
  it('has unique codes and unique names', () => {
    const codes = ALL_ERRORS.map((e) => e.code);
    const names = ALL_ERRORS.map((e) => e.name);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers every code from -1 to 127 (Kafka 3.9) in order, with no gaps', () => {
    expect(ALL_ERRORS).toHaveLength(129);
    ALL_ERRORS.forEach((e, i) => {
      expect(e.code).toBe(i - 1);
    });
  });

  it('KafkaError maps every name to its code', () => {
    expect(Object.keys(KafkaError)).toHaveLength(ALL_ERRORS.length);
    for (const e of ALL_ERRORS) {
      expect(KafkaError[e.name as KafkaErrorName]).toBe(e.code);
    }
    expect(KafkaError.NOT_LEADER_OR_FOLLOWER).toBe(6);
  });

  it('every entry has a non-empty description', () => {
    for (const e of ALL_ERRORS) expect(e.description.length).toBeGreaterThan(0);
  });

  // Facts checked against Kafka 3.9's generated protocol error table / Errors.java.
  it.each([
    [-1, 'UNKNOWN_SERVER_ERROR', false],
    [0, 'NONE', false],
    [1, 'OFFSET_OUT_OF_RANGE', false],
    [2, 'CORRUPT_MESSAGE', true],
    [3, 'UNKNOWN_TOPIC_OR_PARTITION', true],
    [6, 'NOT_LEADER_OR_FOLLOWER', true],
    [7, 'REQUEST_TIMED_OUT', true],
    [9, 'REPLICA_NOT_AVAILABLE', true],
    [15, 'COORDINATOR_NOT_AVAILABLE', true],
    [16, 'NOT_COORDINATOR', true],
    [25, 'UNKNOWN_MEMBER_ID', false],
    [27, 'REBALANCE_IN_PROGRESS', false],
    [35, 'UNSUPPORTED_VERSION', false],
    [41, 'NOT_CONTROLLER', true],
    [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', false],
    [51, 'CONCURRENT_TRANSACTIONS', true],
    [56, 'KAFKA_STORAGE_ERROR', true],
    [79, 'MEMBER_ID_REQUIRED', false],
    [87, 'INVALID_RECORD', false],
    [100, 'UNKNOWN_TOPIC_ID', true],
    [118, 'TELEMETRY_TOO_LARGE', false],
    [119, 'INVALID_REGISTRATION', false],
    [120, 'TRANSACTION_ABORTABLE', false],
    [122, 'SHARE_SESSION_NOT_FOUND', true],
    [127, 'VOTER_NOT_FOUND', false],
  ] as const)('code %i is %s (retriable=%s)', (code, name, retriable) => {
    const info = errorInfo(code);
    expect(info.code).toBe(code);
    expect(info.name).toBe(name);
    expect(info.retriable).toBe(retriable);
    expect(isRetriable(code)).toBe(retriable);
    expect(KafkaError[name]).toBe(code);
  });

  it('falls back for unknown codes', () => {
    for (const code of [128, -2, 32767]) {
      const info = errorInfo(code);
      expect(info.code).toBe(code);
      expect(info.name).toBe(`UNKNOWN_CODE_${code}`);
      expect(info.retriable).toBe(false);
      expect(isRetriable(code)).toBe(false);
    }
  });
});
