/**
 * Encoding of the in-process store's durable files. Both the append-only log and the snapshot
 * are sequences of records framed as `[u32 BE payload length][u32 BE CRC32C of payload]
 * [payload]`, the payload being UTF-8 JSON. A record that ends past the end of the file, or
 * whose checksum fails while it is the last record, is a torn write from a crash and is
 * dropped; any other damage is corruption and is reported with the file and the offset.
 */
import type { KeyValue, WatchEvent } from '../metadata-store.js';
import { crc32c } from '../../kafka/crc32c.js';
import type { RevisionChange } from './memory-state.js';

export const RECORD_HEADER_BYTES = 8;
/** Refuse absurd lengths before allocating (a corrupt length prefix must not exhaust memory). */
export const MAX_RECORD_BYTES = 512 * 1024 * 1024;

export class MetadataLogCorruptError extends Error {
  override readonly name = 'MetadataLogCorruptError';
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`metadata log ${file} is corrupt at offset ${offset}: ${reason}`);
  }
}

export function frameRecord(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + body.length);
  out.writeUInt32BE(body.length, 0);
  out.writeUInt32BE(crc32c(body), 4);
  body.copy(out, RECORD_HEADER_BYTES);
  return out;
}

export interface ReadRecords {
  readonly records: { readonly offset: number; readonly payload: unknown }[];
  /** Length of the intact prefix of the file (the torn tail, if any, starts here). */
  readonly validBytes: number;
  readonly tornTail: boolean;
}

/** Splits a file into record payloads; see the module comment for torn versus corrupt. */
export function readRecords(file: string, data: Buffer): ReadRecords {
  const records: { offset: number; payload: unknown }[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < RECORD_HEADER_BYTES) {
      return { records, validBytes: offset, tornTail: true };
    }
    const length = data.readUInt32BE(offset);
    const crc = data.readUInt32BE(offset + 4);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (end > data.length) {
      if (length > MAX_RECORD_BYTES) {
        throw new MetadataLogCorruptError(file, offset, `record length ${length} is too large`);
      }
      return { records, validBytes: offset, tornTail: true };
    }
    const body = data.subarray(offset + RECORD_HEADER_BYTES, end);
    if (crc32c(body) !== crc) {
      if (end === data.length) return { records, validBytes: offset, tornTail: true };
      throw new MetadataLogCorruptError(file, offset, 'checksum mismatch');
    }
    try {
      records.push({ offset, payload: JSON.parse(body.toString('utf8')) as unknown });
    } catch (e) {
      throw new MetadataLogCorruptError(file, offset, `bad record payload: ${String(e)}`);
    }
    offset = end;
  }
  return { records, validBytes: offset, tornTail: false };
}

// ---------------------------------------------------------------------------
// Payloads

interface KvJson {
  k: string;
  v: string; // base64
  c: number;
  m: number;
  n: number; // version
  l?: string;
}

type EventJson = { t: 'p'; kv: KvJson } | { t: 'd'; k: string };

interface ChangeJson {
  r: number;
  e: EventJson[];
}

interface SnapshotJson {
  snapshot: 1;
  r: number;
  kvs: KvJson[];
}

function kvToJson(kv: KeyValue): KvJson {
  const out: KvJson = {
    k: kv.key,
    v: Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength).toString('base64'),
    c: kv.createRevision,
    m: kv.modRevision,
    n: kv.version,
  };
  if (kv.lease !== undefined) out.l = kv.lease;
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function kvFromJson(x: unknown): KeyValue | undefined {
  if (!isRecord(x)) return undefined;
  const { k, v, c, m, n, l } = x;
  if (typeof k !== 'string' || typeof v !== 'string') return undefined;
  if (typeof c !== 'number' || typeof m !== 'number' || typeof n !== 'number') return undefined;
  if (l !== undefined && typeof l !== 'string') return undefined;
  return {
    key: k,
    value: new Uint8Array(Buffer.from(v, 'base64')),
    createRevision: c,
    modRevision: m,
    version: n,
    lease: l,
  };
}

export function changeToJson(change: RevisionChange): ChangeJson {
  return {
    r: change.revision,
    e: change.events.map((ev) =>
      ev.type === 'put' ? { t: 'p', kv: kvToJson(ev.kv) } : { t: 'd', k: ev.key },
    ),
  };
}

export function changeFromJson(x: unknown): RevisionChange | undefined {
  if (!isRecord(x) || typeof x.r !== 'number' || !Array.isArray(x.e)) return undefined;
  const revision = x.r;
  const events: WatchEvent[] = [];
  for (const e of x.e as unknown[]) {
    if (!isRecord(e)) return undefined;
    if (e.t === 'p') {
      const kv = kvFromJson(e.kv);
      if (kv === undefined) return undefined;
      events.push({ type: 'put', kv });
    } else if (e.t === 'd' && typeof e.k === 'string') {
      events.push({ type: 'delete', key: e.k, modRevision: revision });
    } else {
      return undefined;
    }
  }
  return { revision, events };
}

export function snapshotToJson(revision: number, kvs: readonly KeyValue[]): SnapshotJson {
  return { snapshot: 1, r: revision, kvs: kvs.map(kvToJson) };
}

export function snapshotFromJson(x: unknown): { revision: number; kvs: KeyValue[] } | undefined {
  if (!isRecord(x) || x.snapshot !== 1 || typeof x.r !== 'number' || !Array.isArray(x.kvs)) {
    return undefined;
  }
  const kvs: KeyValue[] = [];
  for (const item of x.kvs as unknown[]) {
    const kv = kvFromJson(item);
    if (kv === undefined) return undefined;
    kvs.push(kv);
  }
  return { revision: x.r, kvs };
}
