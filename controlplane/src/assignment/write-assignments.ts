/**
 * Writes an assignment plan in transactions of at most MAX_TXN_OPS ops (and compares).
 * Every transaction compares the leader key's create revision with the writer's own
 * election (invariant 2: a deposed leader's writes fail), and each put compares its
 * topic key's create revision, so no assignment is written for a topic deleted (or
 * deleted and created again) since the plan was made.
 */
import { keys } from '../../../lib/metadata/keys.js';
import { encodeAssignment } from '../../../lib/metadata/topic-records.js';
import {
  MAX_TXN_OPS,
  type Compare,
  type MetadataStore,
  type TxnOp,
} from '../../../lib/stores/metadata-store.js';
import type { LeaderFence } from '../election/leader-fence.js';
import type { AssignmentPlan } from './plan-assignment.js';

export type { LeaderFence } from '../election/leader-fence.js';

/** What a put is conditional on: the topic key and its create revision. */
export interface TopicFence {
  readonly name: string;
  readonly createRevision: number;
}

export type WriteResult =
  | { readonly ok: true; readonly revision: number; readonly txns: number }
  /** `fenced`: this writer is no longer the leader; `conflict`: a topic changed. */
  | { readonly ok: false; readonly reason: 'fenced' | 'conflict'; readonly txns: number };

interface Chunk {
  readonly compares: Compare[];
  readonly ops: TxnOp[];
  readonly topics: Set<string>;
}

export function chunkPlan(
  plan: AssignmentPlan,
  fence: LeaderFence,
  topics: ReadonlyMap<string, TopicFence>,
  limit = MAX_TXN_OPS,
): Chunk[] {
  const leaderCompare: Compare = {
    key: fence.key,
    target: 'createRevision',
    op: '=',
    value: fence.createRevision,
  };
  const fresh = (): Chunk => ({ compares: [leaderCompare], ops: [], topics: new Set() });
  const chunks: Chunk[] = [];
  let chunk = fresh();
  const add = (op: TxnOp, topicId: string | undefined): void => {
    const topic = topicId === undefined ? undefined : topics.get(topicId);
    const needsCompare = topicId !== undefined && topic !== undefined && !chunk.topics.has(topicId);
    if (chunk.ops.length + 1 > limit || chunk.compares.length + (needsCompare ? 1 : 0) > limit) {
      chunks.push(chunk);
      chunk = fresh();
    }
    if (topicId !== undefined && topic !== undefined && !chunk.topics.has(topicId)) {
      chunk.topics.add(topicId);
      chunk.compares.push({
        key: keys.topic(topic.name),
        target: 'createRevision',
        op: '=',
        value: topic.createRevision,
      });
    }
    chunk.ops.push(op);
  };
  for (const p of plan.puts) {
    if (!topics.has(p.topicId)) continue; // never assign a topic the writer cannot fence on
    add(
      {
        type: 'put',
        key: keys.assignment(p.topicId, p.partition),
        value: encodeAssignment({ node: p.node }),
      },
      p.topicId,
    );
  }
  for (const d of plan.deletes) {
    add({ type: 'delete', key: keys.assignment(d.topicId, d.partition) }, undefined);
  }
  for (const u of plan.unpins) {
    add({ type: 'delete', key: keys.pin(u.topicId, u.partition) }, undefined);
  }
  if (chunk.ops.length > 0) chunks.push(chunk);
  return chunks;
}

export async function writeAssignments(
  store: MetadataStore,
  plan: AssignmentPlan,
  fence: LeaderFence,
  topics: ReadonlyMap<string, TopicFence>,
): Promise<WriteResult> {
  let revision = 0;
  let txns = 0;
  for (const chunk of chunkPlan(plan, fence, topics)) {
    const result = await store.txn(chunk.compares, chunk.ops);
    txns++;
    if (!result.succeeded) {
      const leader = await store.get(fence.key);
      const fenced = leader?.createRevision !== fence.createRevision;
      return { ok: false, reason: fenced ? 'fenced' : 'conflict', txns };
    }
    revision = result.revision;
  }
  return { ok: true, revision, txns };
}
