/**
 * ResetGroupOffsets: new committed offsets for every partition of the named topics, to the
 * log start, the high watermark, a timestamp (resolved by a storage node, which any node
 * answers from the index) or a given offset clamped into the log. Only while the group
 * has no members: the check is the commit itself (a commit outside any generation is
 * refused by the coordinator once a member has joined), with a clearer refusal up front.
 */
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  ResetGroupOffsetsResponseSchema,
  ResetOffsetSchema,
  type ResetGroupOffsetsRequest,
  type ResetGroupOffsetsResponse,
  type ResetOffset,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { topicIdToBytes } from '../../../lib/metadata/topic-records.js';
import type { GroupClient } from './admin-peers.js';
import type { GroupAdminDeps } from './group-admin.js';
import { committedOffsets, describedGroup, factsOfTopics } from './group-admin.js';
import { failedPrecondition, invalidArgument, kafkaFailure } from './admin-errors.js';
import { orUnavailable } from '../services/or-unavailable.js';
import { groupClientFor } from './group-routes.js';
import { factsOrEmpty } from './partition-facts.js';
import { requireTopic } from './topic-admin.js';

const clamp = (v: bigint, lo: bigint, hi: bigint) => (v < lo ? lo : v > hi ? hi : v);

function checkRequest(req: ResetGroupOffsetsRequest): void {
  if (req.topics.length === 0) throw invalidArgument('name at least one topic to reset');
  if (req.to.case === undefined) {
    throw invalidArgument('say where to reset to: earliest, latest, a timestamp or an offset');
  }
  if (req.to.case === 'timestampMs' && req.to.value < 0n) {
    throw invalidArgument(`timestamp must be 0 or more milliseconds, got ${req.to.value}`);
  }
  if (req.to.case === 'offset' && req.to.value < 0n) {
    throw invalidArgument(`offset must be 0 or more, got ${req.to.value}`);
  }
}

/** Offsets of the first records at or after `timestampMs`, by partition (the HWM where none is). */
async function offsetsAtTime(
  deps: GroupAdminDeps,
  topic: { name: string; topicId: string; partitions: number },
  timestampMs: bigint,
): Promise<Map<number, bigint>> {
  const node = deps.view.storageNodes()[0];
  if (node === undefined) {
    throw new ConnectError('no storage node is live to look offsets up by time', Code.Unavailable);
  }
  const topicId = topicIdToBytes(topic.topicId);
  const answer = await deps.peers.storage(node).listOffsets({
    partitions: Array.from({ length: topic.partitions }, (_, partition) => ({
      topicId,
      topic: topic.name,
      partition,
      timestamp: timestampMs,
      currentLeaderEpoch: -1,
    })),
  });
  const out = new Map<number, bigint>();
  for (const p of answer.partitions) {
    if (p.errorCode !== KafkaError.NONE) {
      throw kafkaFailure(
        `offset at ${timestampMs} of ${topic.name}:${p.partition}`,
        p.errorCode,
        p.errorMessage,
      );
    }
    if (p.offset >= 0n) out.set(p.partition, p.offset);
  }
  return out;
}

export async function* resetGroupOffsets(
  deps: GroupAdminDeps,
  req: ResetGroupOffsetsRequest,
): AsyncGenerator<ResetGroupOffsetsResponse> {
  checkRequest(req);
  const topics = [...new Set(req.topics)].map((name) => requireTopic(deps.view, name).record);
  const client = groupClientFor(deps.view, deps.peers, req.groupId);
  const group = await describedGroup(client, req.groupId);
  if (group.members.length > 0) {
    throw failedPrecondition(
      `group '${req.groupId}' has ${group.members.length} member(s) (state ${group.groupState}): stop its consumers first`,
    );
  }
  const previous = await committedOffsets(client, req.groupId);
  const total = topics.reduce((n, t) => n + t.partitions, 0);
  const facts = await orUnavailable('ResetGroupOffsets', () =>
    factsOfTopics(
      deps,
      topics.map((t) => t.name),
    ),
  );
  const offsets: ResetOffset[] = [];
  yield create(ResetGroupOffsetsResponseSchema, { total, resolved: 0 });
  for (const t of topics) {
    const topicFacts = facts.get(t.name) ?? new Map();
    const atTime =
      req.to.case === 'timestampMs' ? await offsetsAtTime(deps, t, req.to.value) : undefined;
    for (let p = 0; p < t.partitions; p++) {
      const f = factsOrEmpty(topicFacts, p);
      const offset =
        req.to.case === 'earliest'
          ? f.logStartOffset
          : req.to.case === 'offset'
            ? clamp(req.to.value, f.logStartOffset, f.highWatermark)
            : req.to.case === 'timestampMs'
              ? (atTime?.get(p) ?? f.highWatermark)
              : f.highWatermark;
      offsets.push(
        create(ResetOffsetSchema, {
          topic: t.name,
          partition: p,
          previousOffset: previous.get(`${t.name}/${p}`) ?? -1n,
          offset,
        }),
      );
    }
    yield create(ResetGroupOffsetsResponseSchema, { total, resolved: offsets.length });
  }
  if (!req.dryRun) await commit(client, req.groupId, offsets);
  yield create(ResetGroupOffsetsResponseSchema, {
    total,
    resolved: offsets.length,
    done: true,
    offsets,
  });
}

async function commit(
  client: GroupClient,
  groupId: string,
  offsets: readonly ResetOffset[],
): Promise<void> {
  const byTopic = new Map<string, { partition: number; offset: bigint; leaderEpoch: number }[]>();
  for (const o of offsets) {
    const list = byTopic.get(o.topic) ?? [];
    list.push({ partition: o.partition, offset: o.offset, leaderEpoch: -1 });
    byTopic.set(o.topic, list);
  }
  // Outside any generation: the coordinator accepts it only while the group is empty.
  const answer = await client.offsetCommit({
    groupId,
    generationId: -1,
    memberId: '',
    topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
  });
  for (const t of answer.topics) {
    for (const p of t.partitions) {
      if (p.errorCode === KafkaError.UNKNOWN_MEMBER_ID) {
        throw failedPrecondition(
          `group '${groupId}' gained members during the reset: nothing was committed for ${t.name}:${p.partition}; stop its consumers and run it again`,
        );
      }
      if (p.errorCode !== KafkaError.NONE) {
        throw kafkaFailure(
          `commit offsets of group '${groupId}' for ${t.name}:${p.partition}`,
          p.errorCode,
          '',
        );
      }
    }
  }
}
