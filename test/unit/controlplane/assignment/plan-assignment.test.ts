/** The assignment planner: balance, stickiness, reassignment, determinism; and chunking. */
import { describe, expect, it } from 'vitest';
import {
  planAssignment,
  type AssignmentPlan,
} from '../../../../controlplane/src/assignment/plan-assignment.js';
import { chunkPlan } from '../../../../controlplane/src/assignment/write-assignments.js';

type Current = Map<string, Map<number, string>>;

function apply(current: Current, plan: AssignmentPlan): Current {
  const next: Current = new Map([...current].map(([t, m]) => [t, new Map(m)]));
  for (const p of plan.puts) {
    const m = next.get(p.topicId) ?? new Map<number, string>();
    m.set(p.partition, p.node);
    next.set(p.topicId, m);
  }
  for (const d of plan.deletes) next.get(d.topicId)?.delete(d.partition);
  return next;
}

function loads(current: Current): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of current.values()) for (const n of m.values()) out[n] = (out[n] ?? 0) + 1;
  return out;
}

const topics = [
  { topicId: 'tA', partitions: 7 },
  { topicId: 'tB', partitions: 5 },
];

describe('planAssignment', () => {
  it('spreads new partitions evenly, ties to the smallest node id', () => {
    const plan = planAssignment({ topics, liveNodes: ['s3', 's1', 's2'], current: new Map() });
    expect(plan.deletes).toEqual([]);
    expect(plan.puts.slice(0, 4).map((p) => [p.topicId, p.partition, p.node])).toEqual([
      ['tA', 0, 's1'],
      ['tA', 1, 's2'],
      ['tA', 2, 's3'],
      ['tA', 3, 's1'],
    ]);
    expect(loads(apply(new Map(), plan))).toEqual({ s1: 4, s2: 4, s3: 4 });
  });

  it('is deterministic whatever the input order', () => {
    const a = planAssignment({ topics, liveNodes: ['s1', 's2'], current: new Map() });
    const b = planAssignment({
      topics: [...topics].reverse(),
      liveNodes: ['s2', 's1'],
      current: new Map(),
    });
    expect(b).toEqual(a);
  });

  it('plans nothing when every partition is assigned and the load is balanced', () => {
    const first = apply(
      new Map(),
      planAssignment({ topics, liveNodes: ['s1', 's2'], current: new Map() }),
    );
    expect(planAssignment({ topics, liveNodes: ['s1', 's2'], current: first })).toEqual({
      puts: [],
      deletes: [],
      unpins: [],
    });
  });

  it('moves every partition off a drained node and gives it none of the new ones', () => {
    const first = apply(
      new Map(),
      planAssignment({ topics, liveNodes: ['s1', 's2', 's3'], current: new Map() }),
    );
    const drained = new Set(['s2']);
    const plan = planAssignment({ topics, liveNodes: ['s1', 's2', 's3'], current: first, drained });
    const after = apply(first, plan);
    expect(loads(after)).toEqual({ s1: 6, s3: 6 });
    // Only s2's partitions moved.
    expect(plan.puts).toHaveLength(loads(first).s2 ?? -1);
    const grown = [...topics, { topicId: 'tC', partitions: 4 }];
    const next = apply(
      after,
      planAssignment({ topics: grown, liveNodes: ['s1', 's2', 's3'], current: after, drained }),
    );
    expect(loads(next)).toEqual({ s1: 8, s3: 8 });
  });

  it('moves nothing when every live node is drained (nowhere to go)', () => {
    const first = apply(
      new Map(),
      planAssignment({ topics, liveNodes: ['s1', 's2'], current: new Map() }),
    );
    const plan = planAssignment({
      topics,
      liveNodes: ['s1', 's2'],
      current: first,
      drained: new Set(['s1', 's2']),
    });
    expect(plan.puts).toEqual([]);
  });

  it('keeps a pinned partition on its node even when balance would move it', () => {
    const first = apply(
      new Map(),
      planAssignment({ topics, liveNodes: ['s1', 's2'], current: new Map() }),
    );
    const onS2 = [...(first.get('tA') ?? new Map<number, string>())].filter(([, n]) => n === 's2');
    const pins = new Map([['tA', new Map(onS2.map(([p]) => [p, 's1']))]]);
    const plan = planAssignment({ topics, liveNodes: ['s1', 's2'], current: first, pins });
    const after = apply(first, plan);
    for (const [p] of onS2) expect(after.get('tA')?.get(p)).toBe('s1');
    // The pinned partitions stay on s1; balance evens the load by moving unpinned ones.
    expect(loads(after)).toEqual({ s1: 6, s2: 6 });
    expect(planAssignment({ topics, liveNodes: ['s1', 's2'], current: after, pins }).puts).toEqual(
      [],
    );
  });

  it('ignores a pin to a node that is gone or drained, and removes pins of deleted partitions', () => {
    const first = apply(
      new Map(),
      planAssignment({ topics, liveNodes: ['s1', 's2'], current: new Map() }),
    );
    const pins = new Map([
      [
        'tA',
        new Map([
          [0, 'gone'],
          [1, 's2'],
          [9, 's1'],
        ]),
      ],
      ['tDeleted', new Map([[0, 's1']])],
    ]);
    const plan = planAssignment({
      topics,
      liveNodes: ['s1', 's2'],
      current: first,
      pins,
      drained: new Set(['s2']),
    });
    const after = apply(first, plan);
    expect(after.get('tA')?.get(1)).toBe('s1');
    expect(after.get('tA')?.get(0)).toBe('s1');
    expect(plan.unpins).toEqual([
      { topicId: 'tA', partition: 9 },
      { topicId: 'tDeleted', partition: 0 },
    ]);
  });

  it('rebalances onto a node that joins, moving only as many partitions as balance needs', () => {
    const first = apply(
      new Map(),
      planAssignment({ topics, liveNodes: ['s1', 's2'], current: new Map() }),
    );
    expect(loads(first)).toEqual({ s1: 6, s2: 6 });
    const plan = planAssignment({ topics, liveNodes: ['s1', 's2', 's3'], current: first });
    expect(plan.puts).toHaveLength(4);
    expect(plan.puts.every((p) => p.node === 's3')).toBe(true);
    expect(loads(apply(first, plan))).toEqual({ s1: 4, s2: 4, s3: 4 });
  });

  it('moves only the partitions of a dead node, to the least-loaded live nodes', () => {
    const first = apply(
      new Map(),
      planAssignment({ topics, liveNodes: ['s1', 's2', 's3'], current: new Map() }),
    );
    const plan = planAssignment({ topics, liveNodes: ['s1', 's3', 's4'], current: first });
    const moved = plan.puts.map((p) => `${p.topicId}/${p.partition}`);
    const onS2 = [...first].flatMap(([t, m]) =>
      [...m].filter(([, n]) => n === 's2').map(([p]) => `${t}/${p}`),
    );
    expect(moved.sort()).toEqual(onS2.sort());
    expect(plan.puts.every((p) => p.node !== 's2')).toBe(true);
    const after = loads(apply(first, plan));
    expect(after).toEqual({ s1: 4, s3: 4, s4: 4 });
  });

  it('assigns new partitions of a grown topic and deletes assignments of gone ones', () => {
    const current: Current = new Map([
      [
        'tA',
        new Map([
          [0, 's1'],
          [1, 's1'],
          [9, 's1'],
        ]),
      ],
      ['gone', new Map([[0, 's1']])],
    ]);
    const plan = planAssignment({
      topics: [{ topicId: 'tA', partitions: 3 }],
      liveNodes: ['s1', 's2'],
      current,
    });
    expect(plan.puts).toEqual([{ topicId: 'tA', partition: 2, node: 's2' }]);
    expect(plan.deletes).toEqual([
      { topicId: 'gone', partition: 0 },
      { topicId: 'tA', partition: 9 },
    ]);
  });

  it('leaves partitions unassigned while no storage node is live', () => {
    expect(planAssignment({ topics, liveNodes: [], current: new Map() }).puts).toEqual([]);
  });
});

describe('chunkPlan', () => {
  it('keeps every transaction within 128 ops and 128 compares, each fenced on the leader', () => {
    const manyTopics = Array.from({ length: 300 }, (_, i) => ({ topicId: `t${i}`, partitions: 2 }));
    const plan = planAssignment({ topics: manyTopics, liveNodes: ['s1'], current: new Map() });
    const fence = { key: '/kafscale/controlplane/leader', createRevision: 7 };
    const fences = new Map(
      manyTopics.map((t) => [t.topicId, { name: t.topicId, createRevision: 1 }]),
    );
    const chunks = chunkPlan(plan, fence, fences);
    expect(chunks.reduce((n, c) => n + c.ops.length, 0)).toBe(600);
    for (const c of chunks) {
      expect(c.ops.length).toBeLessThanOrEqual(128);
      expect(c.compares.length).toBeLessThanOrEqual(128);
      expect(c.compares[0]).toEqual({
        key: fence.key,
        target: 'createRevision',
        op: '=',
        value: 7,
      });
    }
  });
});
