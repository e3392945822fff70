/**
 * Committed offsets of the groups a replica coordinates: OffsetCommit (acknowledged once
 * the fenced, coalesced etcd write succeeded), OffsetFetch (from memory), OffsetDelete,
 * the offsets of deleted topics, and offsets retention (offsets.retention.minutes).
 */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  type OffsetCommitRequest,
  type OffsetCommitResponseSchema,
  type OffsetDeleteRequest,
  type OffsetDeleteResponseSchema,
  type OffsetFetchGroup,
  type OffsetFetchGroupResult,
  OffsetFetchGroupResultSchema,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { Group } from './group.js';
import { encodeOffsetRecord, type OffsetRecord } from './group-record.js';
import type { GroupSettings } from './group-settings.js';
import type { GroupOp } from './group-writer.js';
import type { HeldShards } from './held-shards.js';
import { isFenced, writeFailureCode, type Membership } from './membership.js';
import { subscribedTopics } from './subscribed-topics.js';

export class GroupOffsets {
  constructor(
    private readonly shards: HeldShards,
    private readonly membership: Membership,
    private readonly settings: GroupSettings,
  ) {}

  async offsetCommit(
    req: OffsetCommitRequest,
  ): Promise<MessageInitShape<typeof OffsetCommitResponseSchema>> {
    const all = (errorCode: number) => ({
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode })),
      })),
    });
    const gate = this.shards.gate(req.groupId, true);
    if ('errorCode' in gate) return all(gate.errorCode);
    let group = gate.shard.groups.get(req.groupId);
    if (group === undefined) {
      // Only a consumer outside group management (assign()) may commit to an unknown group.
      if (req.generationId >= 0) return all(KafkaError.ILLEGAL_GENERATION);
      group = new Group(req.groupId, gate.shard.fence.shard, Date.now());
      gate.shard.groups.set(req.groupId, group);
    }
    const refusal = this.commitRefusal(group, req);
    if (refusal !== undefined) {
      this.shards.forgetIfUnused(group);
      return all(refusal);
    }
    const now = Date.now();
    const puts: GroupOp[] = [];
    const accepted: { topic: string; partition: number; record: OffsetRecord }[] = [];
    const codes = new Map<string, number>();
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const metadata = p.metadata ?? null;
        if (
          metadata !== null &&
          Buffer.byteLength(metadata) > this.settings.offsetMetadataMaxBytes
        ) {
          codes.set(`${t.name}/${p.partition}`, KafkaError.OFFSET_METADATA_TOO_LARGE);
          continue;
        }
        const record = {
          offset: p.offset,
          leaderEpoch: p.leaderEpoch,
          metadata,
          commitTimestamp: now,
        };
        accepted.push({ topic: t.name, partition: p.partition, record });
        if (!this.unchangedAndFresh(group, t.name, p.partition, record)) {
          puts.push({
            type: 'put',
            key: keys.groupOffset(group.shard, group.groupId, t.name, p.partition),
            value: encodeOffsetRecord(record),
          });
        }
      }
    }
    let failure: number | undefined;
    try {
      await this.shards.writer.write(gate.shard.fence, puts);
      for (const a of accepted) setOffset(group, a.topic, a.partition, a.record);
    } catch (error) {
      failure = writeFailureCode(error);
    }
    this.shards.forgetIfUnused(group);
    return {
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          errorCode: codes.get(`${t.name}/${p.partition}`) ?? failure ?? KafkaError.NONE,
        })),
      })),
    };
  }

  /** Why Kafka would refuse this commit, or undefined when it is accepted. */
  private commitRefusal(group: Group, req: OffsetCommitRequest): number | undefined {
    if (group.state === 'Dead') return KafkaError.COORDINATOR_NOT_AVAILABLE;
    if (isFenced(group, req.groupInstanceId, req.memberId)) return KafkaError.FENCED_INSTANCE_ID;
    if (req.generationId < 0 && group.state === 'Empty') return undefined;
    const member = group.members.get(req.memberId);
    if (member === undefined) return KafkaError.UNKNOWN_MEMBER_ID;
    if (req.generationId !== group.generationId) return KafkaError.ILLEGAL_GENERATION;
    if (group.state === 'CompletingRebalance') return KafkaError.REBALANCE_IN_PROGRESS;
    this.membership.scheduleSession(group, member);
    return undefined;
  }

  /**
   * The same offset again (auto-commit of an idle consumer) is not rewritten while the
   * stored commit is younger than half the retention, so idle consumers cost no etcd writes.
   */
  private unchangedAndFresh(
    group: Group,
    topic: string,
    partition: number,
    r: OffsetRecord,
  ): boolean {
    const old = group.offsets.get(topic)?.get(partition);
    return (
      old?.offset === r.offset &&
      old.leaderEpoch === r.leaderEpoch &&
      old.metadata === r.metadata &&
      r.commitTimestamp - old.commitTimestamp < this.settings.offsetsRetentionMs / 2
    );
  }

  offsetFetch(g: OffsetFetchGroup): OffsetFetchGroupResult {
    const gate = this.shards.gate(g.groupId, true);
    if ('errorCode' in gate)
      return create(OffsetFetchGroupResultSchema, {
        groupId: g.groupId,
        errorCode: gate.errorCode,
      });
    const group = gate.shard.groups.get(g.groupId);
    const none = { committedOffset: -1n, committedLeaderEpoch: -1, errorCode: KafkaError.NONE };
    const offsetOf = (topic: string, partition: number) => {
      const r = group?.offsets.get(topic)?.get(partition);
      return r === undefined
        ? { partition, ...none }
        : {
            partition,
            committedOffset: r.offset,
            committedLeaderEpoch: r.leaderEpoch,
            ...(r.metadata === null ? {} : { metadata: r.metadata }),
            errorCode: KafkaError.NONE,
          };
    };
    const topics = g.allTopics
      ? [...(group?.offsets ?? new Map<string, Map<number, OffsetRecord>>())]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, ps]) => ({
            name,
            partitions: [...ps.keys()].sort((a, b) => a - b).map((p) => offsetOf(name, p)),
          }))
      : g.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => offsetOf(t.name, p)),
        }));
    return create(OffsetFetchGroupResultSchema, {
      groupId: g.groupId,
      errorCode: KafkaError.NONE,
      topics,
    });
  }

  async offsetDelete(
    req: OffsetDeleteRequest,
  ): Promise<MessageInitShape<typeof OffsetDeleteResponseSchema>> {
    const gate = this.shards.gate(req.groupId, false);
    if ('errorCode' in gate) return { errorCode: gate.errorCode, topics: [] };
    const group = gate.shard.groups.get(req.groupId);
    if (group === undefined || group.state === 'Dead')
      return { errorCode: KafkaError.GROUP_ID_NOT_FOUND, topics: [] };
    let subscribed = new Set<string>();
    if (group.state !== 'Empty') {
      if (group.protocolType !== 'consumer')
        return { errorCode: KafkaError.NON_EMPTY_GROUP, topics: [] };
      subscribed = subscribedTopics(group);
    }
    const deletes: GroupOp[] = [];
    for (const t of req.topics) {
      if (subscribed.has(t.name)) continue;
      for (const p of t.partitions) {
        if (group.offsets.get(t.name)?.has(p) === true)
          deletes.push({
            type: 'delete',
            key: keys.groupOffset(group.shard, group.groupId, t.name, p),
          });
      }
    }
    let failure: number | undefined;
    try {
      await this.shards.writer.write(gate.shard.fence, deletes);
      for (const t of req.topics) {
        if (subscribed.has(t.name)) continue;
        for (const p of t.partitions) deleteOffset(group, t.name, p);
      }
    } catch (error) {
      failure = writeFailureCode(error);
    }
    if (failure !== undefined) return { errorCode: failure, topics: [] };
    this.shards.forgetIfUnused(group);
    return {
      errorCode: KafkaError.NONE,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partition: p,
          errorCode: subscribed.has(t.name)
            ? KafkaError.GROUP_SUBSCRIBED_TO_TOPIC
            : KafkaError.NONE,
        })),
      })),
    };
  }

  /** Deletes every committed offset of these topics in the held shards (topic deletion). */
  async deleteTopicOffsets(topics: readonly string[]): Promise<void> {
    for (const held of this.shards.all()) {
      for (const group of [...held.groups.values()]) {
        const doomed = topics.flatMap((topic) =>
          [...(group.offsets.get(topic)?.keys() ?? [])].map((partition) => ({ topic, partition })),
        );
        if (doomed.length === 0) continue;
        try {
          await this.shards.writer.write(
            held.fence,
            doomed.map((d) => ({
              type: 'delete',
              key: keys.groupOffset(group.shard, group.groupId, d.topic, d.partition),
            })),
          );
          for (const d of doomed) deleteOffset(group, d.topic, d.partition);
          this.shards.forgetIfUnused(group);
        } catch {
          // The shard moved or etcd failed; offsets of a deleted topic are harmless until the
          // next deletion or retention removes them.
        }
      }
    }
  }

  /**
   * offsets.retention.minutes: an empty consumer group's offsets (and the group) go once it
   * has been empty that long; offsets committed outside group management (no protocol
   * type) each expire that long after their last commit.
   */
  async expireOffsets(now: number): Promise<void> {
    const retention = this.settings.offsetsRetentionMs;
    for (const held of this.shards.all()) {
      for (const group of [...held.groups.values()]) {
        if (group.state !== 'Empty' || group.members.size > 0 || group.pendingMembers.size > 0)
          continue;
        if (group.protocolType !== '') {
          // An empty group with no offsets goes at the first check, as in Kafka.
          if (group.offsets.size === 0 || now - group.stateTimestamp >= retention)
            await this.shards.removeGroup(held, group);
          continue;
        }
        const expired: { topic: string; partition: number }[] = [];
        for (const [topic, ps] of group.offsets) {
          for (const [partition, r] of ps)
            if (now - r.commitTimestamp >= retention) expired.push({ topic, partition });
        }
        if (expired.length === 0) continue;
        try {
          await this.shards.writer.write(
            held.fence,
            expired.map((e) => ({
              type: 'delete',
              key: keys.groupOffset(group.shard, group.groupId, e.topic, e.partition),
            })),
          );
          for (const e of expired) deleteOffset(group, e.topic, e.partition);
          this.shards.forgetIfUnused(group);
        } catch {
          // Tried again at the next check.
        }
      }
    }
  }
}

export function setOffset(
  group: Group,
  topic: string,
  partition: number,
  record: OffsetRecord,
): void {
  let ps = group.offsets.get(topic);
  if (ps === undefined) {
    ps = new Map();
    group.offsets.set(topic, ps);
  }
  ps.set(partition, record);
}

function deleteOffset(group: Group, topic: string, partition: number): void {
  const ps = group.offsets.get(topic);
  ps?.delete(partition);
  if (ps?.size === 0) group.offsets.delete(topic);
}
