/**
 * Group coordinators dialed from the addresses the cluster view reports for group shard
 * holders: one gRPC (HTTP/2) transport per address, shared by every shard it holds.
 */
import { createClient } from '@connectrpc/connect';
import { grpcTransport } from '../../../lib/grpc/service-transport.js';
import { GroupCoordinatorService } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import type { ClusterView } from '../cluster-view.js';
import {
  ViewGroupCoordinators,
  type GroupCoordinatorClient,
  type GroupCoordinators,
} from './group-coordinators.js';

export function dialingGroupCoordinators(view: ClusterView): GroupCoordinators {
  const clients = new Map<string, GroupCoordinatorClient>();
  return new ViewGroupCoordinators(view, ({ address }) => {
    let client = clients.get(address);
    if (client === undefined) {
      client = createClient(GroupCoordinatorService, grpcTransport(`http://${address}`));
      clients.set(address, client);
    }
    return client;
  });
}
