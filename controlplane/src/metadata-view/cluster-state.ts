/**
 * The cluster metadata held in memory: topics, assignments, partition owners and live
 * nodes, updated key by key from etcd events. A value that does not decode is treated as
 * absent (a corrupt key never stops the view), so the view stays what etcd says at best.
 */
import { decodeOwnerClaim, type OwnerClaim } from '../../../lib/metadata/partition-records.js';
import {
  decodeAssignment,
  decodeNodeRecord,
  decodeTopicRecord,
  type NodeRecord,
  type TopicRecord,
} from '../../../lib/metadata/topic-records.js';
import type { KeyValue } from '../../../lib/stores/metadata-store.js';
import type { ChangeSet } from './change-set.js';
import { parseMetadataKey } from './metadata-key.js';

export interface TopicEntry {
  readonly record: TopicRecord;
  /** The create revision of the topic key (assignment txns compare it). */
  readonly createRevision: number;
  readonly modRevision: number;
}

function decodeOrUndefined<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

function setIn<V>(map: Map<string, Map<number, V>>, id: string, p: number, v: V | undefined) {
  let inner = map.get(id);
  if (v === undefined) {
    inner?.delete(p);
    if (inner?.size === 0) map.delete(id);
    return;
  }
  if (inner === undefined) {
    inner = new Map();
    map.set(id, inner);
  }
  inner.set(p, v);
}

export class ClusterState {
  readonly topicsByName = new Map<string, TopicEntry>();
  readonly topicsById = new Map<string, TopicEntry>();
  readonly assignments = new Map<string, Map<number, string>>();
  readonly owners = new Map<string, Map<number, OwnerClaim>>();
  readonly edges = new Map<string, NodeRecord>();
  readonly storageNodes = new Map<string, NodeRecord>();

  /** A put (kv) or a delete (kv undefined) of `key`; records what changed into `changes`. */
  apply(key: string, kv: KeyValue | undefined, changes: ChangeSet): void {
    const k = parseMetadataKey(key);
    if (k === undefined) return;
    switch (k.kind) {
      case 'topic': {
        const record = kv && decodeOrUndefined(() => decodeTopicRecord(key, kv.value));
        const old = this.topicsByName.get(k.name);
        if (old !== undefined) {
          this.topicsById.delete(old.record.topicId);
          this.topicsByName.delete(k.name);
          changes.topics.add(old.record.topicId);
        }
        if (kv !== undefined && record?.name === k.name) {
          const entry = {
            record,
            createRevision: kv.createRevision,
            modRevision: kv.modRevision,
          };
          this.topicsByName.set(k.name, entry);
          this.topicsById.set(record.topicId, entry);
          changes.topics.add(record.topicId);
        }
        return;
      }
      case 'assignment': {
        const a = kv && decodeOrUndefined(() => decodeAssignment(key, kv.value));
        setIn(this.assignments, k.topicId, k.partition, a?.node);
        changes.touchPartition(k.topicId, k.partition);
        return;
      }
      case 'owner': {
        const claim = kv && decodeOrUndefined(() => decodeOwnerClaim(key, kv.value));
        setIn(this.owners, k.topicId, k.partition, claim);
        changes.touchPartition(k.topicId, k.partition);
        return;
      }
      case 'edge':
      case 'storageNode': {
        const map = k.kind === 'edge' ? this.edges : this.storageNodes;
        const node = kv && decodeOrUndefined(() => decodeNodeRecord(key, kv.value));
        if (node === undefined) map.delete(k.id);
        else map.set(k.id, { ...node, id: k.id });
        (k.kind === 'edge' ? changes.edges : changes.storageNodes).add(k.id);
        return;
      }
    }
  }
}
