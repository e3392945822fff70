/**
 * The group coordinator of one controlplane replica: the groups of the shards it holds,
 * resumed from etcd when a shard is taken, with their committed offsets in memory (served
 * from there) and every write fenced on the shard's claim and coalesced by the GroupWriter.
 *
 * Membership rules are in membership.ts; this file routes a request to its group, and
 * keeps offsets, the admin operations (describe, list, delete) and offsets retention.
 */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  type DescribeGroupsResponseSchema,
  type DescribedGroup,
  DescribedGroupSchema,
  type HeartbeatRequest,
  type JoinGroupRequest,
  type LeaveGroupRequest,
  type LeaveGroupResponseSchema,
  type ListGroupsRequest,
  type ListedGroup,
  type OffsetCommitRequest,
  type OffsetCommitResponseSchema,
  type OffsetDeleteRequest,
  type OffsetDeleteResponseSchema,
  type OffsetFetchGroup,
  type OffsetFetchGroupResult,
  OffsetFetchGroupResultSchema,
  type SyncGroupRequest,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { groupShardOf } from '../../../lib/groups/group-shard.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import type { MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import { Group, type GroupState, type JoinAnswer, type SyncAnswer } from './group.js';
import {
  decodeGroupRecord,
  decodeOffsetRecord,
  encodeGroupRecord,
  encodeOffsetRecord,
  type OffsetRecord,
} from './group-record.js';
import type { GroupSettings } from './group-settings.js';
import type { GroupWriter } from './group-writer.js';
import { isFenced, joinError, Membership, syncError, writeFailureCode } from './membership.js';
import type { ShardFence } from './shard-fence.js';
import { subscribedTopics } from './subscribed-topics.js';

interface HeldShard {
  readonly fence: ShardFence;
  readonly groups: Map<string, Group>;
}

type Gate = { readonly shard: HeldShard } | { readonly errorCode: number };

