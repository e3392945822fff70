import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import { computeBatchCrc } from '../../../../../lib/kafka/record-batch/batch-crc.js';
import { buildRecordBatchSync } from '../../../../../lib/kafka/record-batch/build-batch.js';
import {
  setBaseOffset,
  setPartitionLeaderEpoch,
} from '../../../../../lib/kafka/record-batch/rewrite-batch.js';
import { walkBatches } from '../../../../../lib/kafka/record-batch/walk-batches.js';

describe('in-place header rewrite', () => {
  it('writes into the original buffer and keeps the CRC valid', () => {
    const a = buildRecordBatchSync({ records: [{ key: null, value: Buffer.from('a') }] });
    const b = buildRecordBatchSync({
      records: [
        { key: null, value: Buffer.from('b') },
        { key: null, value: Buffer.from('c') },
      ],
    });
    const input = Buffer.concat([a, b]);
    const before = Buffer.from(input);
    const { batches } = walkBatches(input);
    const [, second] = batches;
    assert.isDefined(second);

    setBaseOffset(second.view, 1234567890123n);
    setPartitionLeaderEpoch(second.view, 42);

    // The input itself changed, at exactly the two fields of the second batch.
    expect(input.readBigInt64BE(a.length)).toBe(1234567890123n);
    expect(input.readInt32BE(a.length + 12)).toBe(42);
    const changed = [...input.keys()].filter((i) => input[i] !== before[i]);
    expect(changed.every((i) => i >= a.length && i < a.length + 16)).toBe(true);

    // Re-walking validates the CRC and sees the new values.
    const [, again] = walkBatches(input).batches;
    assert.isDefined(again);
    expect(again.header.baseOffset).toBe(1234567890123n);
    expect(again.header.partitionLeaderEpoch).toBe(42);
    expect(computeBatchCrc(second.view)).toBe(second.header.crc);
  });

  it('keeps the CRC valid for any offset and epoch', () => {
    const original = buildRecordBatchSync({ records: [{ key: null, value: Buffer.from('z') }] });
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        fc.integer({ min: -1, max: 2 ** 31 - 1 }),
        (offset, epoch) => {
          const b = Buffer.from(original);
          const [batch] = walkBatches(b).batches;
          assert.isDefined(batch);
          const view = batch.view;
          setBaseOffset(view, offset);
          setPartitionLeaderEpoch(view, epoch);
          const [rewritten] = walkBatches(b).batches;
          assert.isDefined(rewritten);
          const header = rewritten.header;
          expect(header.baseOffset).toBe(offset);
          expect(header.partitionLeaderEpoch).toBe(epoch);
        },
      ),
      { numRuns: 100 },
    );
  });
});
