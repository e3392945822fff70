/**
 * Hostile input for the frame reader and the request decoder: random frames, valid frames
 * mutated (bit flips, truncation, insertion, overwritten length prefixes). The only error
 * that may escape is the typed one, and no length prefix may allocate past the cap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_DEFINITIONS } from '../../../../../lib/kafka/gen/index.js';
import { MESSAGE_SCHEMAS } from '../../../../../lib/kafka/gen/schemas.js';
import { KafkaDecodeError } from '../../../../../lib/kafka/protocol/decode-error.js';
import { FrameError, FrameReader } from '../../../../../lib/kafka/protocol/frame-reader.js';
import {
  decodeRequestFrame,
  encodeRequestFrame,
  readPreamble,
} from '../../../../../lib/kafka/protocol/request-frame.js';
import { messageArbitrary } from '../../../../support/schema-arbitrary.js';

const CAP = 4096;

/** Decodes as the edge will; returns 'ok' or the typed error, rethrows anything else. */
function decodeAsEdge(frame: Buffer): 'ok' | 'unknown-api' | KafkaDecodeError {
  try {
    const { apiKey, apiVersion } = readPreamble(frame);
    const api = API_DEFINITIONS.find((a) => a.apiKey === apiKey);
    if (api === undefined || apiVersion < api.minVersion || apiVersion > api.maxVersion) {
      return 'unknown-api';
    }
    decodeRequestFrame(frame, api, apiVersion, { maxAllocation: CAP });
    return 'ok';
  } catch (e) {
    if (e instanceof KafkaDecodeError) return e;
    throw e;
  }
}

const validFrame = fc.constantFrom(...API_DEFINITIONS).chain((api) =>
  fc.integer({ min: api.minVersion, max: api.maxVersion }).chain((version) => {
    const schema = MESSAGE_SCHEMAS[`${api.name}Request`];
    if (schema === undefined) throw new Error(`no schema for ${api.name}`);
    return messageArbitrary(schema, version).map((body) =>
      encodeRequestFrame(api, version, 7, 'fuzz', body).subarray(4),
    );
  }),
);

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'big-length'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('big-length' as const),
    at: fc.nat(),
    value: fc.constantFrom(0x7fffffff, 0x10000, CAP + 1, -2, 0xffff),
  }),
);

function mutate(frame: Buffer, m: Mutation): Buffer {
  const at = frame.length === 0 ? 0 : m.at % frame.length;
  const copy = Buffer.from(frame);
  switch (m.kind) {
    case 'flip':
      if (copy.length > 0) copy.writeUInt8(copy.readUInt8(at) ^ (1 << m.bit), at);
      return copy;
    case 'truncate':
      return copy.subarray(0, at);
    case 'insert':
      return Buffer.concat([copy.subarray(0, at), m.bytes, copy.subarray(at)]);
    case 'big-length':
      if (at + 4 <= copy.length) copy.writeInt32BE(m.value | 0, at);
      return copy;
  }
}

describe('request decoder under hostile input', () => {
  it('decodes every valid frame it is given', () => {
    fc.assert(
      fc.property(validFrame, (frame) => {
        expect(decodeAsEdge(frame)).toBe('ok');
      }),
      { numRuns: 300 },
    );
  });

  it('fails mutated frames only with KafkaDecodeError', () => {
    fc.assert(
      fc.property(validFrame, fc.array(mutation, { minLength: 1, maxLength: 3 }), (frame, ms) => {
        const bad = ms.reduce(mutate, frame);
        const before = process.memoryUsage().arrayBuffers;
        decodeAsEdge(bad);
        // A decode never allocates beyond a few times the frame and the cap.
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
      }),
      { numRuns: 3000 },
    );
  });

  it('fails random frames only with KafkaDecodeError', () => {
    const headerish = fc
      .tuple(
        fc.constantFrom(...API_DEFINITIONS.map((a) => a.apiKey), -1, 999),
        fc.integer({ min: -1, max: 20 }),
        fc.uint8Array({ maxLength: 200 }),
      )
      .map(([key, version, rest]) => {
        const b = Buffer.alloc(4 + rest.length);
        b.writeInt16BE(key, 0);
        b.writeInt16BE(version, 2);
        b.set(rest, 4);
        return b;
      });
    fc.assert(
      fc.property(
        fc.oneof(
          headerish,
          fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
        ),
        (frame) => {
          decodeAsEdge(frame);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('refuses length prefixes above the cap with a typed error', () => {
    const api = API_DEFINITIONS.find((a) => a.name === 'Metadata');
    if (!api) throw new Error('no Metadata');
    // Metadata v1: header v1 then an int32 topic count claiming 2^31-1 topics.
    const frame = Buffer.alloc(8 + 2 + 4);
    frame.writeInt16BE(3, 0);
    frame.writeInt16BE(1, 2);
    frame.writeInt32BE(1, 4);
    frame.writeInt16BE(-1, 8);
    frame.writeInt32BE(0x7fffffff, 10);
    const result = decodeAsEdge(frame);
    expect(result).toBeInstanceOf(KafkaDecodeError);
    expect(String(result)).toMatch(/exceeds/);
  });
});

describe('frame reader under hostile input', () => {
  it('fails random streams only with FrameError and never buffers past the maximum', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const reader = new FrameReader(1024);
        try {
          for (const c of chunks) {
            for (const frame of reader.push(Buffer.from(c))) {
              expect(frame.length).toBeLessThanOrEqual(1024);
              decodeAsEdge(frame);
            }
            expect(reader.bufferedBytes).toBeLessThanOrEqual(1024);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(FrameError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
