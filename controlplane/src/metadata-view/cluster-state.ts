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
import { isInt } from '../../../lib/metadata/json-value.js';
import { decodeDrain, decodePin } from '../../../lib/metadata/placement-records.js';
import { decodeQuotaValue } from '../../../lib/metadata/quota-records.js';
import { decodeScramCredential } from '../../../lib/metadata/scram-records.js';
import { entityPath, type ClientQuotaEntity } from '../../../lib/quota/quota-entity.js';
import type { ScramCredential } from '../../../lib/security/scram/scram-credential.js';
import type { KeyValue } from '../../../lib/stores/metadata-store.js';
import { decodeShardClaim, type ShardClaim } from '../groups/group-record.js';
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

/** The client quota values of one entity, by quota key. */
export interface ClientQuotaEntry {
  readonly entity: ClientQuotaEntity;
  readonly values: Map<string, number>;
}

export class ClusterState {
  readonly topicsByName = new Map<string, TopicEntry>();
  readonly topicsById = new Map<string, TopicEntry>();
  readonly assignments = new Map<string, Map<number, string>>();
  readonly owners = new Map<string, Map<number, OwnerClaim>>();
  readonly edges = new Map<string, NodeRecord>();
  readonly storageNodes = new Map<string, NodeRecord>();
  readonly controlplaneReplicas = new Map<string, NodeRecord>();
  /** `cluster/group-shards`, once written (0 before). */
  groupShardCount = 0;
  readonly groupShards = new Map<number, ShardClaim>();
  /** Operators' pins: node id by partition, by topic id. */
  readonly pins = new Map<string, Map<number, string>>();
  /** Ids of drained storage nodes. */
  readonly drained = new Set<string>();
  /** SCRAM credentials: by user, by Kafka mechanism code. */
  readonly scramUsers = new Map<string, Map<number, ScramCredential>>();
  /** Client quotas: by entity path. */
  readonly clientQuotas = new Map<string, ClientQuotaEntry>();

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
      case 'storageNode':
      case 'controlplaneReplica': {
        const [map, changed] =
          k.kind === 'edge'
            ? [this.edges, changes.edges]
            : k.kind === 'storageNode'
              ? [this.storageNodes, changes.storageNodes]
              : [this.controlplaneReplicas, changes.controlplaneReplicas];
        const node = kv && decodeOrUndefined(() => decodeNodeRecord(key, kv.value));
        if (node === undefined) map.delete(k.id);
        else map.set(k.id, { ...node, id: k.id });
        changed.add(k.id);
        return;
      }
      case 'groupShardCount': {
        const text = kv && Buffer.from(kv.value).toString('utf8');
        const count = text === undefined ? 0 : Number(text);
        this.groupShardCount = isInt(count) && count > 0 ? count : 0;
        for (let shard = 0; shard < this.groupShardCount; shard++) changes.groupShards.add(shard);
        return;
      }
      case 'pin': {
        const pin = kv && decodeOrUndefined(() => decodePin(key, kv.value));
        setIn(this.pins, k.topicId, k.partition, pin?.node);
        changes.placements.add(key);
        return;
      }
      case 'drain': {
        const drain = kv && decodeOrUndefined(() => decodeDrain(key, kv.value));
        if (drain === undefined) this.drained.delete(k.nodeId);
        else this.drained.add(k.nodeId);
        changes.placements.add(key);
        return;
      }
      case 'scram': {
        const credential =
          kv && decodeOrUndefined(() => decodeScramCredential(key, k.mechanism, kv.value));
        let user = this.scramUsers.get(k.user);
        if (credential === undefined) {
          user?.delete(k.mechanism.type);
          if (user?.size === 0) this.scramUsers.delete(k.user);
        } else {
          if (user === undefined) {
            user = new Map();
            this.scramUsers.set(k.user, user);
          }
          user.set(k.mechanism.type, credential);
        }
        changes.scramUsers.add(k.user);
        return;
      }
      case 'quota': {
        const value = kv && decodeOrUndefined(() => decodeQuotaValue(key, k.quotaKey, kv.value));
        const path = entityPath(k.entity);
        let entry = this.clientQuotas.get(path);
        if (value === undefined) {
          entry?.values.delete(k.quotaKey);
          if (entry?.values.size === 0) this.clientQuotas.delete(path);
        } else {
          if (entry === undefined) {
            entry = { entity: k.entity, values: new Map() };
            this.clientQuotas.set(path, entry);
          }
          entry.values.set(k.quotaKey, value);
        }
        changes.clientQuotas.add(path);
        return;
      }
      case 'groupShard': {
        const claim = kv && decodeOrUndefined(() => decodeShardClaim(key, kv.value));
        if (claim === undefined) this.groupShards.delete(k.shard);
        else this.groupShards.set(k.shard, claim);
        changes.groupShards.add(k.shard);
        return;
      }
    }
  }
}
