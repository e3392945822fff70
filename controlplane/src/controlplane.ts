/**
 * One controlplane replica: the metadata view (one watch of `/kafscale/`), the leader
 * election, the assignment runner (running only while this replica leads, fenced on its
 * election), and the ControlPlaneService, GroupCoordinatorService and AdminService
 * implementations over them.
 */
import { plainDialer } from '../../lib/grpc/grpc-dialer.js';
import type { ServiceImpl } from '@connectrpc/connect';
import type { AdminService } from '../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import type { ControlPlaneService } from '../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import type { GroupCoordinatorService } from '../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { ensureGroupShardCount } from '../../lib/groups/group-shard-count.js';
import type { MetadataStore } from '../../lib/stores/metadata-store.js';
import { dialingAdminPeers, type AdminPeers } from './admin/admin-peers.js';
import { adminService } from './admin/admin-service.js';
import { AssignmentRunner } from './assignment/assignment-runner.js';
import { LeaderElection } from './election/leader-election.js';
import { MetadataView } from './metadata-view/metadata-view.js';
import { followTopicDeletions } from './groups/deleted-topics.js';
import { GroupCoordinator } from './groups/group-coordinator.js';
import { DEFAULT_GROUP_SETTINGS, type GroupSettings } from './groups/group-settings.js';
import { GroupWriter } from './groups/group-writer.js';
import { ShardKeeper } from './groups/shard-keeper.js';
import { ProducerIdAllocator } from './producers/producer-id-allocator.js';
import { DEFAULT_BROKER_SETTINGS } from './configs/broker-configs.js';
import { controlPlaneService } from './services/controlplane-service.js';
import { groupService } from './services/group-service.js';
import { TopicRegistry } from './topics/topic-registry.js';

export interface ControlplaneOptions {
  readonly replicaId: string;
  readonly metadata: MetadataStore;
  readonly clusterId: string;
  /** Partitions of a topic created with -1. */
  readonly defaultPartitions: number;
  readonly leaseTtlSeconds: number;
  /**
   * Where this replica's gRPC services are reachable (recorded in the leader key and in
   * its group shard claims; edges dial it). Default "in-process:0" (embedded use).
   */
  readonly address?: string;
  /** The software version, recorded in the replica's registration. */
  readonly version?: string;
  /** Group shards of a new cluster (default 16; an existing cluster keeps its count). */
  readonly groupShards?: number;
  readonly groupSettings?: Partial<GroupSettings>;
  /**
   * Edge settings DescribeConfigs reports as broker configs (auto.create.topics.enable,
   * socket.request.max.bytes); Kafka's defaults when absent.
   */
  readonly edgeSettings?: { readonly autoCreateTopics: boolean; readonly maxRequestBytes: number };
  /** The most partitions one topic may have (default 100,000). */
  readonly maxPartitions?: number;
  /** Quiet time after a metadata change before re-planning assignments (default 50 ms). */
  readonly assignDebounceMs?: number;
  /** Wait before a deposed replica campaigns again (default 500 ms). */
  readonly recampaignDelayMs?: number;
  /** How the admin API reaches storage nodes and group coordinators (default: dialed). */
  readonly adminPeers?: AdminPeers;
  readonly onError?: (error: unknown) => void;
}

export interface Controlplane {
  readonly service: ServiceImpl<typeof ControlPlaneService>;
  readonly adminService: ServiceImpl<typeof AdminService>;
  readonly view: MetadataView;
  readonly election: LeaderElection;
  readonly registry: TopicRegistry;
  readonly groupService: ServiceImpl<typeof GroupCoordinatorService>;
  readonly groups: GroupCoordinator;
  readonly groupWriter: GroupWriter;
  readonly shards: ShardKeeper;
  stop(): Promise<void>;
}

export async function startControlplane(options: ControlplaneOptions): Promise<Controlplane> {
  const { metadata, onError } = options;
  // Before the view starts, so that every metadata snapshot carries the shard count.
  const shardCount = await ensureGroupShardCount(metadata, options.groupShards ?? 16);
  const view = await MetadataView.start(metadata, { ...(onError ? { onError } : {}) });
  const registry = new TopicRegistry(metadata, {
    defaultPartitions: options.defaultPartitions,
    ...(options.maxPartitions === undefined ? {} : { maxPartitions: options.maxPartitions }),
  });
  const election = new LeaderElection(metadata, {
    replicaId: options.replicaId,
    leaseTtlSeconds: options.leaseTtlSeconds,
    ...(options.address === undefined ? {} : { address: options.address }),
    ...(options.recampaignDelayMs === undefined
      ? {}
      : { recampaignDelayMs: options.recampaignDelayMs }),
    ...(onError ? { onError } : {}),
  });

  let runner: AssignmentRunner | undefined;
  let stopping: Promise<void> = Promise.resolve();
  const stopRunner = (): void => {
    const r = runner;
    runner = undefined;
    if (r !== undefined) stopping = stopping.then(() => r.stop());
  };
  election.on((event) => {
    stopRunner();
    if (event.type !== 'elected') return;
    const r = new AssignmentRunner({
      store: metadata,
      view,
      fence: () => election.fence(),
      ...(options.assignDebounceMs === undefined ? {} : { debounceMs: options.assignDebounceMs }),
      ...(onError ? { onError } : {}),
    });
    runner = r;
    r.start();
  });
  await election.start();

  const settings = { ...DEFAULT_GROUP_SETTINGS, ...options.groupSettings };
  // The writer reports lost shards to the keeper, which needs the writer: bound late.
  const keeper: { current?: ShardKeeper } = {};
  const groupWriter = new GroupWriter(metadata, {
    intervalMs: settings.commitIntervalMs,
    onShardLost: (shard) => keeper.current?.lost(shard),
  });
  const groups = new GroupCoordinator(metadata, groupWriter, shardCount, settings);
  const shards = new ShardKeeper(metadata, view, groups, groupWriter, {
    replicaId: options.replicaId,
    address: options.address ?? 'in-process:0',
    version: options.version ?? '',
    leaseTtlSeconds: options.leaseTtlSeconds,
    shardCount,
    ...(onError ? { onError } : {}),
  });
  keeper.current = shards;
  const stopFollowingDeletions = followTopicDeletions(view, (names) => {
    void groups.deleteTopicOffsets(names);
  });
  await shards.start();

  return {
    service: controlPlaneService({
      registry,
      store: metadata,
      view,
      clusterId: options.clusterId,
      producerIds: new ProducerIdAllocator(metadata),
      brokerSettings: {
        ...DEFAULT_BROKER_SETTINGS,
        ...options.edgeSettings,
        defaultPartitions: options.defaultPartitions,
        groups: settings,
      },
    }),
    adminService: adminService({
      store: metadata,
      view,
      registry,
      clusterId: options.clusterId,
      peers: options.adminPeers ?? dialingAdminPeers(plainDialer()),
    }),
    view,
    election,
    registry,
    groupService: groupService(groups),
    groups,
    groupWriter,
    shards,
    async stop() {
      stopFollowingDeletions();
      await shards.stop();
      groups.stop();
      await groupWriter.stop();
      stopRunner();
      await stopping;
      await election.stop();
      await view.stop();
    },
  };
}
