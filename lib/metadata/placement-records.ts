/**
 * Operators' placement decisions in etcd (docs/storage.md, "Keys in etcd"): a pin
 * (`pins/<topicId>/<p>`) holds a partition on a named storage node, a drain
 * (`drains/<nodeId>`) keeps every partition off a node. Written by the admin API, read by
 * the assignment planner on the leading controlplane replica.
 */
import { decodeJsonObject, encodeJson, field, isInt, isString } from './json-value.js';

export interface PinRecord {
  readonly node: string;
  readonly pinnedAtMs: number;
}

export interface DrainRecord {
  readonly drainedAtMs: number;
}

const isNodeId = (v: unknown): v is string => isString(v) && v.length > 0;

export function encodePin(p: PinRecord): Uint8Array {
  return encodeJson(p);
}

export function decodePin(key: string, bytes: Uint8Array): PinRecord {
  const o = decodeJsonObject(key, bytes);
  return {
    node: field(key, o, 'node', isNodeId, 'a non-empty string'),
    pinnedAtMs: field(key, o, 'pinnedAtMs', isInt, 'an integer'),
  };
}

export function encodeDrain(d: DrainRecord): Uint8Array {
  return encodeJson(d);
}

export function decodeDrain(key: string, bytes: Uint8Array): DrainRecord {
  const o = decodeJsonObject(key, bytes);
  return { drainedAtMs: field(key, o, 'drainedAtMs', isInt, 'an integer') };
}
