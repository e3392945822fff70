/**
 * Where partitions live, through the admin API: the assignment of every partition, a move
 * (a pin in etcd that the planner honours), a drain of a storage node (a drain mark in etcd:
 * the planner moves its partitions away and gives it no new ones) and its end. The leader's
 * assignment runner does the moving; these calls only record intent and report.
 */
import { create } from '@bufbuild/protobuf';
import {
  DrainStorageNodeResponseSchema,
  ListAssignmentsResponseSchema,
  MovePartitionResponseSchema,
  PartitionAssignmentStatusSchema,
  ResumeStorageNodeResponseSchema,
  type DrainStorageNodeResponse,
  type ListAssignmentsRequest,
  type ListAssignmentsResponse,
  type MovePartitionRequest,
  type MovePartitionResponse,
  type ResumeStorageNodeResponse,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { keys } from '../../../lib/metadata/keys.js';
import { encodeDrain, encodePin } from '../../../lib/metadata/placement-records.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import { failedPrecondition, invalidArgument, notFound } from './admin-errors.js';
import { orUnavailable } from '../services/or-unavailable.js';
import { untilRevision, untilView } from '../metadata-view/await-view.js';
import { requireTopic } from './topic-admin.js';

/** How long a write waits for this replica's view to show it. */
const VIEW_WAIT_MS = 2_000;
/** A drain reports at least this often, even when nothing moved. */
const DRAIN_REPORT_MS = 1_000;

export interface PlacementDeps {
  readonly store: MetadataStore;
  readonly view: MetadataView;
}

export function listAssignments(
  view: MetadataView,
  req: ListAssignmentsRequest,
): ListAssignmentsResponse {
  const topics =
    req.topic === ''
      ? [...view.topics()].sort((a, b) => (a.record.name < b.record.name ? -1 : 1))
      : [requireTopic(view, req.topic)];
  const rows = [];
  for (const t of topics) {
    const { topicId, name, partitions } = t.record;
    const assignments = view.assignmentsOf(topicId);
    const pins = view.pinsOf(topicId);
    for (let p = 0; p < partitions; p++) {
      const assigned = assignments.get(p) ?? '';
      const owner = view.owner(topicId, p);
      if (req.node !== '' && assigned !== req.node && owner?.owner !== req.node) continue;
      rows.push(
        create(PartitionAssignmentStatusSchema, {
          topic: name,
          partition: p,
          assignedNode: assigned,
          owner: owner?.owner ?? '',
          leaderEpoch: owner?.epoch ?? 0,
          pinned: pins.get(p) !== undefined && pins.get(p) === assigned,
        }),
      );
    }
  }
  return create(ListAssignmentsResponseSchema, { partitions: rows });
}

function requireLiveNode(view: MetadataView, node: string): void {
  if (node === '') throw invalidArgument('a storage node id is required');
  if (view.storageNode(node) === undefined) {
    const live = view.storageNodes().map((n) => n.id);
    throw notFound(
      `storage node '${node}' is not live (live: ${live.length === 0 ? 'none' : live.join(', ')})`,
    );
  }
}

export async function movePartition(
  deps: PlacementDeps,
  req: MovePartitionRequest,
): Promise<MovePartitionResponse> {
  const topic = requireTopic(deps.view, req.topic);
  const { topicId, partitions } = topic.record;
  if (req.partition < 0 || req.partition >= partitions) {
    throw notFound(
      `topic '${req.topic}' has partitions 0 to ${partitions - 1}, not ${req.partition}`,
    );
  }
  const key = keys.pin(topicId, req.partition);
  if (req.node !== '') {
    requireLiveNode(deps.view, req.node);
    if (deps.view.drainedNodes().has(req.node)) {
      throw failedPrecondition(`storage node '${req.node}' is draining: resume it first`);
    }
  }
  const result = await orUnavailable('MovePartition', () =>
    deps.store.txn(
      [],
      req.node === ''
        ? [{ type: 'delete', key }]
        : [{ type: 'put', key, value: encodePin({ node: req.node, pinnedAtMs: Date.now() }) }],
    ),
  );
  await untilRevision(deps.view, result.revision, VIEW_WAIT_MS);
  return create(MovePartitionResponseSchema, {});
}

/** Partitions a node is assigned or still holds. */
function heldBy(view: MetadataView, node: string): number {
  let count = 0;
  for (const t of view.topics()) {
    const { topicId, partitions } = t.record;
    const assignments = view.assignmentsOf(topicId);
    for (let p = 0; p < partitions; p++) {
      if (assignments.get(p) === node || view.owner(topicId, p)?.owner === node) count++;
    }
  }
  return count;
}

export async function* drainStorageNode(
  deps: PlacementDeps,
  node: string,
  signal: AbortSignal,
): AsyncGenerator<DrainStorageNodeResponse> {
  requireLiveNode(deps.view, node);
  const total = heldBy(deps.view, node);
  const drained = deps.view.drainedNodes();
  const takers = deps.view.storageNodes().filter((n) => n.id !== node && !drained.has(n.id));
  if (takers.length === 0 && total > 0) {
    throw failedPrecondition(
      `no other live storage node takes partitions, so '${node}' cannot hand over its ${total}`,
    );
  }
  const result = await orUnavailable('DrainStorageNode', () =>
    deps.store.txn(
      [],
      [{ type: 'put', key: keys.drain(node), value: encodeDrain({ drainedAtMs: Date.now() }) }],
    ),
  );
  await untilRevision(deps.view, result.revision, VIEW_WAIT_MS);
  let remaining = heldBy(deps.view, node);
  yield create(DrainStorageNodeResponseSchema, { total, remaining, done: remaining === 0 });
  while (remaining > 0 && !signal.aborted) {
    const before = remaining;
    await untilView(deps.view, () => heldBy(deps.view, node) !== before, DRAIN_REPORT_MS, signal);
    remaining = heldBy(deps.view, node);
    yield create(DrainStorageNodeResponseSchema, { total, remaining, done: remaining === 0 });
  }
}

export async function resumeStorageNode(
  deps: PlacementDeps,
  node: string,
): Promise<ResumeStorageNodeResponse> {
  if (node === '') throw invalidArgument('a storage node id is required');
  if (deps.view.storageNode(node) === undefined && !deps.view.drainedNodes().has(node)) {
    throw notFound(`storage node '${node}' is neither live nor drained`);
  }
  const result = await orUnavailable('ResumeStorageNode', () =>
    deps.store.txn([], [{ type: 'delete', key: keys.drain(node) }]),
  );
  await untilRevision(deps.view, result.revision, VIEW_WAIT_MS);
  return create(ResumeStorageNodeResponseSchema, {});
}