export class GroupCoordinator {
  private readonly held = new Map<number, HeldShard>();
  private readonly loading = new Set<number>();
  private readonly membership: Membership;
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: MetadataStore,
    private readonly writer: GroupWriter,
    private readonly shardCount: number,
    private readonly settings: GroupSettings,
  ) {
    this.membership = new Membership(settings, {
      persist: (group) => this.persistGroup(group),
      maybeForget: (group) => {
        this.forgetIfUnused(group);
      },
    });
    this.retentionTimer = setInterval(() => {
      void this.expireOffsets(Date.now());
    }, settings.retentionCheckIntervalMs);
    this.retentionTimer.unref();
  }

  /** Shards this replica coordinates now. */
  heldShards(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** How many groups of the held shards are in each state, and how many members they have. */
  summary(): { groups: Map<GroupState, number>; members: number } {
    const groups = new Map<GroupState, number>();
    let members = 0;
    for (const held of this.held.values()) {
      for (const g of held.groups.values()) {
        groups.set(g.state, (groups.get(g.state) ?? 0) + 1);
        members += g.members.size;
      }
    }
    return { groups, members };
  }

  /** Resumes a just-claimed shard's groups and offsets from etcd, then serves them. */
  async load(fence: ShardFence): Promise<void> {
    this.loading.add(fence.shard);
    try {
      const listed = await this.store.list(keys.shardGroupsPrefix(fence.shard));
      const groups = new Map<string, Group>();
      const prefix = keys.shardGroupsPrefix(fence.shard);
      const now = Date.now();
      const group = (id: string): Group => {
        let g = groups.get(id);
        if (g === undefined) {
          g = new Group(id, fence.shard, now);
          groups.set(id, g);
        }
        return g;
      };
      // State keys first, so offsets attach to resumed groups.
      const parsed = listed.kvs.map((kv) => ({
        kv,
        parts: kv.key.slice(prefix.length).split('/'),
      }));
      for (const { kv, parts } of parsed) {
        const [encoded, kind] = parts;
        if (encoded === undefined || kind !== 'state' || parts.length !== 2) continue;
        const id = decodeURIComponent(encoded);
        groups.set(id, Group.fromRecord(id, fence.shard, decodeGroupRecord(kv.key, kv.value)));
      }
      for (const { kv, parts } of parsed) {
        const [encoded, kind, topic, partitionText] = parts;
        if (encoded === undefined || kind !== 'offsets' || topic === undefined) continue;
        if (partitionText === undefined || parts.length !== 4) continue;
        const partition = Number(partitionText);
        if (!Number.isInteger(partition)) continue;
        setOffset(
          group(decodeURIComponent(encoded)),
          topic,
          partition,
          decodeOffsetRecord(kv.key, kv.value),
        );
      }
      this.held.set(fence.shard, { fence, groups });
      for (const g of groups.values()) {
        for (const m of g.members.values()) this.membership.scheduleSession(g, m);
      }
    } finally {
      this.loading.delete(fence.shard);
    }
  }

  /** Stops serving a shard (released or lost): waiting calls get NOT_COORDINATOR. */
  drop(shard: number): void {
    const held = this.held.get(shard);
    if (held === undefined) return;
    this.held.delete(shard);
    for (const g of held.groups.values()) this.membership.abandon(g, KafkaError.NOT_COORDINATOR);
  }

  stop(): void {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    for (const shard of [...this.held.keys()]) this.drop(shard);
  }

  // --- Routing ---------------------------------------------------------------------------

  private gate(groupId: string, allowEmptyId: boolean): Gate {
    if (!allowEmptyId && groupId === '') return { errorCode: KafkaError.INVALID_GROUP_ID };
    const shardIndex = groupShardOf(groupId, this.shardCount);
    const shard = this.held.get(shardIndex);
    if (shard !== undefined) return { shard };
    return {
      errorCode: this.loading.has(shardIndex)
        ? KafkaError.COORDINATOR_LOAD_IN_PROGRESS
        : KafkaError.NOT_COORDINATOR,
    };
  }

  private forgetIfUnused(group: Group): void {
    const held = this.held.get(group.shard);
    if (group.isForgettable() && held?.groups.get(group.groupId) === group) {
      held.groups.delete(group.groupId);
    }
  }

  private persistGroup(group: Group): Promise<void> {
    const held = this.held.get(group.shard);
    if (held === undefined) return Promise.reject(new Error('shard not held'));
    return this.writer.write(held.fence, [
      {
        type: 'put',
        key: keys.groupState(group.shard, group.groupId),
        value: encodeGroupRecord(group.toRecord()),
      },
    ]);
  }

  // --- Membership ------------------------------------------------------------------------

  async joinGroup(req: JoinGroupRequest): Promise<JoinAnswer> {
    const gate = this.gate(req.groupId, false);
    if ('errorCode' in gate) return joinError(gate.errorCode, req.memberId);
    const s = this.settings;
    if (
      req.sessionTimeoutMs < s.minSessionTimeoutMs ||
      req.sessionTimeoutMs > s.maxSessionTimeoutMs
    )
      return joinError(KafkaError.INVALID_SESSION_TIMEOUT, req.memberId);
    const metadataBytes = req.protocols.reduce((n, p) => n + p.metadata.length + p.name.length, 0);
    if (metadataBytes > s.maxMemberMetadataBytes)
      return joinError(KafkaError.INVALID_REQUEST, req.memberId);
    let group = gate.shard.groups.get(req.groupId);
    if (group === undefined) {
      if (req.memberId !== '') return joinError(KafkaError.UNKNOWN_MEMBER_ID, req.memberId);
      group = new Group(req.groupId, gate.shard.fence.shard, Date.now());
      gate.shard.groups.set(req.groupId, group);
    }
    const answer = await this.membership.join(group, req);
    this.forgetIfUnused(group);
    return answer;
  }

  async syncGroup(req: SyncGroupRequest): Promise<SyncAnswer> {
    const gate = this.gate(req.groupId, false);
    if ('errorCode' in gate) return syncError(gate.errorCode);
    const group = gate.shard.groups.get(req.groupId);
    if (group === undefined) return syncError(KafkaError.UNKNOWN_MEMBER_ID);
    return this.membership.sync(group, req);
  }

  heartbeat(req: HeartbeatRequest): number {
    const gate = this.gate(req.groupId, false);
    if ('errorCode' in gate) return gate.errorCode;
    const group = gate.shard.groups.get(req.groupId);
    if (group === undefined) return KafkaError.UNKNOWN_MEMBER_ID;
    return this.membership.heartbeat(group, req.generationId, req.memberId, req.groupInstanceId);
  }

  leaveGroup(req: LeaveGroupRequest): MessageInitShape<typeof LeaveGroupResponseSchema> {
    const echo = (errorCode: number) =>
      req.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        errorCode,
      }));
    const gate = this.gate(req.groupId, false);
    if ('errorCode' in gate) return { errorCode: gate.errorCode, members: [] };
    const group = gate.shard.groups.get(req.groupId);
    if (group === undefined)
      return { errorCode: KafkaError.NONE, members: echo(KafkaError.UNKNOWN_MEMBER_ID) };
    if (group.state === 'Dead')
      return { errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE, members: [] };
    const codes = this.membership.leave(group, req.members);
    return {
      errorCode: KafkaError.NONE,
      members: req.members.map((m, i) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        errorCode: codes[i] ?? KafkaError.UNKNOWN_SERVER_ERROR,
      })),
    };
  }

  // --- Offsets ---------------------------------------------------------------------------

  async offsetCommit(
    req: OffsetCommitRequest,
  ): Promise<MessageInitShape<typeof OffsetCommitResponseSchema>> {
    const all = (errorCode: number) => ({
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode })),
      })),
    });
    const gate = this.gate(req.groupId, true);
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
      this.forgetIfUnused(group);
      return all(refusal);
    }
    const now = Date.now();
    const puts: TxnOp[] = [];
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
      await this.writer.write(gate.shard.fence, puts);
      for (const a of accepted) setOffset(group, a.topic, a.partition, a.record);
    } catch (error) {
      failure = writeFailureCode(error);
    }
    this.forgetIfUnused(group);
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
    const gate = this.gate(g.groupId, true);
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
    const gate = this.gate(req.groupId, false);
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
    const deletes: TxnOp[] = [];
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
      await this.writer.write(gate.shard.fence, deletes);
      for (const t of req.topics) {
        if (subscribed.has(t.name)) continue;
        for (const p of t.partitions) deleteOffset(group, t.name, p);
      }
    } catch (error) {
      failure = writeFailureCode(error);
    }
    if (failure !== undefined) return { errorCode: failure, topics: [] };
    this.forgetIfUnused(group);
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
    for (const held of [...this.held.values()]) {
      for (const group of [...held.groups.values()]) {
        const doomed = topics.flatMap((topic) =>
          [...(group.offsets.get(topic)?.keys() ?? [])].map((partition) => ({ topic, partition })),
        );
        if (doomed.length === 0) continue;
        try {
          await this.writer.write(
            held.fence,
            doomed.map((d) => ({
              type: 'delete',
              key: keys.groupOffset(group.shard, group.groupId, d.topic, d.partition),
            })),
          );
          for (const d of doomed) deleteOffset(group, d.topic, d.partition);
          this.forgetIfUnused(group);
        } catch {
          // The shard moved or etcd failed; offsets of a deleted topic are harmless until the
          // next deletion or retention removes them.
        }
      }
    }
  }

  // --- Admin -----------------------------------------------------------------------------

  describeGroups(
    groupIds: readonly string[],
  ): MessageInitShape<typeof DescribeGroupsResponseSchema> {
    return { groups: groupIds.map((id) => this.describe(id)) };
  }

  private describe(groupId: string): DescribedGroup {
    const gate = this.gate(groupId, true);
    if ('errorCode' in gate)
      return create(DescribedGroupSchema, { groupId, errorCode: gate.errorCode });
    const group = gate.shard.groups.get(groupId);
    if (group === undefined) return create(DescribedGroupSchema, { groupId, groupState: 'Dead' });
    const stable = group.state === 'Stable';
    return create(DescribedGroupSchema, {
      groupId,
      groupState: group.state,
      protocolType: group.protocolType,
      protocolData: stable ? group.protocolName : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadataFor(group.protocolName) : new Uint8Array(0),
        memberAssignment: stable ? m.assignment : new Uint8Array(0),
      })),
    });
  }

  listGroups(req: ListGroupsRequest): { groups: ListedGroup[]; shards: number[] } {
    const states = new Set(req.statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(req.typesFilter.map((t) => t.toLowerCase()));
    const groups: ListedGroup[] = [];
    for (const held of this.held.values()) {
      for (const g of held.groups.values()) {
        if (g.state === 'Dead') continue;
        if (states.size > 0 && !states.has(g.state.toLowerCase())) continue;
        if (types.size > 0 && !types.has('classic')) continue;
        groups.push({
          groupId: g.groupId,
          protocolType: g.protocolType,
          groupState: g.state,
          groupType: 'classic',
        } as ListedGroup);
      }
    }
    return { groups, shards: this.heldShards() };
  }

  async deleteGroups(
    groupIds: readonly string[],
  ): Promise<{ groupId: string; errorCode: number }[]> {
    return Promise.all(
      groupIds.map(async (groupId) => ({ groupId, errorCode: await this.deleteGroup(groupId) })),
    );
  }

  private async deleteGroup(groupId: string): Promise<number> {
    const gate = this.gate(groupId, true);
    if ('errorCode' in gate) return gate.errorCode;
    const group = gate.shard.groups.get(groupId);
    if (group === undefined || group.state === 'Dead') return KafkaError.GROUP_ID_NOT_FOUND;
    if (group.state !== 'Empty' || group.members.size > 0) return KafkaError.NON_EMPTY_GROUP;
    return this.removeGroup(gate.shard, group);
  }

  /** Deletes an empty group with its offsets; it is Dead meanwhile, so nothing joins it. */
  private async removeGroup(held: HeldShard, group: Group): Promise<number> {
    group.transition('Dead', Date.now());
    try {
      await this.writer.write(held.fence, [
        { type: 'deletePrefix', prefix: keys.groupPrefix(group.shard, group.groupId) },
      ]);
      if (held.groups.get(group.groupId) === group) held.groups.delete(group.groupId);
      return KafkaError.NONE;
    } catch (error) {
      group.transition('Empty', group.stateTimestamp);
      return writeFailureCode(error);
    }
  }

  /**
   * offsets.retention.minutes: an empty consumer group's offsets (and the group) go once it
   * has been empty that long; offsets committed outside group management (no protocol
   * type) each expire that long after their last commit.
   */
  async expireOffsets(now: number): Promise<void> {
    const retention = this.settings.offsetsRetentionMs;
    for (const held of [...this.held.values()]) {
      for (const group of [...held.groups.values()]) {
        if (group.state !== 'Empty' || group.members.size > 0 || group.pendingMembers.size > 0)
          continue;
        if (group.protocolType !== '') {
          // An empty group with no offsets goes at the first check, as in Kafka.
          if (group.offsets.size === 0 || now - group.stateTimestamp >= retention)
            await this.removeGroup(held, group);
          continue;
        }
        const expired: { topic: string; partition: number }[] = [];
        for (const [topic, ps] of group.offsets) {
          for (const [partition, r] of ps)
            if (now - r.commitTimestamp >= retention) expired.push({ topic, partition });
        }
        if (expired.length === 0) continue;
        try {
          await this.writer.write(
            held.fence,
            expired.map((e) => ({
              type: 'delete',
              key: keys.groupOffset(group.shard, group.groupId, e.topic, e.partition),
            })),
          );
          for (const e of expired) deleteOffset(group, e.topic, e.partition);
          this.forgetIfUnused(group);
        } catch {
          // Tried again at the next check.
        }
      }
    }
  }
}

function setOffset(group: Group, topic: string, partition: number, record: OffsetRecord): void {
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
