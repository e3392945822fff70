/**
 * Group coordinators dialed from the addresses the cluster view reports for group shard
 * holders: one gRPC (HTTP/2) transport per address, shared by every shard it holds.
 */
import { createClient } from '@connectrpc/connect';
import type { GrpcDialer } from '../../../lib/grpc/grpc-dialer.js';
import { GroupCoordinatorService } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import type { ClusterView } from '../cluster-view.js';
import {
  ViewGroupCoordinators,
  type GroupCoordinatorClient,
  type GroupCoordinators,
} from './group-coordinators.js';

export function dialingGroupCoordinators(view: ClusterView, dialer: GrpcDialer): GroupCoordinators {
  const clients = new Map<string, GroupCoordinatorClient>();
  return new ViewGroupCoordinators(view, ({ address }) => {
    let client = clients.get(address);
    if (client === undefined) {
      client = createClient(GroupCoordinatorService, dialer.transport(address));
      clients.set(address, client);
    }
    return client;
  });
}
