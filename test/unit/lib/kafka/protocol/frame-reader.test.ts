import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameError, FrameReader } from '../../../../../lib/kafka/protocol/frame-reader.js';

function framed(payloads: Uint8Array[]): Buffer {
  return Buffer.concat(
    payloads.flatMap((p) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(p.length);
      return [size, Buffer.from(p)];
    }),
  );
}

/** Cuts a buffer at the given (sorted, deduplicated) positions. */
function cut(stream: Buffer, positions: number[]): Buffer[] {
  const at = [...new Set(positions.map((p) => p % (stream.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const p of [...at, stream.length]) {
    if (p > prev) chunks.push(stream.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  return chunks;
}

describe('FrameReader', () => {
  it('yields the same frames however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (payloads, positions) => {
          const reader = new FrameReader(1024);
          const out: Buffer[] = [];
          for (const chunk of cut(framed(payloads), positions)) out.push(...reader.push(chunk));
          expect(out.map((b) => [...b])).toEqual(payloads.map((p) => [...p]));
          expect(reader.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('returns a frame that arrives whole as a view of the chunk, not a copy', () => {
    const stream = framed([Buffer.from('hello'), Buffer.from('world')]);
    const frames = new FrameReader().push(stream);
    expect(frames).toHaveLength(2);
    for (const f of frames) expect(f.buffer).toBe(stream.buffer);
  });

  it('holds a partial frame until its last byte arrives', () => {
    const reader = new FrameReader();
    const stream = framed([Buffer.alloc(10, 7)]);
    expect(reader.push(stream.subarray(0, 2))).toEqual([]);
    expect(reader.push(stream.subarray(2, 9))).toEqual([]);
    expect(reader.bufferedBytes).toBe(5); // the 4-byte prefix is consumed
    const [frame] = reader.push(stream.subarray(9));
    expect(frame).toEqual(Buffer.alloc(10, 7));
  });

  it('refuses a size prefix above the maximum before allocating, and stays failed', () => {
    const reader = new FrameReader(1000);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(0x7fffffff);
    let error: unknown;
    try {
      reader.push(prefix);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameError);
    expect((error as FrameError).kind).toBe('too-large');
    expect((error as FrameError).size).toBe(0x7fffffff);
    expect(reader.bufferedBytes).toBe(0);
    expect(() => reader.push(Buffer.from([0, 0, 0, 1, 9]))).toThrow(FrameError);
  });

  it('refuses a negative size prefix', () => {
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(/negative/);
  });

  it('accepts a frame of exactly the maximum size', () => {
    const frames = new FrameReader(16).push(framed([Buffer.alloc(16, 1)]));
    expect(frames[0]?.length).toBe(16);
  });
});
