/**
 * GET /ui/api/cluster: the cluster's health from GetClusterStatus, with the problems an
 * operator should look at spelled out (no leader, partitions or group shards nobody holds,
 * no edge, no storage node, draining nodes).
 */
import { int64 } from './json-values.js';
import { ADMIN_CALL_TIMEOUT_MS, type AdminClient } from './admin-client.js';

export async function clusterView(admin: AdminClient) {
  const s = await admin.getClusterStatus({}, { timeoutMs: ADMIN_CALL_TIMEOUT_MS });
  const problems: string[] = [];
  if (s.leaderId === '') problems.push('no controlplane replica leads');
  if (s.edges.length === 0) problems.push('no edge is registered');
  if (s.storageNodes.length === 0) problems.push('no storage node is registered');
  if (s.unownedPartitions > 0) {
    problems.push(`${s.unownedPartitions} partition(s) are held by no storage node`);
  }
  if (s.unheldGroupShards > 0) {
    problems.push(`${s.unheldGroupShards} group shard(s) are held by no controlplane replica`);
  }
  const draining = s.storageNodes.filter((n) => n.draining).map((n) => n.id);
  if (draining.length > 0) problems.push(`draining: ${draining.join(', ')}`);
  return {
    clusterId: s.clusterId,
    leaderId: s.leaderId === '' ? null : s.leaderId,
    healthy: problems.length === 0,
    problems,
    topicCount: s.topicCount,
    partitionCount: s.partitionCount,
    unownedPartitions: s.unownedPartitions,
    groupShardCount: s.groupShardCount,
    unheldGroupShards: s.unheldGroupShards,
    controlplanes: s.controlplaneReplicas.map((r) => ({
      id: r.id,
      address: r.address,
      version: r.version,
      leader: r.leader,
      groupShards: r.groupShards,
      startedAtMs: int64(r.startedAtMs),
    })),
    edges: s.edges.map((e) => ({
      brokerId: e.brokerId,
      address: e.address,
      version: e.version,
      rack: e.rack === '' ? null : e.rack,
      startedAtMs: int64(e.startedAtMs),
    })),
    storageNodes: s.storageNodes.map((n) => ({
      id: n.id,
      address: n.address,
      version: n.version,
      assignedPartitions: n.assignedPartitions,
      ownedPartitions: n.ownedPartitions,
      draining: n.draining,
      startedAtMs: int64(n.startedAtMs),
    })),
  };
}
