import { assert, describe, expect, it } from 'vitest';
import { UnknownCompressionTypeError } from '../../../../../lib/kafka/compression/compression-errors.js';
import { CompressionType } from '../../../../../lib/kafka/compression/compression-type.js';
import { writeBatchCrc } from '../../../../../lib/kafka/record-batch/batch-crc.js';
import {
  CorruptBatchError,
  INVALID_RECORD,
  InvalidRecordError,
  UnsupportedMagicError,
} from '../../../../../lib/kafka/record-batch/batch-errors.js';
import {
  buildRecordBatchSync,
  type BatchInput,
} from '../../../../../lib/kafka/record-batch/build-batch.js';
import {
  ZstdRequiresProduceV7Error,
  validateProduceRecords,
} from '../../../../../lib/kafka/record-batch/validate-produce-records.js';

const two = [
  { key: null, value: Buffer.from('a') },
  { key: null, value: Buffer.from('b') },
];

function build(fields: Partial<BatchInput> = {}): Buffer {
  return buildRecordBatchSync({ records: two, ...fields });
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { errorCode?: number }).errorCode;
  }
  return undefined;
}

describe('validateProduceRecords', () => {
  it('accepts a client batch and returns its view', () => {
    const input = build({ producerId: 5n, producerEpoch: 0, baseSequence: 0 });
    const [batch] = validateProduceRecords(input);
    assert.isDefined(batch);
    expect(batch.view.buffer).toBe(input.buffer);
  });

  it('requires at least one batch and, by default, exactly one', () => {
    expect(() => validateProduceRecords(Buffer.alloc(0))).toThrow(InvalidRecordError);
    const double = Buffer.concat([build(), build()]);
    expect(codeOf(() => validateProduceRecords(double))).toBe(INVALID_RECORD);
    expect(validateProduceRecords(double, { allowMultipleBatches: true })).toHaveLength(2);
  });

  it('refuses a truncated tail that a fetch would tolerate', () => {
    const input = Buffer.concat([build(), build().subarray(0, 30)]);
    expect(() => validateProduceRecords(input, { allowMultipleBatches: true })).toThrow(
      CorruptBatchError,
    );
  });

  it('refuses magic 0 and 1 with INVALID_RECORD', () => {
    const b = build();
    b.writeInt8(1, 16);
    expect(() => validateProduceRecords(b)).toThrow(UnsupportedMagicError);
    expect(codeOf(() => validateProduceRecords(b))).toBe(INVALID_RECORD);
  });

  it('applies LogValidator.validateBatch checks for client appends', () => {
    const cases: [string, Buffer][] = [
      ['non-zero baseOffset', build({ baseOffset: 1n })],
      ['empty batch', build({ records: [] })],
      ['count/offset mismatch', build({ lastOffsetDelta: 5 })],
      ['negative lastOffsetDelta', build({ lastOffsetDelta: -1 })],
      ['control batch', build({ isControl: true })],
      ['producer id without sequence', build({ producerId: 3n, baseSequence: -1 })],
    ];
    for (const [name, input] of cases) {
      expect(
        codeOf(() => validateProduceRecords(input)),
        name,
      ).toBe(INVALID_RECORD);
    }
  });

  it('refuses unknown codec ids, and zstd before Produce v7', () => {
    const b = build();
    b.writeInt16BE(5, 21);
    writeBatchCrc(b);
    expect(() => validateProduceRecords(b)).toThrow(UnknownCompressionTypeError);
    const z = build({ compression: CompressionType.Zstd });
    expect(() => validateProduceRecords(z, { produceVersion: 6 })).toThrow(
      ZstdRequiresProduceV7Error,
    );
    expect(validateProduceRecords(z, { produceVersion: 7 })).toHaveLength(1);
  });
});
