/** The per-partition records in etcd: state, owner claim and index entries (docs/storage.md). */
import {
  bigintField,
  decodeJsonObject,
  encodeJson,
  field,
  isInt,
  isString,
  objectListField,
} from './json-value.js';

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
  /**
   * Idempotent producers' batches in the run (at most the last five per producer), so a
   * new owner rebuilds the producer state from the index. Absent when there are none.
   */
  readonly producers?: readonly ProducerBatch[];
  /**
   * For a compacted segment: where some batches start, so a read from an offset inside a
   * large entry GETs from near it rather than from the entry's start. Each is the base
   * offset of a batch and its byte position from `start`, ascending; the first is always
   * the entry's first batch. Absent for flush runs (they are read whole).
   */
  readonly positions?: readonly BatchPosition[];
}

/** One batch's place in a segment entry (offset as decimal text). */
export interface BatchPosition {
  readonly offset: string;
  readonly at: number;
}

/** One idempotent batch as an index entry records it (ids and offsets as decimal text). */
export interface ProducerBatch {
  readonly producerId: string;
  readonly epoch: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly baseOffset: string;
  readonly lastOffset: string;
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

/**
 * `part/<topicId>/<p>/start`: the log start offset DeleteRecords moved, written by the
 * owner without touching `state` (whose compare-and-swap belongs to the flush commits).
 * A new owner takes the larger of this and the state's log start offset.
 */
export interface LogStart {
  readonly logStartOffset: bigint;
  readonly epoch: number;
}

export function encodeLogStart(s: LogStart): Uint8Array {
  return encodeJson(s);
}

export function decodeLogStart(key: string, bytes: Uint8Array): LogStart {
  const o = decodeJsonObject(key, bytes);
  return {
    logStartOffset: bigintField(key, o, 'logStartOffset'),
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
    ...(o.producers === undefined ? {} : { producers: producerBatches(key, o) }),
    ...(o.positions === undefined ? {} : { positions: batchPositions(key, o) }),
  };
}

function batchPositions(key: string, o: Record<string, unknown>): BatchPosition[] {
  return objectListField(key, o, 'positions').map((p) => ({
    offset: bigintField(key, p, 'offset').toString(),
    at: field(key, p, 'at', isInt, 'an integer'),
  }));
}

function producerBatches(key: string, o: Record<string, unknown>): ProducerBatch[] {
  return objectListField(key, o, 'producers').map((b) => ({
    producerId: bigintField(key, b, 'producerId').toString(),
    epoch: field(key, b, 'epoch', isInt, 'an integer'),
    firstSeq: field(key, b, 'firstSeq', isInt, 'an integer'),
    lastSeq: field(key, b, 'lastSeq', isInt, 'an integer'),
    baseOffset: bigintField(key, b, 'baseOffset').toString(),
    lastOffset: bigintField(key, b, 'lastOffset').toString(),
  }));
}
