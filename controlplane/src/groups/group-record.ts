/**
 * What a coordinator keeps of a group in etcd (docs/storage.md, "Consumer groups"):
 * `groups/<shard>/<group>/state`, written when a generation completes or the group empties,
 * and one `groups/<shard>/<group>/offsets/<topic>/<partition>` per committed offset.
 * Byte fields (protocol metadata, assignments) are base64 in the JSON.
 */
import {
  BadMetadataValueError,
  bigintField,
  decodeJsonObject,
  encodeJson,
  field,
  isInt,
  isString,
  objectListField,
} from '../../../lib/metadata/json-value.js';

export interface GroupProtocolEntry {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface MemberRecord {
  readonly memberId: string;
  readonly groupInstanceId: string;
  readonly clientId: string;
  readonly clientHost: string;
  readonly protocols: GroupProtocolEntry[];
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly assignment: Uint8Array;
}

export interface GroupRecord {
  readonly protocolType: string;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leaderId: string;
  /** When the group entered its current state (ms since epoch). */
  readonly stateTimestamp: number;
  readonly members: readonly MemberRecord[];
}

export interface OffsetRecord {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  /** When the offset was committed (ms since epoch). */
  readonly commitTimestamp: number;
}

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function bytesField(key: string, o: Record<string, unknown>, name: string): Uint8Array {
  return new Uint8Array(Buffer.from(field(key, o, name, isString, 'a base64 string'), 'base64'));
}

export function encodeGroupRecord(g: GroupRecord): Uint8Array {
  return encodeJson({
    ...g,
    members: g.members.map((m) => ({
      ...m,
      protocols: m.protocols.map((p) => ({ name: p.name, metadata: b64(p.metadata) })),
      assignment: b64(m.assignment),
    })),
  });
}

export function decodeGroupRecord(key: string, bytes: Uint8Array): GroupRecord {
  const o = decodeJsonObject(key, bytes);
  return {
    protocolType: field(key, o, 'protocolType', isString, 'a string'),
    generationId: field(key, o, 'generationId', isInt, 'an integer'),
    protocolName: field(key, o, 'protocolName', isString, 'a string'),
    leaderId: field(key, o, 'leaderId', isString, 'a string'),
    stateTimestamp: field(key, o, 'stateTimestamp', isInt, 'an integer'),
    members: objectListField(key, o, 'members').map((m) => ({
      memberId: field(key, m, 'memberId', isString, 'a string'),
      groupInstanceId: field(key, m, 'groupInstanceId', isString, 'a string'),
      clientId: field(key, m, 'clientId', isString, 'a string'),
      clientHost: field(key, m, 'clientHost', isString, 'a string'),
      protocols: objectListField(key, m, 'protocols').map((p) => ({
        name: field(key, p, 'name', isString, 'a string'),
        metadata: bytesField(key, p, 'metadata'),
      })),
      rebalanceTimeoutMs: field(key, m, 'rebalanceTimeoutMs', isInt, 'an integer'),
      sessionTimeoutMs: field(key, m, 'sessionTimeoutMs', isInt, 'an integer'),
      assignment: bytesField(key, m, 'assignment'),
    })),
  };
}

export function encodeOffsetRecord(r: OffsetRecord): Uint8Array {
  return encodeJson(r);
}

export function decodeOffsetRecord(key: string, bytes: Uint8Array): OffsetRecord {
  const o = decodeJsonObject(key, bytes);
  const metadata = o.metadata;
  if (metadata !== null && typeof metadata !== 'string')
    throw new BadMetadataValueError(key, 'field metadata is not a string or null');
  return {
    offset: bigintField(key, o, 'offset'),
    leaderEpoch: field(key, o, 'leaderEpoch', isInt, 'an integer'),
    metadata,
    commitTimestamp: field(key, o, 'commitTimestamp', isInt, 'an integer'),
  };
}

/** `group-shards/<n>/owner`: the replica holding a shard, attached to its lease. */
export interface ShardClaim {
  readonly replicaId: string;
  readonly address: string;
  readonly epoch: number;
}

export function encodeShardClaim(c: ShardClaim): Uint8Array {
  return encodeJson(c);
}

export function decodeShardClaim(key: string, bytes: Uint8Array): ShardClaim {
  const o = decodeJsonObject(key, bytes);
  return {
    replicaId: field(key, o, 'replicaId', isString, 'a string'),
    address: field(key, o, 'address', isString, 'a string'),
    epoch: field(key, o, 'epoch', isInt, 'an integer'),
  };
}
