/**
 * The small runtime the generated codec (lib/kafka/gen) calls into: tagged-field
 * bookkeeping, the errors an encoder raises for values a version cannot carry, and the
 * shapes the generated registry exports.
 */
import type { Reader } from './reader.js';
import { Writer } from './writer.js';

/** A tagged field this codec has no name for, kept as raw bytes so it re-encodes as read. */
export interface RawTaggedField {
  readonly tag: number;
  readonly data: Uint8Array;
}

/** A zero-length byte array shared by every default; never written to. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** The all-zero UUID in Kafka's text form. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Thrown by an encoder asked to write something the chosen version cannot carry. */
export class KafkaEncodeError extends Error {
  override readonly name = 'KafkaEncodeError';
}

export function unsupportedField(field: string, version: number): never {
  throw new KafkaEncodeError(
    `${field} has a non-default value that version ${version} cannot carry`,
  );
}

export function nonNull<T>(value: T | null, field: string, version: number): T {
  if (value === null)
    throw new KafkaEncodeError(`${field} is null, which version ${version} does not allow`);
  return value;
}

/** Collects the known tagged fields of one struct, each encoded into its own writer. */
export class TaggedFieldWriter {
  readonly fields: { tag: number; body: Writer }[] = [];

  field(tag: number): Writer {
    const body = new Writer(64);
    this.fields.push({ tag, body });
    return body;
  }
}

/** Writes a struct's tagged-field section: count, then (tag, size, bytes) in tag order. */
export function writeTaggedFields(
  w: Writer,
  known: TaggedFieldWriter | undefined,
  unknown: readonly RawTaggedField[] | undefined,
): void {
  const nKnown = known === undefined ? 0 : known.fields.length;
  const nUnknown = unknown === undefined ? 0 : unknown.length;
  if (nKnown + nUnknown === 0) {
    w.uvarint(0);
    return;
  }
  const all: { tag: number; size: number; write: () => void }[] = [];
  for (const f of known?.fields ?? []) {
    all.push({
      tag: f.tag,
      size: f.body.length,
      write: () => {
        w.append(f.body);
      },
    });
  }
  for (const f of unknown ?? []) {
    all.push({
      tag: f.tag,
      size: f.data.length,
      write: () => {
        w.raw(f.data);
      },
    });
  }
  all.sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < all.length; i++) {
    if ((all[i] as { tag: number }).tag === (all[i - 1] as { tag: number }).tag) {
      throw new KafkaEncodeError(`tagged field ${(all[i] as { tag: number }).tag} appears twice`);
    }
  }
  w.uvarint(all.length);
  for (const f of all) {
    w.uvarint(f.tag);
    w.uvarint(f.size);
    f.write();
  }
}

/** Encode/decode of one message type at any of its versions. */
export interface MessageCodec<T> {
  readonly name: string;
  decode(r: Reader, version: number): T;
  encode(w: Writer, message: T, version: number): void;
  /** A message with every field at its default. */
  create(): T;
}

/** A Kafka API: its key, version ranges and the codecs of its request and response. */
export interface ApiDefinition<Req = unknown, Res = unknown> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first flexible version, or -1 when no version is flexible. */
  readonly firstFlexibleVersion: number;
  readonly latestVersionUnstable: boolean;
  readonly listeners: readonly string[];
  readonly request: MessageCodec<Req>;
  readonly response: MessageCodec<Res>;
}
