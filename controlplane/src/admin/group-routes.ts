/**
 * Which controlplane replica to ask about a group: the holder of the group's shard, as
 * the metadata view reports it. No holder (a replica just died, its lease not yet taken
 * over) is UNAVAILABLE naming the shard; the caller may retry.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import { groupShardOf } from '../../../lib/groups/group-shard.js';
import type { ShardClaim } from '../groups/group-record.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import type { AdminPeers, GroupClient } from './admin-peers.js';
import { invalidArgument } from './admin-errors.js';

export function groupClientFor(
  view: MetadataView,
  peers: AdminPeers,
  groupId: string,
): GroupClient {
  if (groupId === '') throw invalidArgument('a group id is required');
  const count = view.groupShardCount();
  if (count < 1) throw new ConnectError('the group shard count is not known yet', Code.Unavailable);
  const shard = groupShardOf(groupId, count);
  const holder = view.groupShard(shard);
  if (holder === undefined) {
    throw new ConnectError(
      `group '${groupId}' is in shard ${shard}, which no controlplane replica holds now`,
      Code.Unavailable,
    );
  }
  return peers.groups(holder);
}

/** Every replica that holds shards, once each, with the shards the view says it holds. */
export function groupHolders(view: MetadataView): { holder: ShardClaim; shards: number[] }[] {
  const byReplica = new Map<string, { holder: ShardClaim; shards: number[] }>();
  for (const [shard, claim] of view.groupShards()) {
    const entry = byReplica.get(claim.replicaId) ?? { holder: claim, shards: [] };
    entry.shards.push(shard);
    byReplica.set(claim.replicaId, entry);
  }
  return [...byReplica.values()];
}
