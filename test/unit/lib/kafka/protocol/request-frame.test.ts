/**
 * decodeRequestFrame reads a request as Kafka does: bytes after the body are ignored (and
 * counted), so librdkafka's Metadata v12 "all topics" request, whose null topic array is
 * written as a 4-byte -1 (librdkafka issue 5049), is read as Kafka reads it.
 */
import { describe, expect, it } from 'vitest';
import { metadataApi, type MetadataRequest } from '../../../../../lib/kafka/gen/index.js';
import { decodeRequestFrame } from '../../../../../lib/kafka/protocol/request-frame.js';
import { KafkaDecodeError } from '../../../../../lib/kafka/protocol/decode-error.js';

/** Request header v2 for Metadata v12, correlation id 7, client id "rdkafka". */
function header(): Buffer {
  const clientId = Buffer.from('rdkafka');
  const h = Buffer.alloc(10);
  h.writeInt16BE(3, 0);
  h.writeInt16BE(12, 2);
  h.writeInt32BE(7, 4);
  h.writeInt16BE(clientId.length, 8);
  return Buffer.concat([h, clientId, Buffer.from([0])]);
}

describe('decodeRequestFrame', () => {
  it("reads librdkafka's Metadata v12 all-topics request as Kafka does: null topics, 3 spare bytes", () => {
    const body = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]);
    const decoded = decodeRequestFrame(Buffer.concat([header(), body]), metadataApi, 12);
    const request = decoded.body as MetadataRequest;
    expect(request.topics).toBeNull();
    expect(request.allowAutoTopicCreation).toBe(false);
    expect(decoded.header.clientId).toBe('rdkafka');
    expect(decoded.trailingBytes).toBe(3);
  });

  it('reads a well-formed request to its last byte', () => {
    const body = Buffer.from([0x00, 0x01, 0x00, 0x00]);
    const decoded = decodeRequestFrame(Buffer.concat([header(), body]), metadataApi, 12);
    expect((decoded.body as MetadataRequest).allowAutoTopicCreation).toBe(true);
    expect(decoded.trailingBytes).toBe(0);
  });

  it('still refuses a body that ends too soon', () => {
    const body = Buffer.from([0x00, 0x01]);
    expect(() => decodeRequestFrame(Buffer.concat([header(), body]), metadataApi, 12)).toThrow(
      KafkaDecodeError,
    );
  });
});
