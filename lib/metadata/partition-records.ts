/** The per-partition records in etcd: state, owner claim and index entries (docs/storage.md). */
import { bigintField, decodeJsonObject, encodeJson, field, isInt, isString } from './json-value.js';

/** `part/<topicId>/<p>/state`: written only by the partition's owner. */
export interface PartitionState {
  readonly epoch: number;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  /** The node that wrote this state (the owner at the time). */
  readonly owner: string;
}

/** `part/<topicId>/<p>/owner`: the current claim, attached to the owner's lease. */
export interface OwnerClaim {
  readonly owner: string;
  readonly epoch: number;
}

/** `part/<topicId>/<p>/idx/<base>`: where one committed run of batches lives. */
export interface IndexEntry {
  readonly baseOffset: bigint;
  /** Offset of the last record in the run (inclusive). */
  readonly lastOffset: bigint;
  readonly objectKey: string;
  /** Byte range of the run inside the object. */
  readonly start: number;
  readonly length: number;
  readonly maxTimestamp: bigint;
  readonly epoch: number;
  readonly batchCount: number;
}

export const INITIAL_STATE: PartitionState = {
  epoch: 0,
  highWatermark: 0n,
  logStartOffset: 0n,
  owner: '',
};

export function encodePartitionState(s: PartitionState): Uint8Array {
  return encodeJson(s);
}

export function decodePartitionState(key: string, bytes: Uint8Array): PartitionState {
  const o = decodeJsonObject(key, bytes);
  return {
    epoch: field(key, o, 'epoch', isInt, 'an integer'),
    highWatermark: bigintField(key, o, 'highWatermark'),
    logStartOffset: bigintField(key, o, 'logStartOffset'),
    owner: field(key, o, 'owner', isString, 'a string'),
  };
}

export function encodeOwnerClaim(c: OwnerClaim): Uint8Array {
  return encodeJson(c);
}

export function decodeOwnerClaim(key: string, bytes: Uint8Array): OwnerClaim {
  const o = decodeJsonObject(key, bytes);
  return {
    owner: field(key, o, 'owner', isString, 'a string'),
    epoch: field(key, o, 'epoch', isInt, 'an integer'),
  };
}

export function encodeIndexEntry(e: IndexEntry): Uint8Array {
  return encodeJson(e);
}

export function decodeIndexEntry(key: string, bytes: Uint8Array): IndexEntry {
  const o = decodeJsonObject(key, bytes);
  return {
    baseOffset: bigintField(key, o, 'baseOffset'),
    lastOffset: bigintField(key, o, 'lastOffset'),
    objectKey: field(key, o, 'objectKey', isString, 'a string'),
    start: field(key, o, 'start', isInt, 'an integer'),
    length: field(key, o, 'length', isInt, 'an integer'),
    maxTimestamp: bigintField(key, o, 'maxTimestamp'),
    epoch: field(key, o, 'epoch', isInt, 'an integer'),
    batchCount: field(key, o, 'batchCount', isInt, 'an integer'),
  };
}
