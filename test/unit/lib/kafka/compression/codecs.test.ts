import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompressionCodec } from '../../../../../lib/kafka/compression/codec.js';
import { codecFor } from '../../../../../lib/kafka/compression/codec-registry.js';
import {
  CorruptCompressedDataError,
  DecompressionLimitError,
  UnknownCompressionTypeError,
} from '../../../../../lib/kafka/compression/compression-errors.js';
import { CompressionType } from '../../../../../lib/kafka/compression/compression-type.js';

const ALL: CompressionCodec[] = [0, 1, 2, 3, 4].map((id) => codecFor(id));
const COMPRESSING = ALL.filter((c) => c.type !== CompressionType.None);

/** Half random, half repetitive, so both stored and compressed paths are exercised. */
const payload = fc
  .tuple(
    fc.uint8Array({ maxLength: 2048 }),
    fc.nat({ max: 100_000 }),
    fc.integer({ min: 0, max: 255 }),
  )
  .map(([random, fill, byte]) => Buffer.concat([Buffer.from(random), Buffer.alloc(fill, byte)]));

describe('compression codecs', () => {
  for (const codec of ALL) {
    it(`${codec.name}: round-trips, sync and async, across each other`, async () => {
      await fc.assert(
        fc.asyncProperty(payload, async (input) => {
          const a = await codec.compress(input);
          const s = codec.compressSync(input);
          expect((await codec.decompress(s)).equals(input)).toBe(true);
          expect(codec.decompressSync(a).equals(input)).toBe(true);
        }),
        { numRuns: 25 },
      );
    });

    it(`${codec.name}: round-trips empty input`, async () => {
      const c = await codec.compress(Buffer.alloc(0));
      expect((await codec.decompress(c)).length).toBe(0);
    });
  }

  for (const codec of COMPRESSING) {
    it(`${codec.name}: refuses a decompression bomb with a typed error`, async () => {
      const bomb = codec.compressSync(Buffer.alloc(8 * 1024 * 1024));
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const options = { maxOutputBytes: 1024 * 1024 };
      await expect(codec.decompress(bomb, options)).rejects.toBeInstanceOf(DecompressionLimitError);
      expect(() => codec.decompressSync(bomb, options)).toThrow(DecompressionLimitError);
      // Exactly at the cap is allowed (lz4's pre-scan bound may exceed the truth by up to
      // one block maximum, 64 KiB here).
      const exact = codec.compressSync(Buffer.alloc(4096, 1));
      const cap = codec.type === CompressionType.Lz4 ? 4096 + 65536 : 4096;
      expect(codec.decompressSync(exact, { maxOutputBytes: cap }).length).toBe(4096);
    });

    it(`${codec.name}: reports garbage as CorruptCompressedDataError (CORRUPT_MESSAGE)`, async () => {
      const garbage = Buffer.from('this is not a compressed stream at all');
      const err: unknown = await codec.decompress(garbage).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptCompressedDataError);
      expect((err as CorruptCompressedDataError).errorCode).toBe(2);
    });
  }

  it('none: applies the cap too and returns a view', async () => {
    const input = Buffer.alloc(10);
    expect(await codecFor(0).decompress(input)).toBe(input);
    expect(() => codecFor(0).decompressSync(input, { maxOutputBytes: 9 })).toThrow(
      DecompressionLimitError,
    );
  });

  it('refuses codec ids 5-7', () => {
    for (const id of [5, 6, 7, -1]) {
      expect(() => codecFor(id)).toThrow(UnknownCompressionTypeError);
    }
  });

  it('zstd: refuses a truncated frame', () => {
    const zstd = codecFor(CompressionType.Zstd);
    const full = zstd.compressSync(Buffer.from('abcdefghij'.repeat(100)));
    expect(() => zstd.decompressSync(full.subarray(0, full.length - 3))).toThrow(
      CorruptCompressedDataError,
    );
  });

  it('zstd and lz4: decode concatenated frames', () => {
    for (const codec of [codecFor(CompressionType.Zstd), codecFor(CompressionType.Lz4)]) {
      const joined = Buffer.concat([
        codec.compressSync(Buffer.from('one ')),
        codec.compressSync(Buffer.from('two')),
      ]);
      expect(codec.decompressSync(joined).toString()).toBe('one two');
    }
  });
});
