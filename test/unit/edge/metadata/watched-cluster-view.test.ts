import { create } from '@bufbuild/protobuf';
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  ControlPlaneService,
  WatchMetadataResponseSchema,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { WatchedClusterView } from '../../../../edge/src/metadata/watched-cluster-view.js';
import { topicIdToBytes } from '../../../../lib/metadata/topic-records.js';

const T1 = 'AAAAAAAAAAAAAAAAAAAAAQ';
const T2 = 'AAAAAAAAAAAAAAAAAAAAAg';
const self = { nodeId: 5, host: 'edge-5', port: 9092, rack: null };

function view(): WatchedClusterView {
  // The client is never used by apply(); a router with no services stands in.
  const client = createClient(
    ControlPlaneService,
    createRouterTransport(() => undefined),
  );
  return new WatchedClusterView(self, client, 'test', pino({ level: 'silent' }));
}

const snapshot = create(WatchMetadataResponseSchema, {
  revision: 10n,
  event: {
    case: 'snapshot',
    value: {
      clusterId: 'c1',
      topics: [
        {
          topicId: topicIdToBytes(T1),
          name: 'orders',
          partitionCount: 2,
          configs: { 'retention.ms': '1000' },
          partitions: [{ partition: 0, storageNodeId: 's1', leaderEpoch: 3 }],
        },
      ],
      edges: [{ nodeId: 1, host: 'edge-1', port: 9092, rack: 'a' }],
      storageNodes: [{ nodeId: 's1', host: '10.0.0.1', port: 19095 }],
    },
  },
});

describe('WatchedClusterView', () => {
  it('builds the view from a snapshot, this edge always included', () => {
    const v = view();
    v.apply(snapshot);
    expect(v.clusterId).toBe('c1');
    expect(v.edges().map((e) => e.nodeId)).toEqual([1, 5]);
    expect(v.topic('orders')).toEqual({
      name: 'orders',
      topicId: T1,
      configs: { 'retention.ms': '1000' },
      partitions: [
        { index: 0, storageNodeId: 's1', leaderEpoch: 3 },
        { index: 1, storageNodeId: undefined, leaderEpoch: -1 },
      ],
    });
    expect(v.storageNode('s1')).toEqual({ host: '10.0.0.1', port: 19095 });
    expect(v.lastRevision).toBe(10n);
  });

  it('applies updates: new topics, moved partitions, deletions, nodes leaving', () => {
    const v = view();
    v.apply(snapshot);
    v.apply(
      create(WatchMetadataResponseSchema, {
        revision: 11n,
        event: {
          case: 'update',
          value: {
            topics: [
              { topicId: topicIdToBytes(T2), name: 'events', partitionCount: 1, partitions: [] },
            ],
            partitionAssignments: [
              {
                topicId: topicIdToBytes(T1),
                partitions: [{ partition: 1, storageNodeId: 's2', leaderEpoch: 1 }],
              },
            ],
            removedEdgeIds: [1],
            storageNodes: [{ nodeId: 's2', host: '10.0.0.2', port: 19095 }],
          },
        },
      }),
    );
    expect(v.topic('orders')?.partitions[1]).toEqual({
      index: 1,
      storageNodeId: 's2',
      leaderEpoch: 1,
    });
    expect(v.topicById(T2)?.name).toBe('events');
    expect(v.edges().map((e) => e.nodeId)).toEqual([5]);
    v.apply(
      create(WatchMetadataResponseSchema, {
        revision: 12n,
        event: {
          case: 'update',
          value: { deletedTopicIds: [topicIdToBytes(T1)], removedStorageNodeIds: ['s1'] },
        },
      }),
    );
    expect(v.topic('orders')).toBeUndefined();
    expect(v.topicById(T1)).toBeUndefined();
    expect(v.storageNode('s1')).toBeUndefined();
    expect(v.topics().map((t) => t.name)).toEqual(['events']);
  });

  it('knows the group shard count and holders: snapshot, then released before claimed', () => {
    const v = view();
    expect([v.groupShardCount(), v.groupShardHolder(0)]).toEqual([0, undefined]);
    v.apply(
      create(WatchMetadataResponseSchema, {
        revision: 20n,
        event: {
          case: 'snapshot',
          value: {
            clusterId: 'c1',
            groupShardCount: 4,
            groupShards: [
              { shard: 0, replicaId: 'cp-1', address: '10.0.0.5:19091', epoch: 3n },
              { shard: 1, replicaId: 'cp-2', address: '10.0.0.6:19091', epoch: 1n },
            ],
          },
        },
      }),
    );
    expect(v.groupShardCount()).toBe(4);
    expect(v.groupShardHolder(0)).toEqual({
      replicaId: 'cp-1',
      address: '10.0.0.5:19091',
      epoch: 3n,
    });
    expect(v.groupShardHolder(2)).toBeUndefined();
    v.apply(
      create(WatchMetadataResponseSchema, {
        revision: 21n,
        event: {
          case: 'update',
          value: {
            // Shard 1 moves to cp-1 within one update: released by cp-2, claimed by cp-1.
            releasedGroupShards: [0, 1],
            groupShards: [
              { shard: 1, replicaId: 'cp-1', address: '10.0.0.5:19091', epoch: 2n },
              { shard: 3, replicaId: 'cp-2', address: '10.0.0.6:19091', epoch: 1n },
            ],
          },
        },
      }),
    );
    expect(v.groupShardHolder(0)).toBeUndefined();
    expect(v.groupShardHolder(1)).toEqual({
      replicaId: 'cp-1',
      address: '10.0.0.5:19091',
      epoch: 2n,
    });
    expect(v.groupShardHolder(3)?.replicaId).toBe('cp-2');
    v.apply(snapshot);
    expect([v.groupShardCount(), v.groupShardHolder(1)]).toEqual([0, undefined]);
  });
});
