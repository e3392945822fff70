/**
 * The GroupCoordinatorService gRPC API (proto/kafscale/controlplane/v1/groups.proto) over
 * this replica's GroupCoordinator. Kafka errors travel as data; a request for a group of
 * a shard this replica does not hold is answered NOT_COORDINATOR, and the edge passes that
 * on so the client looks the coordinator up again.
 */
import { create } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import {
  DeleteGroupsResponseSchema,
  DescribeGroupsResponseSchema,
  HeartbeatResponseSchema,
  JoinGroupResponseSchema,
  LeaveGroupResponseSchema,
  ListGroupsResponseSchema,
  OffsetCommitResponseSchema,
  OffsetDeleteResponseSchema,
  OffsetFetchResponseSchema,
  SyncGroupResponseSchema,
  type GroupCoordinatorService,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { GroupCoordinator } from '../groups/group-coordinator.js';

export function groupService(
  coordinator: GroupCoordinator,
): ServiceImpl<typeof GroupCoordinatorService> {
  return {
    async joinGroup(req) {
      const a = await coordinator.joinGroup(req);
      return create(JoinGroupResponseSchema, {
        ...a,
        members: a.members.map((m) => ({ ...m })),
      });
    },
    async syncGroup(req) {
      return create(SyncGroupResponseSchema, await coordinator.syncGroup(req));
    },
    heartbeat(req) {
      return create(HeartbeatResponseSchema, { errorCode: coordinator.heartbeat(req) });
    },
    leaveGroup(req) {
      return create(LeaveGroupResponseSchema, coordinator.leaveGroup(req));
    },
    async offsetCommit(req) {
      return create(OffsetCommitResponseSchema, await coordinator.offsetCommit(req));
    },
    offsetFetch(req) {
      return create(OffsetFetchResponseSchema, {
        groups: req.groups.map((g) => coordinator.offsetFetch(g)),
      });
    },
    async offsetDelete(req) {
      return create(OffsetDeleteResponseSchema, await coordinator.offsetDelete(req));
    },
    describeGroups(req) {
      return create(DescribeGroupsResponseSchema, coordinator.describeGroups(req.groupIds));
    },
    listGroups(req) {
      const { groups, shards } = coordinator.listGroups(req);
      return create(ListGroupsResponseSchema, { errorCode: KafkaError.NONE, groups, shards });
    },
    async deleteGroups(req) {
      return create(DeleteGroupsResponseSchema, {
        results: await coordinator.deleteGroups(req.groupIds),
      });
    },
  };
}
