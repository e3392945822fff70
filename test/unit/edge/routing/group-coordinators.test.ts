import { plainDialer } from '../../../../lib/grpc/grpc-dialer.js';
import { describe, expect, it } from 'vitest';
import { StaticClusterView, type ClusterView } from '../../../../edge/src/cluster-view.js';
import { dialingGroupCoordinators } from '../../../../edge/src/routing/dialing-group-coordinators.js';
import { coordinatorEdge } from '../../../../edge/src/routing/group-coordinators.js';
import { groupShardOf } from '../../../../lib/groups/group-shard.js';
import { groupOn, groupWorld, SHARDS } from '../handlers/group-harness.js';

const holder = (replicaId: string, address: string) => ({ replicaId, address, epoch: 1n });

describe('ViewGroupCoordinators', () => {
  it('routes a group to the replica holding its shard', () => {
    const w = groupWorld({});
    const onA = groupOn([0, 1]);
    const onB = groupOn([2, 3]);
    expect(w.coordinators.forGroup(onA)).toEqual({
      shard: groupShardOf(onA, SHARDS),
      client: w.a.client,
    });
    expect(w.coordinators.forGroup(onB)?.client).toBe(w.b.client);
  });

  it('has no route while the shard has no holder or the shard count is unknown', () => {
    const w = groupWorld({});
    w.hold([0, 1], []);
    expect(w.coordinators.forGroup(groupOn([2, 3]))).toBeUndefined();
    w.view.setGroupShards(0);
    expect(w.coordinators.forGroup(groupOn([0, 1]))).toBeUndefined();
    expect(w.coordinators.holders()).toEqual({ holders: [], shardCount: 0, unheld: [] });
  });

  it('lists each holder once with its shards, and the shards nobody holds', () => {
    const w = groupWorld({});
    w.hold([0, 3], [1]);
    expect(w.coordinators.holders()).toEqual({
      holders: [
        { client: w.a.client, shards: [0, 3] },
        { client: w.b.client, shards: [1] },
      ],
      shardCount: SHARDS,
      unheld: [2],
    });
  });
});

describe('dialingGroupCoordinators', () => {
  it('dials one client per address, shared by the shards held there', () => {
    const view = new StaticClusterView('c', { nodeId: 1, host: 'e', port: 9092, rack: null });
    view.setGroupShards(
      3,
      new Map([
        [0, holder('r1', '127.0.0.1:1')],
        [1, holder('r1', '127.0.0.1:1')],
        [2, holder('r2', '127.0.0.1:2')],
      ]),
    );
    const coordinators = dialingGroupCoordinators(view, plainDialer());
    const { holders } = coordinators.holders();
    expect(holders.map((h) => h.shards)).toEqual([[0, 1], [2]]);
    expect(holders[0]?.client).not.toBe(holders[1]?.client);
    const again = coordinators.holders().holders;
    expect(again[0]?.client).toBe(holders[0]?.client);
  });
});

describe('coordinatorEdge', () => {
  const edges = [1, 2, 3].map((nodeId) => ({
    nodeId,
    host: `edge-${nodeId}`,
    port: 9092,
    rack: null,
  }));
  const many: ClusterView = {
    clusterId: 'c',
    self: () => edges[0] ?? { nodeId: 0, host: '', port: 0, rack: null },
    edges: () => edges,
    topic: () => undefined,
    topicById: () => undefined,
    topics: () => [],
    groupShardCount: () => 0,
    groupShardHolder: () => undefined,
  };

  it('spreads groups over the live edges and is stable', () => {
    const picks = new Set(
      Array.from({ length: 30 }, (_, i) => coordinatorEdge(many, `g${i}`, false).nodeId),
    );
    expect(picks.size).toBe(3);
    expect(coordinatorEdge(many, 'g1', false)).toEqual(coordinatorEdge(many, 'g1', false));
  });

  it('is always this edge in single-address mode', () => {
    for (let i = 0; i < 10; i++) expect(coordinatorEdge(many, `g${i}`, true).nodeId).toBe(1);
  });
});
