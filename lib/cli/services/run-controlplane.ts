/**
 * `kafscale controlplane`: one controlplane replica serving ControlPlaneService on
 * KAFSCALE_CONTROLPLANE_ADDR; replicas elect a leader through etcd.
 */
import { randomBytes } from 'node:crypto';
import { startControlplane } from '../../../controlplane/src/controlplane.js';
import { leaderMetrics } from '../../../controlplane/src/election/leader-metrics.js';
import { groupLagMetric } from '../../../controlplane/src/groups/group-lag-metric.js';
import { groupMetrics } from '../../../controlplane/src/groups/group-metrics.js';
import type { KafscaleConfig } from '../../config/config.js';
import { AdminService } from '../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { ControlPlaneService } from '../../gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { GroupCoordinatorService } from '../../gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { serveGrpc } from '../../grpc/serve-grpc.js';
import type { Logger } from '../../log/logger.js';
import { ensureClusterId } from '../../metadata/cluster-id.js';
import { VERSION } from '../version.js';
import { advertisedFor } from './advertised.js';
import { startObservability } from './observability.js';
import { openMetadataStore } from './open-stores.js';
import type { RunningService } from './running-service.js';

export async function runControlplane(
  config: KafscaleConfig,
  log: Logger,
): Promise<RunningService> {
  const obs = await startObservability(config, log);
  const metadata = obs.metadata(await openMetadataStore(config, log));
  const clusterId = await ensureClusterId(metadata);
  const replicaId = `controlplane-${randomBytes(4).toString('hex')}`;
  // The service is bound late: the server must be listening before the address is known.
  const bound: { service?: Awaited<ReturnType<typeof startControlplane>> } = {};
  const server = await serveGrpc(config.controlplaneAddr, (r) => {
    r.service(ControlPlaneService, {
      createTopics: (req, ctx) => ready().service.createTopics(req, ctx),
      deleteTopics: (req, ctx) => ready().service.deleteTopics(req, ctx),
      watchMetadata: (req, ctx) => ready().service.watchMetadata(req, ctx),
      createPartitions: (req, ctx) => ready().service.createPartitions(req, ctx),
      describeConfigs: (req, ctx) => ready().service.describeConfigs(req, ctx),
      alterConfigs: (req, ctx) => ready().service.alterConfigs(req, ctx),
      initProducerId: (req, ctx) => ready().service.initProducerId(req, ctx),
      alterUserScramCredentials: (req, ctx) => ready().service.alterUserScramCredentials(req, ctx),
      describeUserScramCredentials: (req, ctx) =>
        ready().service.describeUserScramCredentials(req, ctx),
      createAcls: (req, ctx) => ready().service.createAcls(req, ctx),
      describeAcls: (req, ctx) => ready().service.describeAcls(req, ctx),
      deleteAcls: (req, ctx) => ready().service.deleteAcls(req, ctx),
    });
    // Edges dial a replica only once its shard claims name it, which is after start-up.
    const groups = () => ready().groupService;
    r.service(GroupCoordinatorService, {
      joinGroup: (req, ctx) => groups().joinGroup(req, ctx),
      syncGroup: (req, ctx) => groups().syncGroup(req, ctx),
      heartbeat: (req, ctx) => groups().heartbeat(req, ctx),
      leaveGroup: (req, ctx) => groups().leaveGroup(req, ctx),
      offsetCommit: (req, ctx) => groups().offsetCommit(req, ctx),
      offsetFetch: (req, ctx) => groups().offsetFetch(req, ctx),
      offsetDelete: (req, ctx) => groups().offsetDelete(req, ctx),
      describeGroups: (req, ctx) => groups().describeGroups(req, ctx),
      listGroups: (req, ctx) => groups().listGroups(req, ctx),
      deleteGroups: (req, ctx) => groups().deleteGroups(req, ctx),
    });
    const admin = () => ready().adminService;
    r.service(AdminService, {
      getClusterStatus: (req, ctx) => admin().getClusterStatus(req, ctx),
      listTopics: (req, ctx) => admin().listTopics(req, ctx),
      describeTopic: (req, ctx) => admin().describeTopic(req, ctx),
      createTopic: (req, ctx) => admin().createTopic(req, ctx),
      deleteTopic: (req, ctx) => admin().deleteTopic(req, ctx),
      alterTopicConfigs: (req, ctx) => admin().alterTopicConfigs(req, ctx),
      createPartitions: (req, ctx) => admin().createPartitions(req, ctx),
      listAssignments: (req, ctx) => admin().listAssignments(req, ctx),
      movePartition: (req, ctx) => admin().movePartition(req, ctx),
      drainStorageNode: (req, ctx) => admin().drainStorageNode(req, ctx),
      resumeStorageNode: (req, ctx) => admin().resumeStorageNode(req, ctx),
      flushStorageNodes: (req, ctx) => admin().flushStorageNodes(req, ctx),
      listGroups: (req, ctx) => admin().listGroups(req, ctx),
      describeGroup: (req, ctx) => admin().describeGroup(req, ctx),
      resetGroupOffsets: (req, ctx) => admin().resetGroupOffsets(req, ctx),
    });
  });
  const ready = () => {
    if (bound.service === undefined) throw new Error('controlplane is starting');
    return bound.service;
  };
  const advertised = advertisedFor(config, config.controlplaneAddr, server.port);
  const started = await startControlplane({
    replicaId,
    metadata,
    clusterId,
    defaultPartitions: config.defaultPartitions,
    leaseTtlSeconds: config.storage.leaseTtlSeconds,
    address: `${advertised.host}:${advertised.port}`,
    version: VERSION,
    groupShards: config.groups.shardCount,
    groupSettings: config.groups,
    edgeSettings: {
      autoCreateTopics: config.autoCreateTopics,
      maxRequestBytes: config.maxRequestBytes,
    },
    onError: (err) => {
      log.error({ err }, 'controlplane error');
    },
  });
  bound.service = started;
  const untrackGroups = groupMetrics(obs.registry).track(started.groups, started.groupWriter);
  const untrackLeader = leaderMetrics(obs.registry).track(started.election);
  const untrackLag = groupLagMetric(obs.registry).track(started.groups, started.view, metadata);
  obs.setReady(true);
  log.info({ replicaId, advertised }, 'controlplane started');
  return {
    description: `controlplane ${replicaId} serving gRPC on ${advertised.host}:${advertised.port}, metrics on port ${obs.metricsPort}`,
    stop: async () => {
      obs.setReady('stopping');
      untrackGroups();
      untrackLeader();
      untrackLag();
      await started.stop();
      await server.close();
      await metadata.close();
      await obs.close();
    },
  };
}
