import snappy from 'snappy';
import { describe, expect, it } from 'vitest';
import { DecompressionLimitError } from '../../../../../lib/kafka/compression/compression-errors.js';
import { snappyCodec } from '../../../../../lib/kafka/compression/snappy-codec.js';
import {
  XERIAL_BLOCK_SIZE,
  isXerialFramed,
  xerialBlocks,
} from '../../../../../lib/kafka/compression/snappy-xerial.js';

/*
 * A xerial stream as snappy-java writes it, by hand: magic, version 1, compatible version
 * 1, then one block of 7 bytes: a raw snappy block with preamble 5 and one 5-byte literal
 * (tag (5 - 1) << 2 = 0x10) "hello".
 */
const XERIAL_HELLO = Buffer.from(
  '82534e4150505900' + '00000001' + '00000001' + '00000007' + '05' + '10' + '68656c6c6f',
  'hex',
);

describe('snappy framing', () => {
  it('decodes a hand-built xerial stream', async () => {
    expect(isXerialFramed(XERIAL_HELLO)).toBe(true);
    expect((await snappyCodec.decompress(XERIAL_HELLO)).toString()).toBe('hello');
    expect(snappyCodec.decompressSync(XERIAL_HELLO).toString()).toBe('hello');
  });

  it('decodes a raw snappy block (as librdkafka may send)', async () => {
    const raw = Buffer.from('0510' + '68656c6c6f', 'hex');
    expect(isXerialFramed(raw)).toBe(false);
    expect((await snappyCodec.decompress(raw)).toString()).toBe('hello');
    const big = Buffer.from('kafka '.repeat(20_000));
    expect(snappyCodec.decompressSync(snappy.compressSync(big)).equals(big)).toBe(true);
  });

  it('decodes concatenated xerial streams and a header-only stream', () => {
    const twice = Buffer.concat([XERIAL_HELLO, XERIAL_HELLO]);
    expect(snappyCodec.decompressSync(twice).toString()).toBe('hellohello');
    expect(snappyCodec.decompressSync(XERIAL_HELLO.subarray(0, 16)).length).toBe(0);
  });

  it('writes the xerial form in 32 KiB blocks, like the Java client', () => {
    const input = Buffer.alloc(XERIAL_BLOCK_SIZE * 2 + 10, 3);
    const out = snappyCodec.compressSync(input);
    expect(out.subarray(0, 16).toString('hex')).toBe('82534e4150505900' + '00000001' + '00000001');
    const blocks = xerialBlocks(out);
    expect(blocks).toHaveLength(3);
    expect(blocks.map((b) => (snappy.uncompressSync(b) as Buffer).length)).toEqual([
      XERIAL_BLOCK_SIZE,
      XERIAL_BLOCK_SIZE,
      10,
    ]);
  });

  it('refuses declared lengths above the cap before decoding', () => {
    // Preamble 0xffffffff with no data: decoding would first allocate 4 GiB.
    const raw = Buffer.from('ffffffff0f00', 'hex');
    expect(() => snappyCodec.decompressSync(raw)).toThrow(DecompressionLimitError);
    const xerial = Buffer.concat([
      XERIAL_HELLO.subarray(0, 16),
      Buffer.from('00000006ffffffff0f00', 'hex'),
    ]);
    expect(() => snappyCodec.decompressSync(xerial)).toThrow(DecompressionLimitError);
  });

  it('refuses a xerial block overrunning the stream', () => {
    const bad = Buffer.from(XERIAL_HELLO);
    bad.writeInt32BE(100, 16);
    expect(() => snappyCodec.decompressSync(bad)).toThrow(/overruns/);
  });
});
