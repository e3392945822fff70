/**
 * ListGroups (key 16): every controlplane replica holding group shards is asked for its
 * groups, and this edge lists only the groups it is the FindCoordinator answer for (every
 * group in single-address mode). An admin client asks each broker and merges the answers,
 * so each group shows up once. When a shard has no holder, a replica does not answer, or
 * the answers do not cover every shard, what was gathered is returned with
 * COORDINATOR_LOAD_IN_PROGRESS.
 *
 * v1: throttle time. v2: same as v1. v3: flexible. v4: states filter and each group's state
 * (KIP-518). v5: types filter and each group's type (KIP-848; only "classic" groups here).
 *
 * Authorization (Kafka's): with DESCRIBE on the cluster every group is listed, else only
 * the groups the principal may DESCRIBE.
 */
import {
  listGroupsApi,
  type ListGroupsRequest,
  type ListGroupsResponse,
  type ListGroupsResponseListedGroup,
} from '../../../lib/kafka/gen/index.js';
import type { ListGroupsResponse as ReplicaListing } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ClusterView } from '../cluster-view.js';
import {
  coordinatorEdge,
  GROUP_CALL_TIMEOUT_MS,
  type GroupCoordinators,
} from '../routing/group-coordinators.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import {
  allowEverything,
  onCluster,
  type RequestAuthorizer,
} from '../security/request-authorizer.js';

export function listGroupsHandler(
  cluster: ClusterView,
  coordinators: GroupCoordinators,
  singleAddress: boolean,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<ListGroupsRequest, ListGroupsResponse> {
  return {
    api: listGroupsApi,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
      const { holders, shardCount, unheld } = coordinators.holders();
      const listsAll = onCluster(authorizer, ctx, AclOperation.DESCRIBE);
      const visible = (groupId: string) =>
        listsAll || authorizer.authorize(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, groupId);
      const listings = await Promise.all(
        holders.map(async (h): Promise<ReplicaListing | undefined> => {
          try {
            return await h.client.listGroups(
              { statesFilter: request.statesFilter, typesFilter: request.typesFilter },
              { timeoutMs: GROUP_CALL_TIMEOUT_MS },
            );
          } catch (err) {
            ctx.log.warn({ err, shards: h.shards }, 'group coordinator call failed');
            return undefined;
          }
        }),
      );
      let errorCode =
        shardCount < 1 || unheld.length > 0 ? KafkaError.COORDINATOR_LOAD_IN_PROGRESS : 0;
      const covered = new Set<number>();
      const self = cluster.self().nodeId;
      const groups = new Map<string, ListGroupsResponseListedGroup>();
      for (const listing of listings) {
        if (listing === undefined) {
          errorCode = KafkaError.COORDINATOR_LOAD_IN_PROGRESS;
          continue;
        }
        if (listing.errorCode !== 0 && errorCode === 0) errorCode = listing.errorCode;
        for (const s of listing.shards) covered.add(s);
        for (const g of listing.groups) {
          if (groups.has(g.groupId) || !visible(g.groupId)) continue;
          if (coordinatorEdge(cluster, g.groupId, singleAddress).nodeId !== self) continue;
          groups.set(g.groupId, {
            groupId: g.groupId,
            protocolType: g.protocolType,
            groupState: g.groupState,
            groupType: g.groupType,
          });
        }
      }
      for (let s = 0; s < shardCount && errorCode === 0; s++)
        if (!covered.has(s)) errorCode = KafkaError.COORDINATOR_LOAD_IN_PROGRESS;
      return { throttleTimeMs: 0, errorCode, groups: [...groups.values()] };
    },
  };
}
