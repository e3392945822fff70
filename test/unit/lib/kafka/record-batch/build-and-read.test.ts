import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import { DecompressionLimitError } from '../../../../../lib/kafka/compression/compression-errors.js';
import { CompressionType } from '../../../../../lib/kafka/compression/compression-type.js';
import {
  TimestampType,
  decodeAttributes,
} from '../../../../../lib/kafka/record-batch/batch-attributes.js';
import { InvalidRecordError } from '../../../../../lib/kafka/record-batch/batch-errors.js';
import {
  buildRecordBatch,
  buildRecordBatchSync,
} from '../../../../../lib/kafka/record-batch/build-batch.js';
import {
  readBatchRecords,
  readBatchRecordsSync,
} from '../../../../../lib/kafka/record-batch/read-batch-records.js';
import type { RecordInput } from '../../../../../lib/kafka/record-batch/record-codec.js';
import { walkBatches } from '../../../../../lib/kafka/record-batch/walk-batches.js';

const CODECS = [
  CompressionType.None,
  CompressionType.Gzip,
  CompressionType.Snappy,
  CompressionType.Lz4,
  CompressionType.Zstd,
] as const;

const bytes = fc.option(
  fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)),
  { nil: null, freq: 4 },
);

const record: fc.Arbitrary<RecordInput> = fc.record({
  key: bytes,
  value: bytes,
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: bytes }), {
    maxLength: 3,
  }),
  timestampDelta: fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
});

const batchFields = fc.record({
  baseOffset: fc.bigInt({ min: 0n, max: 2n ** 62n }),
  baseTimestamp: fc.bigInt({ min: 0n, max: 2n ** 45n }),
  producerId: fc.bigInt({ min: -1n, max: 2n ** 40n }),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  isTransactional: fc.boolean(),
  isControl: fc.boolean(),
  timestampType: fc.constantFrom(TimestampType.CreateTime, TimestampType.LogAppendTime),
});

function normalise(r: RecordInput, i: number) {
  return {
    attributes: 0,
    timestampDelta: BigInt(r.timestampDelta ?? 0),
    offsetDelta: r.offsetDelta ?? i,
    key: r.key,
    value: r.value,
    headers: r.headers ?? [],
  };
}

describe('build and read RecordBatch v2', () => {
  for (const compression of CODECS) {
    it(`round-trips records and header fields with codec ${compression}`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(record, { maxLength: 8 }),
          batchFields,
          async (records, fields) => {
            const built = await buildRecordBatch({ ...fields, compression, records });
            const { batches } = walkBatches(built);
            expect(batches).toHaveLength(1);
            const [batch] = batches;
            assert.isDefined(batch);
            const header = batch.header;
            expect(header.baseOffset).toBe(fields.baseOffset);
            expect(header.producerId).toBe(fields.producerId);
            expect(header.producerEpoch).toBe(fields.producerEpoch);
            expect(header.baseSequence).toBe(fields.baseSequence);
            expect(header.recordCount).toBe(records.length);
            expect(header.lastOffsetDelta).toBe(Math.max(0, records.length - 1));
            expect(decodeAttributes(header.attributes)).toEqual({
              compression,
              timestampType: fields.timestampType,
              isTransactional: fields.isTransactional,
              isControl: fields.isControl,
              hasDeleteHorizon: false,
            });
            const expected = records.map(normalise);
            expect(await readBatchRecords(built)).toEqual(expected);
            expect(readBatchRecordsSync(built)).toEqual(expected);
            expect(
              readBatchRecordsSync(buildRecordBatchSync({ ...fields, compression, records })),
            ).toEqual(expected);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('builds an empty batch (as compaction leaves them) that walks and reads as empty', async () => {
    for (const compression of CODECS) {
      const built = await buildRecordBatch({ compression, records: [], lastOffsetDelta: 9 });
      const [batch] = walkBatches(built).batches;
      assert.isDefined(batch);
      const header = batch.header;
      expect(header.recordCount).toBe(0);
      expect(header.lastOffsetDelta).toBe(9);
      expect(await readBatchRecords(built)).toEqual([]);
    }
  });

  it('returns uncompressed keys and values as views into the batch', () => {
    const backing = buildRecordBatchSync({
      records: [{ key: Buffer.from('key'), value: Buffer.from('value') }],
    });
    const [r] = readBatchRecordsSync(backing);
    assert.isDefined(r);
    expect(r.value?.buffer).toBe(backing.buffer);
    expect(r.key?.toString()).toBe('key');
  });

  it('refuses a batch whose body holds fewer or more records than declared', () => {
    const b = buildRecordBatchSync({
      records: [
        { key: null, value: Buffer.from('a') },
        { key: null, value: Buffer.from('b') },
      ],
    });
    const more = Buffer.from(b);
    more.writeInt32BE(3, 57);
    expect(() => readBatchRecordsSync(more)).toThrow(InvalidRecordError);
    const fewer = Buffer.from(b);
    fewer.writeInt32BE(1, 57);
    expect(() => readBatchRecordsSync(fewer)).toThrow(/remain after/);
    const negative = Buffer.from(b);
    negative.writeInt32BE(-1, 57);
    expect(() => readBatchRecordsSync(negative)).toThrow(/invalid record count/);
  });

  it('refuses a record whose length does not match its fields', () => {
    const b = buildRecordBatchSync({ records: [{ key: null, value: Buffer.from('a') }] });
    b[61] = 0x10; // record length 8 instead of 7
    expect(() => readBatchRecordsSync(b)).toThrow(InvalidRecordError);
  });

  it('bounds decompression of the records', async () => {
    const records = [{ key: null, value: Buffer.alloc(100_000) }];
    for (const compression of CODECS) {
      const built = await buildRecordBatch({ compression, records });
      await expect(readBatchRecords(built, { maxOutputBytes: 50_000 })).rejects.toBeInstanceOf(
        DecompressionLimitError,
      );
    }
  });
});
