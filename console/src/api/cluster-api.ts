/**
 * GET /ui/api/cluster: the cluster's health from GetClusterStatus, with the problems an
 * operator should look at spelled out (no leader, partitions or group shards nobody holds,
 * no edge, no storage node, draining nodes).
 */
import type { NodeLoad } from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { int64 } from './json-values.js';
import { ADMIN_CALL_TIMEOUT_MS, type AdminClient } from './admin-client.js';

/** A node's reported load; figures are null (shown "unavailable") when it did not report. */
function loadView(load: NodeLoad | undefined) {
  const reported = load?.reported === true;
  const n = (v: bigint | undefined) => (reported && v !== undefined ? int64(v) : null);
  const x = (v: number | undefined) => (reported && v !== undefined ? v : null);
  return {
    reported,
    error: reported ? null : (load?.error ?? 'no load in the status'),
    connections: n(load?.connections),
    produceRecordsPerSec: x(load?.produceRecordsPerSec),
    fetchRecordsPerSec: x(load?.fetchRecordsPerSec),
    inflightBytes: n(load?.inflightBytes),
    bufferedBytes: n(load?.bufferedBytes),
    rssBytes: n(load?.rssBytes),
    eventLoopLagSeconds: x(load?.eventLoopLagSeconds),
  };
}

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
      load: loadView(e.load),
    })),
    storageNodes: s.storageNodes.map((n) => ({
      id: n.id,
      address: n.address,
      version: n.version,
      assignedPartitions: n.assignedPartitions,
      ownedPartitions: n.ownedPartitions,
      draining: n.draining,
      startedAtMs: int64(n.startedAtMs),
      load: loadView(n.load),
    })),
  };
}
