import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import type { AdvertisedBroker, ClusterView } from '../../../../edge/src/cluster-view.js';
import { listGroupsHandler } from '../../../../edge/src/handlers/16-list-groups.js';
import {
  ListGroupsResponseSchema,
  type ListGroupsRequest as ProtoListGroupsRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { groupShardOf } from '../../../../lib/groups/group-shard.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { defaultListGroupsRequest } from '../../../../lib/kafka/gen/index.js';
import { groupWorld, roundTrip, SHARDS, type CoordinatorImpl } from './group-harness.js';

const groupIds = Array.from({ length: 30 }, (_, i) => `group-${i}`);

/** A replica listing the groups of the shards it claims to cover. */
function replica(shards: readonly number[]): CoordinatorImpl {
  return {
    listGroups: () =>
      create(ListGroupsResponseSchema, {
        errorCode: 0,
        shards: [...shards],
        groups: groupIds
          .filter((g) => shards.includes(groupShardOf(g, SHARDS)))
          .map((groupId) => ({
            groupId,
            protocolType: 'consumer',
            groupState: 'Stable',
            groupType: 'classic',
          })),
      }),
  };
}

const edges: AdvertisedBroker[] = [1, 2, 3].map((nodeId) => ({
  nodeId,
  host: `edge-${nodeId}`,
  port: 9092,
  rack: null,
}));

/** The same cluster as seen by one of three edges. */
function asEdge(view: ClusterView, self: AdvertisedBroker): ClusterView {
  return {
    clusterId: view.clusterId,
    self: () => self,
    edges: () => edges,
    topic: (n) => view.topic(n),
    topicById: (id) => view.topicById(id),
    topics: () => view.topics(),
    groupShardCount: () => view.groupShardCount(),
    groupShardHolder: (s) => view.groupShardHolder(s),
  };
}

describe('ListGroups', () => {
  it('asks every holder once; each edge lists its own groups, together every group once', async () => {
    const w = groupWorld(replica([0, 1]), replica([2, 3]));
    const listed: string[] = [];
    for (const self of edges) {
      const res = await roundTrip(
        listGroupsHandler(asEdge(w.view, self), w.coordinators, false),
        0,
        defaultListGroupsRequest(),
      );
      expect(res.errorCode).toBe(0);
      expect(res.groups.length).toBeLessThan(groupIds.length);
      listed.push(...res.groups.map((g) => g.groupId));
    }
    expect(listed.sort()).toEqual([...groupIds].sort());
    expect([w.a.calls.length, w.b.calls.length]).toEqual([3, 3]);
  });

  it('lists every group in single-address mode, with state (v4) and type (v5)', async () => {
    const w = groupWorld(replica([0, 1]), replica([2, 3]));
    const res = await roundTrip(
      listGroupsHandler(asEdge(w.view, edges[0] ?? w.view.self()), w.coordinators, true),
      5,
      { statesFilter: ['Stable', 'Empty'], typesFilter: ['classic'] },
    );
    expect(res.groups.map((g) => g.groupId).sort()).toEqual([...groupIds].sort());
    expect(res.groups[0]).toMatchObject({
      protocolType: 'consumer',
      groupState: 'Stable',
      groupType: 'classic',
    });
    expect(w.a.messages<ProtoListGroupsRequest>('ListGroups')[0]).toMatchObject({
      statesFilter: ['Stable', 'Empty'],
      typesFilter: ['classic'],
    });
  });

  it('v4 passes the states filter on', async () => {
    const w = groupWorld(replica([0, 1]), replica([2, 3]));
    await roundTrip(listGroupsHandler(w.view, w.coordinators, true), 4, {
      ...defaultListGroupsRequest(),
      statesFilter: ['Empty'],
    });
    expect(w.b.messages<ProtoListGroupsRequest>('ListGroups')[0]).toMatchObject({
      statesFilter: ['Empty'],
      typesFilter: [],
    });
  });

  it('returns what it gathered with COORDINATOR_LOAD_IN_PROGRESS when a shard is not covered', async () => {
    const onA = groupIds.filter((g) => [0, 1].includes(groupShardOf(g, SHARDS))).sort();
    const w = groupWorld(replica([0, 1]), replica([2, 3]));

    w.b.failing = true;
    const failing = await roundTrip(
      listGroupsHandler(w.view, w.coordinators, true),
      3,
      defaultListGroupsRequest(),
    );
    expect(failing.errorCode).toBe(KafkaError.COORDINATOR_LOAD_IN_PROGRESS);
    expect(failing.groups.map((g) => g.groupId).sort()).toEqual(onA);

    w.b.failing = false;
    w.hold([0, 1], [2]);
    const unheld = await roundTrip(
      listGroupsHandler(w.view, w.coordinators, true),
      3,
      defaultListGroupsRequest(),
    );
    expect(unheld.errorCode).toBe(KafkaError.COORDINATOR_LOAD_IN_PROGRESS);

    // B is said to hold 2 and 3 but covers only 2 (it released 3 meanwhile).
    const stale = groupWorld(replica([0, 1]), replica([2]));
    const res = await roundTrip(
      listGroupsHandler(stale.view, stale.coordinators, true),
      1,
      defaultListGroupsRequest(),
    );
    expect(res.errorCode).toBe(KafkaError.COORDINATOR_LOAD_IN_PROGRESS);
    expect(res.groups.length).toBeGreaterThan(onA.length);

    stale.view.setGroupShards(0);
    const unknown = await roundTrip(
      listGroupsHandler(stale.view, stale.coordinators, true),
      1,
      defaultListGroupsRequest(),
    );
    expect([unknown.errorCode, unknown.groups]).toEqual([
      KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
      [],
    ]);
  });
});
