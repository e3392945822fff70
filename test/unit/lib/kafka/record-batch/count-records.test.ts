import { describe, expect, it } from 'vitest';
import { buildRecordBatchSync } from '../../../../../lib/kafka/record-batch/build-batch.js';
import { CompressionType } from '../../../../../lib/kafka/compression/compression-type.js';
import { countRecords } from '../../../../../lib/kafka/record-batch/count-records.js';

function batch(n: number, compression: CompressionType = CompressionType.None): Buffer {
  return buildRecordBatchSync({
    compression,
    records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })),
  });
}

describe('countRecords', () => {
  it('adds up the record counts of every batch, not the batches', () => {
    expect(countRecords(Buffer.concat([batch(3), batch(1), batch(7)]))).toBe(11);
  });

  it('reads the count from the header of a compressed batch', () => {
    expect(countRecords(batch(50, CompressionType.Gzip))).toBe(50);
  });

  it('counts nothing for null, empty or empty-batch records', () => {
    expect(countRecords(null)).toBe(0);
    expect(countRecords(new Uint8Array(0))).toBe(0);
    expect(countRecords(batch(0))).toBe(0);
  });

  it('stops at a truncated last batch (a fetch cut by max bytes)', () => {
    const two = Buffer.concat([batch(4), batch(5)]);
    expect(countRecords(two.subarray(0, two.length - 10))).toBe(4);
  });

  it('stops at a batch of another format or a corrupt length', () => {
    const legacy = Buffer.from(batch(2));
    legacy.writeInt8(1, 16); // magic 1
    expect(countRecords(Buffer.concat([batch(3), legacy]))).toBe(3);
    const corrupt = Buffer.from(batch(2));
    corrupt.writeInt32BE(-1, 8);
    expect(countRecords(Buffer.concat([batch(3), corrupt, batch(9)]))).toBe(3);
  });

  it('reads a view into a larger buffer at its offset', () => {
    const whole = Buffer.concat([Buffer.alloc(13, 0xff), batch(6)]);
    expect(countRecords(whole.subarray(13))).toBe(6);
  });
});
