/**
 * Records of the storage lifecycle (docs/storage.md): which partitions' runs an object holds,
 * and which deleted topics still have data to remove.
 */
import {
  bigintField,
  decodeJsonObject,
  encodeJson,
  field,
  isInt,
  isString,
  objectListField,
} from './json-value.js';

/** One partition's run in an object: its index entry is `part/<topicId>/<p>/idx/<baseOffset>`. */
export interface ObjectRun {
  readonly topicId: string;
  readonly partition: number;
  readonly baseOffset: bigint;
}

/**
 * `objects/<objectKey>`: written with the first commit of the object's runs. The object is
 * garbage once no listed run's index entry names it any more, and the record is older than
 * the collection grace period (the object's other runs commit within seconds of the first).
 */
export interface ObjectRecord {
  /** When the first run committed, by the writer's clock (ms since the epoch). */
  readonly createdAtMs: number;
  readonly runs: readonly ObjectRun[];
}

export function encodeObjectRecord(r: ObjectRecord): Uint8Array {
  return encodeJson(r);
}

export function decodeObjectRecord(key: string, bytes: Uint8Array): ObjectRecord {
  const o = decodeJsonObject(key, bytes);
  return {
    createdAtMs: field(key, o, 'createdAtMs', isInt, 'an integer'),
    runs: objectListField(key, o, 'runs').map((r) => ({
      topicId: field(key, r, 'topicId', isString, 'a string'),
      partition: field(key, r, 'partition', isInt, 'an integer'),
      baseOffset: bigintField(key, r, 'baseOffset'),
    })),
  };
}

/**
 * `deleted-topics/<topicId>`: written by DeleteTopics in the transaction that deletes the
 * topic; the sweep deletes the topic's partition keys and then its objects, and removes this
 * record once nothing is left (so an interrupted deletion resumes).
 */
export interface DeletedTopicRecord {
  readonly name: string;
  readonly partitions: number;
  readonly deletedAtMs: number;
}

export function encodeDeletedTopic(r: DeletedTopicRecord): Uint8Array {
  return encodeJson(r);
}

export function decodeDeletedTopic(key: string, bytes: Uint8Array): DeletedTopicRecord {
  const o = decodeJsonObject(key, bytes);
  return {
    name: field(key, o, 'name', isString, 'a string'),
    partitions: field(key, o, 'partitions', isInt, 'an integer'),
    deletedAtMs: field(key, o, 'deletedAtMs', isInt, 'an integer'),
  };
}
