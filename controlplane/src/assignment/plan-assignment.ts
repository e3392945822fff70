/**
 * The assignment of partitions to storage nodes, planned as a pure function. Sticky: a
 * partition keeps its live node unless balance needs it elsewhere. Balanced: partitions of
 * dead nodes and new partitions go, one by one, to the live node with the fewest (ties to
 * the smallest id); then, while one node holds two or more partitions more than another
 * (a node joined), the most loaded node gives its last partition to the least loaded, so
 * the fewest partitions move. The same input always gives the same plan.
 *
 * Operators steer it two ways. A drained node gets nothing: its partitions go elsewhere as
 * if it had died (unless every live node is drained, when nothing moves). A pinned
 * partition goes to its pin's node while that node is live and not drained, and balancing
 * never moves it; it still counts in its node's load.
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
  /** Operators' pins (`pins/`): node id by partition, by topic id. */
  readonly pins?: ReadonlyMap<string, ReadonlyMap<number, string>>;
  /** Drained nodes (`drains/`). */
  readonly drained?: ReadonlySet<string>;
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
  /** Pins of topics or partitions that no longer exist. */
  readonly unpins: readonly PartitionRef[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planAssignment(input: AssignmentPlanInput): AssignmentPlan {
  const live = [...new Set(input.liveNodes)].sort(byText);
  const undrained = live.filter((n) => !input.drained?.has(n));
  const nodes = undrained.length > 0 ? undrained : live;
  const load = new Map<string, number>(nodes.map((n) => [n, 0]));
  /** Partitions balancing may move (pinned ones are left out), by node. */
  const held = new Map<string, PartitionRef[]>(nodes.map((n) => [n, []]));
  const topics = [...input.topics].sort((a, b) => byText(a.topicId, b.topicId));
  const pending: PartitionRef[] = [];
  const puts = new Map<string, AssignmentPut>();

  for (const t of topics) {
    const current = input.current.get(t.topicId);
    const pins = input.pins?.get(t.topicId);
    for (let p = 0; p < t.partitions; p++) {
      const ref = { topicId: t.topicId, partition: p };
      const pin = pins?.get(p);
      const pinLoad = pin === undefined ? undefined : load.get(pin);
      if (pin !== undefined && pinLoad !== undefined) {
        load.set(pin, pinLoad + 1);
        if (current?.get(p) !== pin) puts.set(`${t.topicId}/${p}`, { ...ref, node: pin });
        continue;
      }
      const node = current?.get(p);
      const count = node === undefined ? undefined : load.get(node);
      if (node !== undefined && count !== undefined) {
        load.set(node, count + 1);
        held.get(node)?.push(ref);
      } else pending.push(ref);
    }
  }

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
  return {
    puts: [...puts.values()],
    deletes: beyondTopics(input.current, sizes),
    unpins: beyondTopics(input.pins ?? new Map(), sizes),
  };
}

/** Entries of `byTopic` whose topic or partition no longer exists, in key order. */
function beyondTopics(
  byTopic: ReadonlyMap<string, ReadonlyMap<number, string>>,
  sizes: ReadonlyMap<string, number>,
): PartitionRef[] {
  const gone: PartitionRef[] = [];
  for (const topicId of [...byTopic.keys()].sort(byText)) {
    const size = sizes.get(topicId) ?? 0;
    const entries = byTopic.get(topicId) ?? new Map<number, string>();
    for (const partition of [...entries.keys()].sort((a, b) => a - b)) {
      if (partition >= size) gone.push({ topicId, partition });
    }
  }
  return gone;
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
