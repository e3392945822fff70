/**
 * The controlplane's records in etcd (docs/storage.md, "Keys in etcd"): `topics/<name>`,
 * `assign/<topicId>/<p>` and the node registrations `nodes/storage/<id>` and
 * `nodes/edge/<id>`. Each decoder validates the whole shape and names the key on refusal.
 */
import { randomBytes } from 'node:crypto';
import {
  BadMetadataValueError,
  decodeJsonObject,
  encodeJson,
  field,
  objectListField,
  isInt,
  isString,
} from './json-value.js';

const TOPIC_ID_BYTES = 16;

/** `topics/<name>`: one key per topic, written with compare-and-swap. */
export interface TopicRecord {
  /** base64url of 16 random bytes (Kafka's topic UUID); never the all-zero id. */
  readonly topicId: string;
  readonly name: string;
  readonly partitions: number;
  /** Topic-level config overrides by Kafka config name; defaults are absent. */
  readonly configs: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
}

/** `nodes/storage/<id>` and `nodes/edge/<id>`: attached to the node's lease. */
export interface NodeRecord {
  readonly id: string;
  /** The advertised host (Kafka listener for an edge, StorageService for a storage node). */
  readonly host: string;
  readonly port: number;
  readonly rack?: string;
  /** Where its metrics endpoint (/metrics, /load) is reachable, as host:port; absent if unknown. */
  readonly metricsAddr?: string;
  /** The software version the node runs. */
  readonly version: string;
  readonly startedAtMs: number;
  /** An edge's Kafka listeners, as clients reach each (absent: only host and port). */
  readonly listeners?: readonly NodeListener[];
}

/** One Kafka listener of an edge: its name and advertised address. */
export interface NodeListener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** What a node publishes about itself; the id and start time are added when it registers. */
export type NodeRegistration = Omit<NodeRecord, 'id' | 'startedAtMs'>;

/** `assign/<topicId>/<p>`: the storage node that should own the partition. */
export interface AssignmentRecord {
  readonly node: string;
}

/** A fresh topic id: 16 random bytes in base64url, redrawn in the (absurd) all-zero case. */
export function newTopicId(random: (size: number) => Uint8Array = randomBytes): string {
  for (;;) {
    const bytes = random(TOPIC_ID_BYTES);
    if (bytes.some((b) => b !== 0)) return Buffer.from(bytes).toString('base64url');
  }
}

/** Whether `text` is the base64url form of a 16-byte, non-zero topic id. */
export function isTopicId(text: string): boolean {
  if (!/^[A-Za-z0-9_-]{22}$/.test(text)) return false;
  const bytes = Buffer.from(text, 'base64url');
  return (
    bytes.length === TOPIC_ID_BYTES &&
    bytes.toString('base64url') === text &&
    bytes.some((b) => b !== 0)
  );
}

const isTopicIdText = (v: unknown): v is string => typeof v === 'string' && isTopicId(v);
const isPositiveInt = (v: unknown): v is number => isInt(v) && v >= 1;
const isPort = (v: unknown): v is number => isInt(v) && v >= 0 && v <= 65535;
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function stringMap(
  key: string,
  obj: Record<string, unknown>,
  name: string,
): Record<string, string> {
  const v = obj[name];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new BadMetadataValueError(key, `field ${name} is not an object`);
  }
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') {
      throw new BadMetadataValueError(key, `field ${name}.${k} is not a string`);
    }
    out[k] = value;
  }
  return out;
}

export function encodeTopicRecord(t: TopicRecord): Uint8Array {
  return encodeJson(t);
}

export function decodeTopicRecord(key: string, bytes: Uint8Array): TopicRecord {
  const o = decodeJsonObject(key, bytes);
  return {
    topicId: field(key, o, 'topicId', isTopicIdText, 'a non-zero base64url topic id'),
    name: field(key, o, 'name', isNonEmptyString, 'a non-empty string'),
    partitions: field(key, o, 'partitions', isPositiveInt, 'an integer >= 1'),
    configs: stringMap(key, o, 'configs'),
    createdAtMs: field(key, o, 'createdAtMs', isInt, 'an integer'),
  };
}

export function encodeNodeRecord(n: NodeRecord): Uint8Array {
  return encodeJson(n);
}

export function decodeNodeRecord(key: string, bytes: Uint8Array): NodeRecord {
  const o = decodeJsonObject(key, bytes);
  const rack = o.rack;
  if (rack !== undefined && typeof rack !== 'string') {
    throw new BadMetadataValueError(key, 'field rack is not a string');
  }
  const metricsAddr = o.metricsAddr;
  if (metricsAddr !== undefined && typeof metricsAddr !== 'string') {
    throw new BadMetadataValueError(key, 'field metricsAddr is not a string');
  }
  return {
    id: field(key, o, 'id', isNonEmptyString, 'a non-empty string'),
    host: field(key, o, 'host', isString, 'a string'),
    port: field(key, o, 'port', isPort, 'a port number'),
    ...(rack === undefined ? {} : { rack }),
    ...(metricsAddr === undefined ? {} : { metricsAddr }),
    version: field(key, o, 'version', isString, 'a string'),
    startedAtMs: field(key, o, 'startedAtMs', isInt, 'an integer'),
    ...(o.listeners === undefined
      ? {}
      : {
          listeners: objectListField(key, o, 'listeners').map((l) => ({
            name: field(key, l, 'name', isNonEmptyString, 'a non-empty string'),
            host: field(key, l, 'host', isString, 'a string'),
            port: field(key, l, 'port', isPort, 'a port number'),
          })),
        }),
  };
}

/**
 * The Kafka broker id of an edge: edges register under their broker id in decimal, since
 * Kafka clients know brokers by int32 id. Undefined for an id that is not one.
 */
export function edgeBrokerId(id: string): number | undefined {
  if (!/^(0|[1-9]\d{0,9})$/.test(id)) return undefined;
  const n = Number(id);
  return n <= 0x7fffffff ? n : undefined;
}

export function encodeAssignment(a: AssignmentRecord): Uint8Array {
  return encodeJson(a);
}

export function decodeAssignment(key: string, bytes: Uint8Array): AssignmentRecord {
  const o = decodeJsonObject(key, bytes);
  return { node: field(key, o, 'node', isNonEmptyString, 'a non-empty string') };
}

/** The 16 raw bytes of a topic id (as gRPC carries it). */
export function topicIdToBytes(topicId: string): Uint8Array {
  return Buffer.from(topicId, 'base64url');
}

/** The base64url text of raw topic id bytes whose length the caller has checked. */
export function topicIdText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** The base64url text of 16 raw topic id bytes, or undefined when they are not a valid id. */
export function topicIdFromBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length !== TOPIC_ID_BYTES) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  return isTopicId(text) ? text : undefined;
}
