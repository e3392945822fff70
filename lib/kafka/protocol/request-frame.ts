/**
 * Decoding of request frames and encoding of response frames (and the reverse, for tests
 * and tools). The header is read first, so that the caller can answer an unknown API key
 * or an unsupported version before the body is decoded.
 */
import {
  apiDefinition,
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  type RequestHeader,
} from '../gen/index.js';
import type { ApiDefinition } from './codec-runtime.js';
import { KafkaDecodeError } from './decode-error.js';
import { Reader, type ReaderOptions } from './reader.js';
import { Writer } from './writer.js';

/** The fixed start of every request header: key, version and correlation id. */
export interface RequestPreamble {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
}

/** Reads the 8 bytes every request starts with; refuses a frame shorter than that. */
export function readPreamble(frame: Buffer): RequestPreamble {
  if (frame.length < 8)
    throw new KafkaDecodeError(`request frame of ${frame.length} bytes is shorter than a header`);
  return {
    apiKey: frame.readInt16BE(0),
    apiVersion: frame.readInt16BE(2),
    correlationId: frame.readInt32BE(4),
  };
}

export interface DecodedRequest<T = unknown> {
  readonly api: ApiDefinition;
  readonly version: number;
  readonly header: RequestHeader;
  readonly body: T;
  /** Bytes after the body, which were ignored (0 for a well-formed request). */
  readonly trailingBytes: number;
}

/**
 * Decodes header and body of a request whose API and version the caller has accepted.
 * Throws KafkaDecodeError on malformed input. Bytes left over after the body are ignored, as
 * Kafka's request parser ignores them: librdkafka 2.x writes Metadata v9+'s null topic array
 * as a 4-byte -1 instead of a 1-byte varint (librdkafka issue 5049), which Kafka reads as a
 * null array followed by 3 spare bytes.
 */
export function decodeRequestFrame(
  frame: Buffer,
  api: ApiDefinition,
  version: number,
  options?: ReaderOptions,
): DecodedRequest {
  const r = new Reader(frame, 0, frame.length, options);
  const header = decodeRequestHeader(r, requestHeaderVersion(api, version));
  const body = api.request.decode(r, version);
  return { api, version, header, body, trailingBytes: r.remaining() };
}

/** Encodes a response with its size prefix and header, as a chain of chunks for writev. */
export function encodeResponseFrame(
  api: ApiDefinition,
  version: number,
  correlationId: number,
  body: unknown,
): Uint8Array[] {
  const w = new Writer(1024);
  const setSize = w.reserveInt32();
  encodeResponseHeader(w, { correlationId }, responseHeaderVersion(api, version));
  api.response.encode(w, body, version);
  setSize(w.length - 4);
  return w.chunks();
}

/** Encodes a request with its size prefix and header (clients, tests and tools). */
export function encodeRequestFrame(
  api: ApiDefinition,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: unknown,
): Buffer {
  const w = new Writer(1024);
  const setSize = w.reserveInt32();
  encodeRequestHeader(
    w,
    { requestApiKey: api.apiKey, requestApiVersion: version, correlationId, clientId },
    requestHeaderVersion(api, version),
  );
  api.request.encode(w, body, version);
  setSize(w.length - 4);
  return w.toBuffer();
}

/** Decodes a response frame (without its size prefix) for a request the caller sent. */
export function decodeResponseFrame(
  frame: Buffer,
  api: ApiDefinition,
  version: number,
): { correlationId: number; body: unknown } {
  const r = new Reader(frame);
  const header = decodeResponseHeader(r, responseHeaderVersion(api, version));
  const body = api.response.decode(r, version);
  if (r.remaining() !== 0)
    r.fail(`${r.remaining()} bytes left after the ${api.name} v${version} response`);
  return { correlationId: header.correlationId, body };
}

export { apiDefinition };
