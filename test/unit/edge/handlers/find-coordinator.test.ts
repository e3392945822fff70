import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../../../edge/src/cluster-view.js';
import { findCoordinatorHandler } from '../../../../edge/src/handlers/10-find-coordinator.js';
import {
  coordinatorEdge,
  type GroupCoordinators,
} from '../../../../edge/src/routing/group-coordinators.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { defaultFindCoordinatorRequest } from '../../../../lib/kafka/gen/index.js';
import { groupOn, groupWorld, roundTrip } from './group-harness.js';

const edges = [1, 2, 3].map((nodeId) => ({
  nodeId,
  host: `edge-${nodeId}`,
  port: 9092,
  rack: null,
}));

/** The harness view with three live edges, this one being edge 2. */
function threeEdges(): { cluster: ClusterView; coordinators: GroupCoordinators } {
  const { view, coordinators } = groupWorld({});
  const cluster: ClusterView = {
    clusterId: 'c',
    self: () => edges[1] ?? edges[0] ?? view.self(),
    edges: () => edges,
    topic: (n) => view.topic(n),
    topicById: (id) => view.topicById(id),
    topics: () => view.topics(),
    groupShardCount: () => view.groupShardCount(),
    groupShardHolder: (s) => view.groupShardHolder(s),
  };
  return { cluster, coordinators };
}

describe('FindCoordinator', () => {
  it('v0 names the edge rendezvous hashing picks for the group', async () => {
    const { cluster, coordinators } = threeEdges();
    const picks = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const key = `g${i}`;
      const res = await roundTrip(findCoordinatorHandler(cluster, coordinators, false), 0, {
        ...defaultFindCoordinatorRequest(),
        key,
      });
      const expected = coordinatorEdge(cluster, key, false);
      expect([res.errorCode, res.nodeId, res.host, res.port]).toEqual([
        0,
        expected.nodeId,
        expected.host,
        9092,
      ]);
      picks.add(res.nodeId);
    }
    expect(picks.size).toBeGreaterThan(1);
  });

  it('names this edge for every group in single-address mode (v3)', async () => {
    const { cluster, coordinators } = threeEdges();
    for (const key of ['a', 'b', 'c', 'd']) {
      const res = await roundTrip(findCoordinatorHandler(cluster, coordinators, true), 3, {
        ...defaultFindCoordinatorRequest(),
        key,
      });
      expect([res.errorCode, res.errorMessage, res.nodeId]).toEqual([0, null, 2]);
    }
  });

  it('answers an empty group id like any other, as Apache Kafka does', async () => {
    const { cluster, coordinators } = threeEdges();
    const res = await roundTrip(findCoordinatorHandler(cluster, coordinators, false), 2, {
      ...defaultFindCoordinatorRequest(),
      key: '',
    });
    expect(res.errorCode).toBe(0);
    expect(res.nodeId).toBe(coordinatorEdge(cluster, '', false).nodeId);
  });

  it('refuses a transaction key with INVALID_REQUEST and no node (v1)', async () => {
    const { cluster, coordinators } = threeEdges();
    const res = await roundTrip(findCoordinatorHandler(cluster, coordinators, false), 1, {
      ...defaultFindCoordinatorRequest(),
      key: 'txn-1',
      keyType: 1,
    });
    expect(res).toMatchObject({
      errorCode: KafkaError.INVALID_REQUEST,
      nodeId: -1,
      host: '',
      port: -1,
    });
    expect(res.errorMessage).toMatch(/transactions are not supported/);
  });

  it('answers v4 batched keys one result each, in request order, key type per request', async () => {
    const { cluster, coordinators } = threeEdges();
    const keys = ['g1', 'g2', 'g3'];
    const res = await roundTrip(findCoordinatorHandler(cluster, coordinators, false), 4, {
      ...defaultFindCoordinatorRequest(),
      keyType: 0,
      coordinatorKeys: keys,
    });
    expect(res.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.errorMessage])).toEqual(
      keys.map((k) => [k, 0, coordinatorEdge(cluster, k, false).nodeId, null]),
    );
    const txn = await roundTrip(findCoordinatorHandler(cluster, coordinators, false), 6, {
      ...defaultFindCoordinatorRequest(),
      keyType: 1,
      coordinatorKeys: ['t1', 't2'],
    });
    expect(txn.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.host, c.port])).toEqual([
      ['t1', KafkaError.INVALID_REQUEST, -1, '', -1],
      ['t2', KafkaError.INVALID_REQUEST, -1, '', -1],
    ]);
  });

  it('refuses share-group and unknown key types (v6)', async () => {
    const { cluster, coordinators } = threeEdges();
    for (const keyType of [2, 9]) {
      const res = await roundTrip(findCoordinatorHandler(cluster, coordinators, false), 6, {
        ...defaultFindCoordinatorRequest(),
        keyType,
        coordinatorKeys: ['k'],
      });
      expect(res.coordinators[0]?.errorCode).toBe(KafkaError.INVALID_REQUEST);
      expect(res.coordinators[0]?.errorMessage).toMatch(
        keyType === 2 ? /share groups/ : /key type 9/,
      );
    }
  });

  it('answers COORDINATOR_NOT_AVAILABLE while no replica holds the shard', async () => {
    const w = groupWorld({});
    w.hold([0, 1], []);
    const held = groupOn([0, 1]);
    const unheld = groupOn([2, 3]);
    const res = await roundTrip(findCoordinatorHandler(w.view, w.coordinators, false), 4, {
      ...defaultFindCoordinatorRequest(),
      coordinatorKeys: [held, unheld],
    });
    expect(res.coordinators.map((c) => [c.errorCode, c.nodeId])).toEqual([
      [0, 1],
      [KafkaError.COORDINATOR_NOT_AVAILABLE, -1],
    ]);
    w.view.setGroupShards(0);
    const unknownCount = await roundTrip(findCoordinatorHandler(w.view, w.coordinators, false), 0, {
      ...defaultFindCoordinatorRequest(),
      key: held,
    });
    expect([unknownCount.errorCode, unknownCount.nodeId, unknownCount.port]).toEqual([
      KafkaError.COORDINATOR_NOT_AVAILABLE,
      -1,
      -1,
    ]);
  });
});
