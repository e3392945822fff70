/**
 * `kafscale controlplane`: one controlplane replica serving ControlPlaneService on
 * KAFSCALE_CONTROLPLANE_ADDR; replicas elect a leader through etcd.
 */
import { randomBytes } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import { dialingAdminPeers } from '../../../controlplane/src/admin/admin-peers.js';
import { startControlplane } from '../../../controlplane/src/controlplane.js';
import { adminAuthorization } from '../../../controlplane/src/admin/admin-authorization.js';
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
import { openAdminAccess } from './admin-access.js';
import { lateBound } from './late-bound.js';
import { advertisedFor } from './advertised.js';
import { startObservability } from './observability.js';
import { openMetadataStore } from './open-stores.js';
import { openServiceSecurity } from './service-security.js';
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
  // The AdminService's ACL rule needs the controlplane's view, which exists once started too.
  const bound: {
    service?: Awaited<ReturnType<typeof startControlplane>>;
    authorization?: ReturnType<typeof adminAuthorization>;
  } = {};
  const security = await openServiceSecurity(config, log);
  const adminAccess = await openAdminAccess(
    config,
    log,
    security.serverTls !== undefined,
    () => bound.authorization?.authorize,
  );
  const server = await serveGrpc(
    config.controlplaneAddr,
    (r) => {
      r.service(
        ControlPlaneService,
        lateBound(() => ready().service),
      );
      // Edges dial a replica only once its shard claims name it, which is after start-up.
      r.service(
        GroupCoordinatorService,
        lateBound(() => ready().groupService),
      );
      r.service(
        AdminService,
        lateBound(() => ready().adminService),
        { interceptors: [adminAccess.interceptor] },
      );
    },
    security.serverTls,
  );
  const ready = () => {
    if (bound.service === undefined)
      throw new ConnectError('controlplane is starting', Code.Unavailable);
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
    adminPeers: dialingAdminPeers(security.dialer),
    onError: (err) => {
      log.error({ err }, 'controlplane error');
    },
  });
  bound.service = started;
  bound.authorization = adminAuthorization(config.authorizer, started.view);
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
      security.stop();
      adminAccess.stop();
      bound.authorization?.stop();
      await metadata.close();
      await obs.close();
    },
  };
}
