/**
 * GetClusterStatus: the replicas (and which leads), edges and storage nodes the metadata
 * view holds, with each storage node's assigned and owned partitions, and what is amiss
 * (partitions no node holds, group shards no replica holds). The leader comes from
 * `controlplane/leader` in etcd, the rest from the view.
 */
import { create } from '@bufbuild/protobuf';
import {
  ControlplaneReplicaSchema,
  EdgeStatusSchema,
  GetClusterStatusResponseSchema,
  StorageNodeStatusSchema,
  type GetClusterStatusResponse,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { keys } from '../../../lib/metadata/keys.js';
import { decodeLeaderRecord } from '../../../lib/metadata/leader-record.js';
import { edgeBrokerId } from '../../../lib/metadata/topic-records.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

async function leaderId(store: MetadataStore): Promise<string> {
  const kv = await store.get(keys.controlplaneLeader());
  if (kv === undefined) return '';
  try {
    return decodeLeaderRecord(kv.key, kv.value).replicaId;
  } catch {
    return '';
  }
}

function increment(counts: Map<string, number>, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

export async function clusterStatus(
  store: MetadataStore,
  view: MetadataView,
  clusterId: string,
): Promise<GetClusterStatusResponse> {
  const leader = await leaderId(store);
  const assigned = new Map<string, number>();
  const owned = new Map<string, number>();
  let partitionCount = 0;
  let unowned = 0;
  const topics = view.topics();
  for (const t of topics) {
    const { topicId, partitions } = t.record;
    const assignments = view.assignmentsOf(topicId);
    for (let p = 0; p < partitions; p++) {
      partitionCount++;
      const node = assignments.get(p);
      if (node !== undefined) increment(assigned, node);
      const owner = view.owner(topicId, p);
      if (owner === undefined) unowned++;
      else increment(owned, owner.owner);
    }
  }
  const shardsByReplica = new Map<string, number>();
  for (const [, claim] of view.groupShards()) increment(shardsByReplica, claim.replicaId);
  const shardCount = view.groupShardCount();
  const drained = view.drainedNodes();
  return create(GetClusterStatusResponseSchema, {
    clusterId,
    leaderId: leader,
    controlplaneReplicas: view.controlplaneReplicas().map((r) =>
      create(ControlplaneReplicaSchema, {
        id: r.id,
        address: `${r.host}:${r.port}`,
        version: r.version,
        leader: r.id === leader,
        groupShards: shardsByReplica.get(r.id) ?? 0,
        startedAtMs: BigInt(r.startedAtMs),
      }),
    ),
    edges: view.edges().map((e) =>
      create(EdgeStatusSchema, {
        brokerId: edgeBrokerId(e.id) ?? -1,
        address: `${e.host}:${e.port}`,
        version: e.version,
        rack: e.rack ?? '',
        startedAtMs: BigInt(e.startedAtMs),
      }),
    ),
    storageNodes: view.storageNodes().map((n) =>
      create(StorageNodeStatusSchema, {
        id: n.id,
        address: `${n.host}:${n.port}`,
        version: n.version,
        assignedPartitions: assigned.get(n.id) ?? 0,
        ownedPartitions: owned.get(n.id) ?? 0,
        draining: drained.has(n.id),
        startedAtMs: BigInt(n.startedAtMs),
      }),
    ),
    topicCount: topics.length,
    partitionCount,
    unownedPartitions: unowned,
    groupShardCount: shardCount,
    unheldGroupShards: Math.max(0, shardCount - view.groupShards().length),
  });
}
