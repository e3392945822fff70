import { describe, expect, it } from 'vitest';
import { CorruptCompressedDataError } from '../../../../../lib/kafka/compression/compression-errors.js';
import { lz4Codec } from '../../../../../lib/kafka/compression/lz4-codec.js';
import { lz4FrameInfo } from '../../../../../lib/kafka/compression/lz4-frame-bound.js';

describe('lz4 frames', () => {
  it('writes standard frames with independent blocks and no dictionary id (what Kafka reads)', () => {
    for (const size of [0, 100, 300_000]) {
      const frame = lz4Codec.compressSync(Buffer.alloc(size, 9));
      expect(frame.readUInt32LE(0)).toBe(0x184d2204);
      const flg = frame.readUInt8(4);
      expect(flg >> 6).toBe(1); // version 01
      expect(flg & 0x20).toBe(0x20); // block independence
      expect(flg & 0x01).toBe(0); // no dictionary id
      expect(lz4FrameInfo(frame).blocksIndependent).toBe(true);
    }
  });

  it('bounds output by the block headers', () => {
    const input = Buffer.alloc(200_000, 1);
    const info = lz4FrameInfo(lz4Codec.compressSync(input));
    expect(info.maxOutputBytes).toBeGreaterThanOrEqual(input.length);
  });

  it('decodes a hand-built frame with one uncompressed block', () => {
    // FLG 0x60 (v01, independent), BD 0x40 (64 KiB); header checksum 0x82 = (xxh32(60 40) >> 8) & 0xff.
    const frame = Buffer.from(
      '04224d18' + '6040' + '82' + '05000080' + '68656c6c6f' + '00000000',
      'hex',
    );
    expect(lz4FrameInfo(frame).maxOutputBytes).toBe(5);
    expect(lz4Codec.decompressSync(frame).toString()).toBe('hello');
  });

  it('refuses malformed frames before decoding', () => {
    const good = lz4Codec.compressSync(Buffer.from('hello hello hello'));
    const badMagic = Buffer.from(good);
    badMagic[0] = 0;
    expect(() => lz4Codec.decompressSync(badMagic)).toThrow(CorruptCompressedDataError);
    expect(() => lz4Codec.decompressSync(good.subarray(0, good.length - 2))).toThrow(
      CorruptCompressedDataError,
    );
    const badBd = Buffer.from(good);
    badBd[5] = 0x10;
    expect(() => lz4FrameInfo(badBd)).toThrow(/block descriptor/);
  });
});
