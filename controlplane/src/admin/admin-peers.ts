/**
 * The other services the admin API calls: storage nodes (force a flush, offsets by
 * timestamp) and the replicas that coordinate group shards (groups live in their memory).
 * Dialed by the addresses the metadata view holds; `kafscale dev` passes in-process
 * clients instead.
 */
import { createClient, type Client } from '@connectrpc/connect';
import { GroupCoordinatorService } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { StorageService } from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import type { GrpcDialer } from '../../../lib/grpc/grpc-dialer.js';
import type { NodeRecord } from '../../../lib/metadata/topic-records.js';
import type { ShardClaim } from '../groups/group-record.js';

export type StorageClient = Client<typeof StorageService>;
export type GroupClient = Client<typeof GroupCoordinatorService>;

export interface AdminPeers {
  /** A client of a live storage node's StorageService. */
  storage(node: NodeRecord): StorageClient;
  /** A client of the GroupCoordinatorService of the replica holding a shard. */
  groups(holder: ShardClaim): GroupClient;
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Peers dialed over gRPC, one transport per address. */
export function dialingAdminPeers(dialer: GrpcDialer): AdminPeers {
  const storage = new Map<string, StorageClient>();
  const groups = new Map<string, GroupClient>();
  return {
    storage(node) {
      const address = hostPort(node.host, node.port);
      let client = storage.get(address);
      if (client === undefined) {
        client = createClient(StorageService, dialer.transport(address));
        storage.set(address, client);
      }
      return client;
    },
    groups(holder) {
      let client = groups.get(holder.address);
      if (client === undefined) {
        client = createClient(GroupCoordinatorService, dialer.transport(holder.address));
        groups.set(holder.address, client);
      }
      return client;
    },
  };
}
