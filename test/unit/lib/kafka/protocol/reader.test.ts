import { describe, expect, it } from 'vitest';
import { KafkaDecodeError } from '../../../../../lib/kafka/protocol/decode-error.js';
import { Reader } from '../../../../../lib/kafka/protocol/reader.js';
import { Writer } from '../../../../../lib/kafka/protocol/writer.js';

const bytes = (...b: number[]) => Buffer.from(b);

describe('Reader', () => {
  it('refuses to read past its end', () => {
    const r = new Reader(bytes(0, 1, 2));
    expect(() => r.int32()).toThrow(KafkaDecodeError);
  });

  it('never reads outside its window of a larger buffer', () => {
    const r = new Reader(bytes(1, 2, 3, 4, 5, 6), 1, 3);
    expect(r.int16()).toBe(0x0203);
    expect(() => r.int8()).toThrow(KafkaDecodeError);
  });

  it('refuses a string length larger than what remains', () => {
    expect(() => new Reader(bytes(0x7f, 0xff, 65)).string()).toThrow(
      /exceeds the 1 bytes remaining/,
    );
  });

  it('refuses an array count larger than what remains, before allocating', () => {
    expect(() => new Reader(bytes(0x7f, 0xff, 0xff, 0xff)).arrayLength()).toThrow(KafkaDecodeError);
    expect(() => new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0x0f)).compactArrayLength()).toThrow(
      KafkaDecodeError,
    );
  });

  it('refuses any length above the configured cap', () => {
    const data = Buffer.alloc(100);
    data.writeInt32BE(50, 0);
    expect(() => new Reader(data, 0, 100, { maxAllocation: 10 }).bytes()).toThrow(
      /allocation cap 10/,
    );
    expect(new Reader(data, 0, 100, { maxAllocation: 50 }).bytes().length).toBe(50);
  });

  it('refuses lengths below -1', () => {
    expect(() => new Reader(bytes(0xff, 0xfe)).nullableString()).toThrow(/negative length/);
  });

  it('refuses varints longer than their width', () => {
    expect(() => new Reader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).uvarint()).toThrow(
      KafkaDecodeError,
    );
    expect(() => new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0x1f)).uvarint()).toThrow(/32 bits/);
    expect(() => new Reader(Buffer.alloc(11, 0x80)).varlong()).toThrow(KafkaDecodeError);
  });

  it('reads varints and varlongs written by the Writer, extremes included', () => {
    const ints = [0, 1, -1, 63, -64, 64, 2 ** 31 - 1, -(2 ** 31)];
    const longs = [0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    const unsigned = [0, 127, 128, 16383, 16384, 2 ** 32 - 1];
    const w = new Writer();
    for (const v of ints) w.varint(v);
    for (const v of longs) w.varlong(v);
    for (const v of unsigned) w.uvarint(v);
    const r = new Reader(w.toBuffer());
    expect(ints.map(() => r.varint())).toEqual(ints);
    expect(longs.map(() => r.varlong())).toEqual(longs);
    expect(unsigned.map(() => r.uvarint())).toEqual(unsigned);
    expect(r.remaining()).toBe(0);
  });

  it('returns bytes as views of the input, not copies', () => {
    const input = Buffer.from([0, 0, 0, 3, 9, 8, 7]);
    const view = new Reader(input).bytes();
    expect(view.buffer).toBe(input.buffer);
    expect([...view]).toEqual([9, 8, 7]);
  });

  it('reads uuids in Kafka text form', () => {
    const raw = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    expect(new Reader(raw).uuid()).toBe(raw.toString('base64url'));
  });
});

describe('Writer', () => {
  it('appends large byte fields by reference and small ones by copy', () => {
    const big = Buffer.alloc(4096, 1);
    const small = Buffer.alloc(10, 2);
    const w = new Writer();
    w.bytes(small);
    w.bytes(big);
    w.int8(5);
    const chunks = w.chunks();
    expect(chunks.some((c) => c === big)).toBe(true);
    expect(chunks.some((c) => c === small)).toBe(false);
    expect(w.length).toBe(4 + 10 + 4 + 4096 + 1);
    expect(w.toBuffer().length).toBe(w.length);
  });

  it('fills a reserved size slot after later writes, across block growth', () => {
    const w = new Writer(8);
    const setSize = w.reserveInt32();
    for (let i = 0; i < 1000; i++) w.int32(i);
    setSize(w.length - 4);
    const out = w.toBuffer();
    expect(out.readInt32BE(0)).toBe(4000);
    expect(out.readInt32BE(4 + 999 * 4)).toBe(999);
  });

  it('refuses values its encoding cannot carry', () => {
    const w = new Writer();
    expect(() => {
      w.uvarint(-1);
    }).toThrow(RangeError);
    expect(() => {
      w.varint(2 ** 31);
    }).toThrow(RangeError);
    expect(() => {
      w.uuid('not-a-uuid');
    }).toThrow(RangeError);
    expect(() => {
      w.string('x'.repeat(40000));
    }).toThrow(RangeError);
  });
});
