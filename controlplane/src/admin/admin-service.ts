/**
 * The AdminService gRPC API (proto/kafscale/admin/v1), served by every controlplane
 * replica. Each method is one module of this folder; this file only routes to them.
 */
import type { ServiceImpl } from '@connectrpc/connect';
import type { AdminService } from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import type { AdminPeers } from './admin-peers.js';
import { orUnavailable } from '../services/or-unavailable.js';
import { clusterStatus } from './cluster-status.js';
import { readNodeLoad } from './node-load.js';
import { flushStorageNodes } from './flush-admin.js';
import { describeGroup, listGroups } from './group-admin.js';
import { resetGroupOffsets } from './group-offset-reset.js';
import {
  drainStorageNode,
  listAssignments,
  movePartition,
  resumeStorageNode,
} from './placement-admin.js';
import {
  alterTopicConfigs,
  createTopic,
  createTopicPartitions,
  deleteTopic,
  describeTopic,
  listTopics,
} from './topic-admin.js';

export interface AdminServiceOptions {
  readonly store: MetadataStore;
  readonly view: MetadataView;
  readonly registry: TopicRegistry;
  readonly clusterId: string;
  readonly peers: AdminPeers;
}

export function adminService(o: AdminServiceOptions): ServiceImpl<typeof AdminService> {
  return {
    getClusterStatus: (req) =>
      orUnavailable('GetClusterStatus', () =>
        clusterStatus(o.store, o.view, o.clusterId, req.skipLoad ? undefined : readNodeLoad),
      ),
    listTopics: () => listTopics(o.view),
    describeTopic: (req) => describeTopic(o, req.name),
    createTopic: (req) => createTopic(o, req),
    deleteTopic: (req) => deleteTopic(o, req.name),
    alterTopicConfigs: (req) => alterTopicConfigs(o, req),
    createPartitions: (req) => createTopicPartitions(o, req),
    listAssignments: (req) => listAssignments(o.view, req),
    movePartition: (req) => movePartition(o, req),
    drainStorageNode: (req, ctx) => drainStorageNode(o, req.node, ctx.signal),
    resumeStorageNode: (req) => resumeStorageNode(o, req.node),
    flushStorageNodes: (req) => flushStorageNodes(o.view, o.peers, req.node),
    listGroups: () => listGroups(o),
    describeGroup: (req) => describeGroup(o, req.groupId),
    resetGroupOffsets: (req) => resetGroupOffsets(o, req),
  };
}
