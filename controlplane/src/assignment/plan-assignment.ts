/**
 * The assignment of partitions to storage nodes, planned as a pure function. Sticky: a
 * partition keeps its live node unless balance needs it elsewhere. Balanced: partitions of
 * dead nodes and new partitions go, one by one, to the live node with the fewest (ties to
 * the smallest id); then, while one node holds two or more partitions more than another
 * (a node joined), the most loaded node gives its last partition to the least loaded, so
 * the fewest partitions move. The same input always gives the same plan.
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
  const held = new Map<string, PartitionRef[]>(nodes.map((n) => [n, []]));
  const topics = [...input.topics].sort((a, b) => byText(a.topicId, b.topicId));
  const pending: PartitionRef[] = [];

  for (const t of topics) {
    const current = input.current.get(t.topicId);
    for (let p = 0; p < t.partitions; p++) {
      const node = current?.get(p);
      const count = node === undefined ? undefined : load.get(node);
      if (node !== undefined && count !== undefined) {
        load.set(node, count + 1);
        held.get(node)?.push({ topicId: t.topicId, partition: p });
      } else pending.push({ topicId: t.topicId, partition: p });
    }
  }

  const puts = new Map<string, AssignmentPut>();
  const place = (ref: PartitionRef, node: string) => {
    load.set(node, (load.get(node) ?? 0) + 1);
    held.get(node)?.push(ref);
    puts.set(`${ref.topicId}/${ref.partition}`, { ...ref, node });
  };
  if (nodes.length > 0) {
    for (const ref of pending) place(ref, leastLoaded(nodes, load));
    for (;;) {
      const low = leastLoaded(nodes, load);
      const high = mostLoaded(nodes, load);
      if ((load.get(high) ?? 0) - (load.get(low) ?? 0) <= 1) break;
      const moved = held.get(high)?.pop();
      if (moved === undefined) break;
      load.set(high, (load.get(high) ?? 0) - 1);
      place(moved, low);
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
  return { puts: [...puts.values()], deletes };
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

/** The node with the most partitions; ties go to the last id, so moves are deterministic. */
function mostLoaded(nodes: readonly string[], load: ReadonlyMap<string, number>): string {
  let best = '';
  let bestLoad = -1;
  for (const n of nodes) {
    const l = load.get(n) ?? 0;
    if (l >= bestLoad) {
      best = n;
      bestLoad = l;
    }
  }
  return best;
}
