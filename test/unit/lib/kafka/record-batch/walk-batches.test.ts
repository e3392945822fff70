import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import {
  BatchTooLargeError,
  CORRUPT_MESSAGE,
  CorruptBatchError,
  CrcMismatchError,
  INVALID_RECORD,
  UnsupportedMagicError,
} from '../../../../../lib/kafka/record-batch/batch-errors.js';
import { buildRecordBatchSync } from '../../../../../lib/kafka/record-batch/build-batch.js';
import { walkBatches } from '../../../../../lib/kafka/record-batch/walk-batches.js';

function batch(values: string[], baseOffset = 0n): Buffer {
  return buildRecordBatchSync({
    baseOffset,
    records: values.map((v) => ({ key: null, value: Buffer.from(v) })),
  });
}

/** Copies `b` into the middle of a larger ArrayBuffer so views cannot start at offset 0 by luck. */
function embedded(b: Buffer): Buffer {
  const backing = Buffer.alloc(b.length + 32);
  b.copy(backing, 16);
  return backing.subarray(16, 16 + b.length);
}

describe('walkBatches', () => {
  it('walks several concatenated batches', () => {
    const parts = [batch(['a']), batch(['b', 'c'], 1n), batch(['d', 'e', 'f'], 3n)];
    const { batches, truncatedBytes } = walkBatches(Buffer.concat(parts));
    expect(truncatedBytes).toBe(0);
    expect(batches.map((b) => b.header.recordCount)).toEqual([1, 2, 3]);
    expect(batches.map((b) => b.header.baseOffset)).toEqual([0n, 1n, 3n]);
    expect(batches.map((b) => b.position)).toEqual([
      0,
      parts[0]?.length,
      (parts[0]?.length ?? 0) + (parts[1]?.length ?? 0),
    ]);
    batches.forEach((b, i) => {
      const part = parts[i];
      assert.isDefined(part);
      expect(b.view.equals(part)).toBe(true);
    });
  });

  it('returns views that share the input ArrayBuffer (zero copy)', () => {
    const input = embedded(Buffer.concat([batch(['a']), batch(['b'])]));
    const { batches } = walkBatches(input);
    for (const b of batches) {
      expect(b.view.buffer).toBe(input.buffer);
      expect(b.view.byteOffset).toBe(input.byteOffset + b.position);
    }
    const asUint8 = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    expect(walkBatches(asUint8).batches[1]?.view.buffer).toBe(input.buffer);
  });

  it('accepts an empty records field', () => {
    expect(walkBatches(Buffer.alloc(0))).toEqual({ batches: [], truncatedBytes: 0 });
  });

  it('refuses a truncated header or batch unless a truncated tail is allowed', () => {
    const whole = Buffer.concat([batch(['a']), batch(['bb'])]);
    const first = batch(['a']).length;
    for (const cut of [first + 5, first + 12, first + 16, first + 40, whole.length - 1]) {
      const input = whole.subarray(0, cut);
      expect(() => walkBatches(input)).toThrow(CorruptBatchError);
      const r = walkBatches(input, { allowTruncatedTail: true });
      expect(r.batches).toHaveLength(1);
      expect(r.truncatedBytes).toBe(cut - first);
    }
  });

  it('refuses a batchLength below the minimum', () => {
    for (const len of [-1, 0, 13, 14, 48]) {
      const b = batch(['a']);
      b.writeInt32BE(len, 8);
      const err = (() => {
        try {
          walkBatches(b, { allowTruncatedTail: true });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(CorruptBatchError);
      expect((err as CorruptBatchError).errorCode).toBe(CORRUPT_MESSAGE);
    }
  });

  it('treats a batchLength beyond the input as truncation', () => {
    const b = batch(['a']);
    b.writeInt32BE(b.length, 8);
    expect(() => walkBatches(b)).toThrow(/truncated/);
    expect(walkBatches(b, { allowTruncatedTail: true })).toEqual({
      batches: [],
      truncatedBytes: b.length,
    });
  });

  it('refuses magic 0 and 1 as unsupported (INVALID_RECORD) and other magics as corrupt', () => {
    for (const magic of [0, 1]) {
      const b = batch(['a']);
      b.writeInt8(magic, 16);
      expect(() => walkBatches(b)).toThrow(UnsupportedMagicError);
      try {
        walkBatches(b);
      } catch (e) {
        expect((e as UnsupportedMagicError).errorCode).toBe(INVALID_RECORD);
        expect((e as UnsupportedMagicError).magic).toBe(magic);
      }
    }
    for (const magic of [3, -1, 127]) {
      const b = batch(['a']);
      b.writeInt8(magic, 16);
      expect(() => walkBatches(b)).toThrow(CorruptBatchError);
    }
  });

  it('applies the batch size cap', () => {
    const b = batch(['abcdef']);
    expect(() => walkBatches(b, { maxBatchBytes: b.length - 1 })).toThrow(BatchTooLargeError);
    expect(walkBatches(b, { maxBatchBytes: b.length }).batches).toHaveLength(1);
  });

  it('detects a one-bit flip anywhere in the CRC-covered region (CORRUPT_MESSAGE)', () => {
    const original = buildRecordBatchSync({
      baseTimestamp: 1_700_000_000_000n,
      producerId: 7n,
      producerEpoch: 1,
      baseSequence: 0,
      records: [
        {
          key: Buffer.from('k'),
          value: Buffer.from('value'),
          headers: [{ key: 'h', value: null }],
        },
        { key: null, value: Buffer.from('second'), timestampDelta: 5 },
      ],
    });
    fc.assert(
      fc.property(fc.integer({ min: 21 * 8, max: original.length * 8 - 1 }), (bit) => {
        const b = Buffer.from(original);
        b.writeUInt8(b.readUInt8(bit >> 3) ^ (1 << (bit & 7)), bit >> 3);
        expect(() => walkBatches(b)).toThrow(CrcMismatchError);
      }),
      { numRuns: 200 },
    );
  });

  it('detects a flip of the stored CRC itself, and can skip CRC checks', () => {
    const b = batch(['x']);
    b.writeUInt8(b.readUInt8(18) ^ 0x40, 18);
    expect(() => walkBatches(b)).toThrow(CrcMismatchError);
    expect(walkBatches(b, { verifyCrc: false }).batches).toHaveLength(1);
  });
});
