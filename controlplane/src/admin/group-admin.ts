/**
 * Consumer groups through the admin API: the list (asked of every replica that holds
 * group shards, since groups live in their coordinators' memory) and one group's members,
 * assignments, committed offsets and lag. Lag is the partition's high watermark in etcd
 * minus the committed offset (minus the log start when nothing is committed).
 */
import { create } from '@bufbuild/protobuf';
import {
  DescribeGroupResponseSchema,
  GroupMemberStatusSchema,
  GroupSummarySchema,
  ListGroupsResponseSchema,
  PartitionLagSchema,
  type DescribeGroupResponse,
  type GroupSummary,
  type ListGroupsResponse,
  type PartitionLag,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import type { DescribedGroup } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import type { AdminPeers, GroupClient } from './admin-peers.js';
import { kafkaFailure, notFound } from './admin-errors.js';
import { orUnavailable } from '../services/or-unavailable.js';
import { groupClientFor, groupHolders } from './group-routes.js';
import { assignedPartitions } from './member-assignment.js';
import { partitionFacts, type PartitionFacts } from './partition-facts.js';

export interface GroupAdminDeps {
  readonly store: MetadataStore;
  readonly view: MetadataView;
  readonly peers: AdminPeers;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function summaryOf(g: DescribedGroup): GroupSummary {
  return create(GroupSummarySchema, {
    groupId: g.groupId,
    state: g.groupState,
    protocolType: g.protocolType,
    members: g.members.length,
  });
}

export async function listGroups(deps: GroupAdminDeps): Promise<ListGroupsResponse> {
  const holders = groupHolders(deps.view);
  const answered = await Promise.all(
    holders.map(async ({ holder }) => {
      const client = deps.peers.groups(holder);
      const listed = await client.listGroups({});
      if (listed.errorCode !== KafkaError.NONE) {
        throw kafkaFailure(`list groups of replica '${holder.replicaId}'`, listed.errorCode, '');
      }
      if (listed.groups.length === 0) return [];
      const described = await client.describeGroups({
        groupIds: listed.groups.map((g) => g.groupId),
      });
      return described.groups.filter((g) => g.errorCode === KafkaError.NONE).map(summaryOf);
    }),
  );
  const held = new Set(holders.flatMap((h) => h.shards));
  const unheld: number[] = [];
  for (let shard = 0; shard < deps.view.groupShardCount(); shard++) {
    if (!held.has(shard)) unheld.push(shard);
  }
  return create(ListGroupsResponseSchema, {
    groups: answered.flat().sort((a, b) => byText(a.groupId, b.groupId)),
    unheldShards: unheld,
  });
}

/** The group as its coordinator describes it; NOT_FOUND when it does not exist. */
export async function describedGroup(
  client: GroupClient,
  groupId: string,
): Promise<DescribedGroup> {
  const described = (await client.describeGroups({ groupIds: [groupId] })).groups[0];
  if (described === undefined) throw new Error('the coordinator answered no group');
  if (described.errorCode !== KafkaError.NONE) {
    throw kafkaFailure(`describe group '${groupId}'`, described.errorCode, described.errorMessage);
  }
  return described;
}

/** Committed offsets of every partition the group has committed, by `topic/partition`. */
export async function committedOffsets(
  client: GroupClient,
  groupId: string,
): Promise<Map<string, bigint>> {
  const fetched = await client.offsetFetch({ groups: [{ groupId, allTopics: true }] });
  const result = fetched.groups[0];
  if (result === undefined) throw new Error('the coordinator answered no offsets');
  if (result.errorCode !== KafkaError.NONE) {
    throw kafkaFailure(`fetch offsets of group '${groupId}'`, result.errorCode, '');
  }
  const offsets = new Map<string, bigint>();
  for (const t of result.topics) {
    for (const p of t.partitions) {
      if (p.errorCode === KafkaError.NONE && p.committedOffset >= 0n) {
        offsets.set(`${t.name}/${p.partition}`, p.committedOffset);
      }
    }
  }
  return offsets;
}

/** Partition facts of the named topics that exist, by topic name. */
export async function factsOfTopics(
  deps: { readonly store: MetadataStore; readonly view: MetadataView },
  topics: Iterable<string>,
): Promise<Map<string, Map<number, PartitionFacts>>> {
  const out = new Map<string, Map<number, PartitionFacts>>();
  await Promise.all(
    [...new Set(topics)].map(async (name) => {
      const topic = deps.view.topicByName(name);
      if (topic === undefined) return;
      out.set(name, await partitionFacts(deps.store, topic.record.topicId));
    }),
  );
  return out;
}

export async function describeGroup(
  deps: GroupAdminDeps,
  groupId: string,
): Promise<DescribeGroupResponse> {
  const client = groupClientFor(deps.view, deps.peers, groupId);
  const [group, committed] = await Promise.all([
    describedGroup(client, groupId),
    committedOffsets(client, groupId),
  ]);
  if (group.groupState === 'Dead' && committed.size === 0) {
    throw notFound(`group '${groupId}' does not exist`);
  }
  const memberOf = new Map<string, string>();
  const members = group.members.map((m) => {
    const assigned = assignedPartitions(group.protocolType, m.memberAssignment);
    for (const a of assigned) memberOf.set(`${a.topic}/${a.partition}`, m.memberId);
    return create(GroupMemberStatusSchema, {
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assigned: assigned.map((a) => `${a.topic}:${a.partition}`),
    });
  });
  const keys = [...new Set([...committed.keys(), ...memberOf.keys()])];
  const split = keys.map((k) => {
    const at = k.lastIndexOf('/');
    return { key: k, topic: k.slice(0, at), partition: Number(k.slice(at + 1)) };
  });
  const facts = await orUnavailable('DescribeGroup', () =>
    factsOfTopics(
      deps,
      split.map((s) => s.topic),
    ),
  );
  split.sort((a, b) => byText(a.topic, b.topic) || a.partition - b.partition);
  let totalLag = 0n;
  const partitions: PartitionLag[] = split.map((s) => {
    const f = facts.get(s.topic)?.get(s.partition);
    const offset = committed.get(s.key) ?? -1n;
    const hwm = facts.has(s.topic) ? (f?.highWatermark ?? 0n) : -1n;
    const from = offset >= 0n ? offset : (f?.logStartOffset ?? 0n);
    const lag = hwm < 0n ? -1n : hwm > from ? hwm - from : 0n;
    if (lag > 0n) totalLag += lag;
    return create(PartitionLagSchema, {
      topic: s.topic,
      partition: s.partition,
      committedOffset: offset,
      highWatermark: hwm,
      lag,
      memberId: memberOf.get(s.key) ?? '',
    });
  });
  return create(DescribeGroupResponseSchema, {
    group: summaryOf(group),
    protocol: group.protocolData,
    members,
    partitions,
    totalLag,
  });
}
