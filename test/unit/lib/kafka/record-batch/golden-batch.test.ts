import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../../lib/kafka/crc32c.js';
import { buildRecordBatchSync } from '../../../../../lib/kafka/record-batch/build-batch.js';
import { readBatchRecordsSync } from '../../../../../lib/kafka/record-batch/read-batch-records.js';
import { walkBatches } from '../../../../../lib/kafka/record-batch/walk-batches.js';

/*
 * One record (null key, value "v", no headers) in an uncompressed batch, byte by byte from
 * the spec. The CRC was computed with a bitwise CRC-32C (reflected polynomial 0x82F63B78)
 * independent of the native library; `bitwiseCrc32c` below re-derives it.
 */
const GOLDEN = Buffer.from(
  [
    '0000000000000000', // baseOffset 0
    '00000039', // batchLength 57 = 69 - 12
    'ffffffff', // partitionLeaderEpoch -1
    '02', // magic 2
    'ae59b08f', // crc32c of bytes 21..68
    '0000', // attributes: none, CreateTime, not transactional, not control
    '00000000', // lastOffsetDelta 0
    '00000000000003e8', // baseTimestamp 1000
    '00000000000003e8', // maxTimestamp 1000
    'ffffffffffffffff', // producerId -1
    'ffff', // producerEpoch -1
    'ffffffff', // baseSequence -1
    '00000001', // recordCount 1
    '0e', // record length 7 (zig-zag 14)
    '00', // record attributes
    '00', // timestampDelta 0
    '00', // offsetDelta 0
    '01', // key length -1 (null)
    '02', // value length 1
    '76', // "v"
    '00', // header count 0
  ].join(''),
  'hex',
);

function bitwiseCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('golden RecordBatch v2', () => {
  it('is 69 bytes with the CRC both implementations agree on', () => {
    expect(GOLDEN.length).toBe(69);
    expect(bitwiseCrc32c(GOLDEN.subarray(21))).toBe(0xae59b08f);
    expect(crc32c(GOLDEN.subarray(21))).toBe(0xae59b08f);
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283); // the CRC-32C check value
  });

  it('is what the builder produces', () => {
    const built = buildRecordBatchSync({
      baseTimestamp: 1000n,
      records: [{ key: null, value: Buffer.from('v') }],
    });
    expect(built.toString('hex')).toBe(GOLDEN.toString('hex'));
  });

  it('parses field by field', () => {
    const { batches } = walkBatches(GOLDEN);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.header).toEqual({
      baseOffset: 0n,
      batchLength: 57,
      partitionLeaderEpoch: -1,
      magic: 2,
      crc: 0xae59b08f,
      attributes: 0,
      lastOffsetDelta: 0,
      baseTimestamp: 1000n,
      maxTimestamp: 1000n,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordCount: 1,
    });
    expect(readBatchRecordsSync(GOLDEN)).toEqual([
      {
        attributes: 0,
        timestampDelta: 0n,
        offsetDelta: 0,
        key: null,
        value: Buffer.from('v'),
        headers: [],
      },
    ]);
  });
});
