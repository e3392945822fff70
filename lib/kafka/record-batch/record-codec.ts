import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';
import { InvalidRecordError } from './batch-errors.js';

/*
 * One record inside a v2 batch:
 *   length          varint   bytes of the rest of the record
 *   attributes      int8     unused, 0
 *   timestampDelta  varlong  from the batch's baseTimestamp
 *   offsetDelta     varint   from the batch's baseOffset
 *   keyLength       varint   -1 for a null key
 *   key             bytes
 *   valueLength     varint   -1 for a null value
 *   value           bytes
 *   headerCount     varint
 *   headers         headerKeyLength varint, headerKey utf8 (never null),
 *                   headerValueLength varint (-1 null), headerValue bytes
 */

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface RecordInput {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly RecordHeader[];
  /** Defaults to 0. */
  readonly timestampDelta?: bigint | number;
  /** Defaults to the record's index in the batch. */
  readonly offsetDelta?: number;
}

export interface DecodedRecord {
  readonly attributes: number;
  readonly timestampDelta: bigint;
  readonly offsetDelta: number;
  /** A view into the batch (uncompressed) or into the decompressed buffer. */
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
}

function nullableBytes(w: Writer, b: Uint8Array | null): void {
  if (b === null) {
    w.varint(-1);
    return;
  }
  w.varint(b.length);
  w.raw(b);
}

/** Appends one record, length-prefixed, to `out`. */
export function encodeRecord(out: Writer, record: RecordInput, index: number): void {
  const body = new Writer(64);
  body.int8(0);
  body.varlong(BigInt(record.timestampDelta ?? 0));
  body.varint(record.offsetDelta ?? index);
  nullableBytes(body, record.key);
  nullableBytes(body, record.value);
  const headers = record.headers ?? [];
  body.varint(headers.length);
  for (const h of headers) {
    nullableBytes(body, Buffer.from(h.key, 'utf8'));
    nullableBytes(body, h.value);
  }
  out.varint(body.length);
  out.append(body);
}

function readNullable(r: Reader): Buffer | null {
  const n = r.varintLength();
  return n < 0 ? null : r.raw(n);
}

/**
 * Reads one record at the reader's position, checking (as Kafka's DefaultRecord.readFrom
 * does) that its fields use exactly the declared length. Malformed input throws
 * InvalidRecordError or the Reader's KafkaDecodeError.
 */
export function decodeRecord(r: Reader): DecodedRecord {
  const length = r.varint();
  if (length < 0 || length > r.remaining()) {
    throw new InvalidRecordError(
      `record declares ${length} bytes, ${r.remaining()} remain in the batch`,
    );
  }
  const start = r.pos;
  const body = new Reader(r.buf, start, start + length, { maxAllocation: r.maxAllocation });
  const attributes = body.int8();
  const timestampDelta = body.varlong();
  const offsetDelta = body.varint();
  const key = readNullable(body);
  const value = readNullable(body);
  const headerCount = body.varint();
  if (headerCount < 0 || headerCount > body.remaining()) {
    throw new InvalidRecordError(`invalid record header count ${headerCount}`);
  }
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const keyLength = body.varintLength();
    if (keyLength < 0) throw new InvalidRecordError('null record header key');
    const headerKey = body.raw(keyLength).toString('utf8');
    headers.push({ key: headerKey, value: readNullable(body) });
  }
  if (body.remaining() !== 0) {
    throw new InvalidRecordError(`record has ${body.remaining()} bytes beyond its fields`);
  }
  r.skip(length);
  return { attributes, timestampDelta, offsetDelta, key, value, headers };
}
