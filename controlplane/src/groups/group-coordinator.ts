/**
 * The group coordinator of one controlplane replica: the groups of the shards it holds,
 * resumed from etcd when a shard is taken, with their committed offsets in memory (served
 * from there) and every write fenced on the shard's claim and coalesced by the GroupWriter.
 *
 * Membership rules are in membership.ts, offsets in group-offsets.ts, the held shards and
 * routing in held-shards.ts; this file loads and drops shards, hands each request to its
 * group, and answers the admin operations (describe, list, delete).
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
  type OffsetDeleteRequest,
  type OffsetFetchGroup,
  type OffsetFetchGroupResult,
  type SyncGroupRequest,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import { Group, type GroupState, type JoinAnswer, type SyncAnswer } from './group.js';
import { decodeGroupRecord, decodeOffsetRecord } from './group-record.js';
import type { GroupSettings } from './group-settings.js';
import type { GroupWriter } from './group-writer.js';
import { joinError, Membership, syncError } from './membership.js';
import type { ShardFence } from './shard-fence.js';
import { GroupOffsets, setOffset } from './group-offsets.js';
import { HeldShards, type HeldShard } from './held-shards.js';

export class GroupCoordinator {
  private readonly shards: HeldShards;
  private readonly membership: Membership;
  private readonly offsets: GroupOffsets;
  private readonly held: Map<number, HeldShard>;
  private readonly loading: Set<number>;
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: MetadataStore,
    writer: GroupWriter,
    shardCount: number,
    private readonly settings: GroupSettings,
  ) {
    this.shards = new HeldShards(writer, shardCount);
    this.held = this.shards.held;
    this.loading = this.shards.loading;
    this.membership = new Membership(settings, {
      persist: (group) => this.shards.persistGroup(group),
      maybeForget: (group) => {
        this.shards.forgetIfUnused(group);
      },
    });
    this.offsets = new GroupOffsets(this.shards, this.membership, settings);
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

  /** Every committed offset of the groups of the held shards. */
  *committedOffsets(): Generator<{
    readonly groupId: string;
    readonly topic: string;
    readonly partition: number;
    readonly offset: bigint;
  }> {
    for (const held of this.held.values()) {
      for (const g of held.groups.values()) {
        for (const [topic, partitions] of g.offsets) {
          for (const [partition, record] of partitions) {
            yield { groupId: g.groupId, topic, partition, offset: record.offset };
          }
        }
      }
    }
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

  // --- Membership ------------------------------------------------------------------------

  async joinGroup(req: JoinGroupRequest): Promise<JoinAnswer> {
    const gate = this.shards.gate(req.groupId, false);
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
    this.shards.forgetIfUnused(group);
    return answer;
  }

  async syncGroup(req: SyncGroupRequest): Promise<SyncAnswer> {
    const gate = this.shards.gate(req.groupId, false);
    if ('errorCode' in gate) return syncError(gate.errorCode);
    const group = gate.shard.groups.get(req.groupId);
    if (group === undefined) return syncError(KafkaError.UNKNOWN_MEMBER_ID);
    return this.membership.sync(group, req);
  }

  heartbeat(req: HeartbeatRequest): number {
    const gate = this.shards.gate(req.groupId, false);
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
    const gate = this.shards.gate(req.groupId, false);
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

  // --- Offsets (group-offsets.ts) --------------------------------------------------------

  offsetCommit(req: OffsetCommitRequest): ReturnType<GroupOffsets['offsetCommit']> {
    return this.offsets.offsetCommit(req);
  }

  offsetFetch(g: OffsetFetchGroup): OffsetFetchGroupResult {
    return this.offsets.offsetFetch(g);
  }

  offsetDelete(req: OffsetDeleteRequest): ReturnType<GroupOffsets['offsetDelete']> {
    return this.offsets.offsetDelete(req);
  }

  /** Deletes every committed offset of these topics in the held shards (topic deletion). */
  deleteTopicOffsets(topics: readonly string[]): Promise<void> {
    return this.offsets.deleteTopicOffsets(topics);
  }

  /** Offsets retention; runs on a timer, callable directly in tests. */
  expireOffsets(now: number): Promise<void> {
    return this.offsets.expireOffsets(now);
  }

  // --- Admin -----------------------------------------------------------------------------

  describeGroups(
    groupIds: readonly string[],
  ): MessageInitShape<typeof DescribeGroupsResponseSchema> {
    return { groups: groupIds.map((id) => this.describe(id)) };
  }

  private describe(groupId: string): DescribedGroup {
    const gate = this.shards.gate(groupId, true);
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
    for (const held of this.shards.held.values()) {
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
    const gate = this.shards.gate(groupId, true);
    if ('errorCode' in gate) return gate.errorCode;
    const group = gate.shard.groups.get(groupId);
    if (group === undefined || group.state === 'Dead') return KafkaError.GROUP_ID_NOT_FOUND;
    if (group.state !== 'Empty' || group.members.size > 0) return KafkaError.NON_EMPTY_GROUP;
    return this.shards.removeGroup(gate.shard, group);
  }
}
