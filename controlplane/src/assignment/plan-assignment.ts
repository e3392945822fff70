/**
 * The assignment of partitions to storage nodes, planned as a pure function: sticky (a
 * partition keeps its node while that node is live) and balanced for everything that must
 * move (partitions of dead nodes and new partitions go, one by one, to the live node with
 * the fewest partitions; ties go to the smallest node id). The same input always gives the
 * same plan. No partition is moved off a live node, so a node that joins fills up with new
 * and orphaned partitions only.
 */

export interface PlanTopic {
  readonly topicId: string;
  readonly partitions: number;
}

export interface AssignmentPlanInput {
  readonly topics: readonly PlanTopic[];
  /** Ids of the live storage nodes. */
  readonly liveNodes: readonly string[];
  /** The current `assign/` values: node id by partition, by topic id. */
  readonly current: ReadonlyMap<string, ReadonlyMap<number, string>>;
}

export interface PartitionRef {
  readonly topicId: string;
  readonly partition: number;
}

export interface AssignmentPut extends PartitionRef {
  readonly node: string;
}

export interface AssignmentPlan {
  /** Assignments to write (new or moved partitions). */
  readonly puts: readonly AssignmentPut[];
  /** Assignments of topics or partitions that no longer exist. */
  readonly deletes: readonly PartitionRef[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planAssignment(input: AssignmentPlanInput): AssignmentPlan {
  const nodes = [...new Set(input.liveNodes)].sort(byText);
  const load = new Map<string, number>(nodes.map((n) => [n, 0]));
  const topics = [...input.topics].sort((a, b) => byText(a.topicId, b.topicId));
  const pending: PartitionRef[] = [];

  for (const t of topics) {
    const current = input.current.get(t.topicId);
    for (let p = 0; p < t.partitions; p++) {
      const node = current?.get(p);
      const count = node === undefined ? undefined : load.get(node);
      if (node !== undefined && count !== undefined) load.set(node, count + 1);
      else pending.push({ topicId: t.topicId, partition: p });
    }
  }

  const puts: AssignmentPut[] = [];
  if (nodes.length > 0) {
    for (const ref of pending) {
      const node = leastLoaded(nodes, load);
      load.set(node, (load.get(node) ?? 0) + 1);
      puts.push({ ...ref, node });
    }
  }

  const sizes = new Map(topics.map((t) => [t.topicId, t.partitions]));
  const deletes: PartitionRef[] = [];
  for (const topicId of [...input.current.keys()].sort(byText)) {
    const size = sizes.get(topicId) ?? 0;
    const assigned = input.current.get(topicId) ?? new Map<number, string>();
    for (const partition of [...assigned.keys()].sort((a, b) => a - b)) {
      if (partition >= size) deletes.push({ topicId, partition });
    }
  }
  return { puts, deletes };
}

/** The node with the fewest partitions; `nodes` is sorted, so ties go to the first id. */
function leastLoaded(nodes: readonly string[], load: ReadonlyMap<string, number>): string {
  let best = '';
  let bestLoad = Infinity;
  for (const n of nodes) {
    const l = load.get(n) ?? 0;
    if (l < bestLoad) {
      best = n;
      bestLoad = l;
    }
  }
  return best;
}
