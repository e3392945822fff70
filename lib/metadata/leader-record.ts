/** `controlplane/leader`: who leads, attached to the leader's lease. */
import { decodeJsonObject, encodeJson, field, isString } from './json-value.js';

export interface LeaderRecord {
  readonly replicaId: string;
  /** Where the leader can be reached (empty when not advertised). */
  readonly address: string;
}

export function encodeLeaderRecord(r: LeaderRecord): Uint8Array {
  return encodeJson(r);
}

export function decodeLeaderRecord(key: string, bytes: Uint8Array): LeaderRecord {
  const o = decodeJsonObject(key, bytes);
  return {
    replicaId: field(key, o, 'replicaId', isString, 'a string'),
    address: field(key, o, 'address', isString, 'a string'),
  };
}
