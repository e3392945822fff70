import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  API_DEFINITIONS,
  requestHeaderCodec,
  responseHeaderCodec,
  consumerProtocolAssignmentCodec,
  consumerProtocolSubscriptionCodec,
} from '../../../../../lib/kafka/gen/index.js';
import { MESSAGE_SCHEMAS } from '../../../../../lib/kafka/gen/schemas.js';
import type { MessageCodec } from '../../../../../lib/kafka/protocol/codec-runtime.js';
import { Reader } from '../../../../../lib/kafka/protocol/reader.js';
import { Writer } from '../../../../../lib/kafka/protocol/writer.js';
import { messageArbitrary } from '../../../../support/schema-arbitrary.js';

const RUNS = 25;

function roundTrip(codec: MessageCodec<unknown>, version: number): void {
  const schema = MESSAGE_SCHEMAS[codec.name];
  if (schema === undefined) throw new Error(`no schema for ${codec.name}`);
  fc.assert(
    fc.property(messageArbitrary(schema, version), (message) => {
      const w = new Writer();
      codec.encode(w, message, version);
      const bytes = w.toBuffer();
      const r = new Reader(bytes);
      const decoded = codec.decode(r, version);
      expect(r.remaining()).toBe(0);
      expect(decoded).toEqual(message);
      const again = new Writer();
      codec.encode(again, decoded, version);
      expect(again.toBuffer().equals(bytes)).toBe(true);
    }),
    { numRuns: RUNS },
  );
}

describe('every generated message round-trips at every version', () => {
  for (const api of API_DEFINITIONS) {
    describe(`${api.apiKey} ${api.name}`, () => {
      for (let v = api.minVersion; v <= api.maxVersion; v++) {
        it(`request and response v${v}`, () => {
          roundTrip(api.request, v);
          roundTrip(api.response, v);
        });
      }
    });
  }

  const others: [MessageCodec<unknown>, number, number][] = [
    [requestHeaderCodec, 0, 2],
    [responseHeaderCodec, 0, 1],
    [consumerProtocolSubscriptionCodec, 0, 3],
    [consumerProtocolAssignmentCodec, 0, 3],
  ];
  for (const [codec, min, max] of others) {
    it(`${codec.name} v${min}-v${max}`, () => {
      for (let v = min; v <= max; v++) roundTrip(codec, v);
    });
  }
});
