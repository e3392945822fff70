/**
 * `kafscale dev`: the embedded default. The controlplane, one storage node and one edge
 * run in this process over the same code paths as in production (the edge calls the other
 * two through gRPC, over an in-memory transport), with a durable in-process metadata store
 * and a local-directory object store under the data dir instead of etcd and S3. With a
 * console address it serves the web console too, over an in-process admin client and this
 * process's own metrics (unless KAFSCALE_CONSOLE_BROKER_METRICS_URL names others).
 */
import { join } from 'node:path';
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { startControlplane } from '../../controlplane/src/controlplane.js';
import { leaderMetrics } from '../../controlplane/src/election/leader-metrics.js';
import { groupLagMetric } from '../../controlplane/src/groups/group-lag-metric.js';
import { groupMetrics } from '../../controlplane/src/groups/group-metrics.js';
import { buildRegistry } from '../../edge/src/edge.js';
import { edgeMetrics } from '../../edge/src/edge-metrics.js';
import { WatchedClusterView } from '../../edge/src/metadata/watched-cluster-view.js';
import { edgeQuotas } from '../../edge/src/quota/edge-quotas.js';
import { ViewGroupCoordinators } from '../../edge/src/routing/group-coordinators.js';
import { FixedStorageClients } from '../../edge/src/routing/storage-clients.js';
import { InflightBudget } from '../../edge/src/server/inflight-budget.js';
import { listenersText, startKafkaListeners } from '../../edge/src/server/kafka-listeners.js';
import type { ListenerAddress } from '../../edge/src/cluster-view.js';
import type { ListenerConfig } from '../config/listeners.js';
import { AssignmentFollower } from '../../storage-node/src/assignment-follower.js';
import { storageService } from '../../storage-node/src/services/storage-service.js';
import type { AdminPeers } from '../../controlplane/src/admin/admin-peers.js';
import { startConsole } from '../../console/src/console.js';
import type { ConsoleServer } from '../../console/src/console-server.js';
import type { KafscaleConfig } from '../config/config.js';
import type { HostPort } from '../config/parsers.js';
import { AdminService } from '../gen/proto/kafscale/admin/v1/admin_pb.js';
import { ControlPlaneService } from '../gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { GroupCoordinatorService } from '../gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { StorageService } from '../gen/proto/kafscale/storage/v1/storage_pb.js';
import type { Logger } from '../log/logger.js';
import { serveGrpc, type GrpcServer } from '../grpc/serve-grpc.js';
import { ensureClusterId } from '../metadata/cluster-id.js';
import { LocalDirObjectStore } from '../stores/local-dir/local-dir-object-store.js';
import { MemoryMetadataStore } from '../stores/memory/memory-metadata-store.js';
import { openAdminAccess } from './services/admin-access.js';
import { startObservability } from './services/observability.js';
import { openMetadataStore, openObjectStore } from './services/open-stores.js';
import { metricsAddressFor } from './services/advertised.js';
import { registerEdge } from './services/register-edge.js';
import { startStorageEngine } from './services/start-storage-engine.js';
import { VERSION } from './version.js';

const STORAGE_NODE_ID = 'dev-storage';

export interface DevOptions {
  readonly dataDir: string;
  readonly kafkaHost: string;
  readonly kafkaPort: number;
  /** Kafka listeners instead of one PLAINTEXT on kafkaHost:kafkaPort (KAFSCALE_LISTENERS). */
  readonly listeners?: readonly ListenerConfig[];
  /** Where to serve the admin API (AdminService over gRPC); not served when absent. */
  readonly adminAddr?: HostPort;
  /** Where to serve the web console (/ui/); not served when absent. */
  readonly consoleAddr?: HostPort;
}

export interface DevBroker {
  /** The first Kafka listener's port. */
  readonly port: number;
  /** Where clients reach the Kafka listeners, for the start-up line. */
  readonly kafka: string;
  readonly metricsPort: number;
  /** The admin API's port, when served. */
  readonly adminPort: number | undefined;
  /** Which stores it runs on, for its start-up line. */
  readonly stores: string;
  /** The console's URL (http://host:port/ui/), when served. */
  readonly consoleUrl: string | undefined;
  stop(): Promise<void>;
}

export async function startDev(
  options: DevOptions,
  config: KafscaleConfig,
  log: Logger,
): Promise<DevBroker> {
  const obs = await startObservability(config, log);
  // With KAFSCALE_ETCD_ENDPOINTS set, the same single process runs against etcd and the
  // configured S3 (the demo's "real stores" mode); otherwise everything stays local.
  const external = config.etcd !== undefined;
  const metadata = obs.metadata(
    external
      ? await openMetadataStore(config, log)
      : await MemoryMetadataStore.open({ dir: join(options.dataDir, 'metadata') }),
  );
  const objects = obs.objects(
    external
      ? openObjectStore(config, log)
      : await LocalDirObjectStore.open(join(options.dataDir, 'objects')),
  );
  const clusterId = await ensureClusterId(metadata);
  // The admin API reaches the storage node and the group coordinator in-process; both
  // clients exist once start-up is done, before any admin call can arrive.
  const peers: { storage?: AdminPeers['storage']; groups?: AdminPeers['groups'] } = {};
  const adminPeers: AdminPeers = {
    storage: (node) => required(peers.storage)(node),
    groups: (holder) => required(peers.groups)(holder),
  };
  const controlplane = await startControlplane({
    replicaId: 'dev-controlplane',
    metadata,
    clusterId,
    defaultPartitions: config.defaultPartitions,
    leaseTtlSeconds: config.storage.leaseTtlSeconds,
    version: VERSION,
    adminPeers,
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
  const untrackGroups = groupMetrics(obs.registry).track(
    controlplane.groups,
    controlplane.groupWriter,
  );
  const untrackLeader = leaderMetrics(obs.registry).track(controlplane.election);
  const untrackLag = groupLagMetric(obs.registry).track(
    controlplane.groups,
    controlplane.view,
    metadata,
  );
  const { engine, stopLifecycle } = await startStorageEngine(
    config,
    STORAGE_NODE_ID,
    metadata,
    objects,
    obs.registry,
    log.child({ component: 'storage' }),
  );
  const metricsAddr = metricsAddressFor(config, '127.0.0.1', obs.metricsPort);
  await engine.register({ host: 'in-process', port: 1, version: VERSION, metricsAddr });
  const follower = new AssignmentFollower(engine, metadata, log.child({ component: 'storage' }));
  await follower.start();

  const cpClient = createClient(
    ControlPlaneService,
    createRouterTransport((r) => r.service(ControlPlaneService, controlplane.service)),
  );
  // The one controlplane holds every group shard it has claimed: any shard with a holder
  // goes to it in-process.
  const groupClient = createClient(
    GroupCoordinatorService,
    createRouterTransport((r) => r.service(GroupCoordinatorService, controlplane.groupService)),
  );
  const storageClient = createClient(
    StorageService,
    createRouterTransport((r) => r.service(StorageService, storageService(engine))),
  );
  peers.storage = () => storageClient;
  peers.groups = () => groupClient;
  const listenerConfigs: readonly ListenerConfig[] = options.listeners ?? [
    {
      name: 'PLAINTEXT',
      protocol: 'PLAINTEXT',
      listen: { host: options.kafkaHost, port: options.kafkaPort },
      advertised: undefined,
    },
  ];
  const self = {
    nodeId: 0,
    host: options.kafkaHost,
    port: options.kafkaPort,
    rack: null,
    listeners: [] as ListenerAddress[],
  };
  const view = new WatchedClusterView(self, cpClient, 'dev-edge', log.child({ component: 'edge' }));
  view.start();
  await view.ready;
  const handlers = buildRegistry({
    cluster: view,
    storage: new FixedStorageClients(new Map([[STORAGE_NODE_ID, storageClient]])),
    controlplane: cpClient,
    groupCoordinators: new ViewGroupCoordinators(view, () => groupClient),
    autoCreateTopics: config.autoCreateTopics,
  });
  const edgeBudget = new InflightBudget(config.edgeInflightBytes);
  const server = await startKafkaListeners(listenerConfigs, config.security, {
    registry: handlers,
    limits: {
      observer: edgeMetrics(obs.registry, handlers, {
        throughputWindowSec: config.throughputWindowSec,
        inflight: edgeBudget,
      }),
      maxRequestBytes: config.maxRequestBytes,
      inflightBytes: config.connectionInflightBytes,
      edgeBudget,
      traceKafka: config.traceKafka,
      quotas: edgeQuotas(view, config, obs.registry),
    },
    metrics: obs.registry,
    scram: (user, mechanism) => view.scram.lookup(user, mechanism),
    log: log.child({ component: 'edge' }),
  });
  const first = server.listeners[0];
  if (first === undefined) throw new Error('kafscale dev has no Kafka listener');
  self.host = first.host;
  self.port = first.port;
  self.listeners = server.listeners.map(({ name, host, port }) => ({ name, host, port }));
  // Registered like a separate edge (broker id 0, the id it answers Metadata with), so that
  // the admin API and the console list it; the lease ends with the process.
  const edgeLease = await metadata.grantLease(config.storage.leaseTtlSeconds);
  await registerEdge(metadata, edgeLease, self.nodeId, {
    host: self.host,
    port: self.port,
    ...(self.listeners.length > 1 ? { listeners: self.listeners } : {}),
    version: VERSION,
    metricsAddr,
  });
  const adminAccess = await openAdminAccess(config, log, false);
  const admin: GrpcServer | undefined =
    options.adminAddr === undefined
      ? undefined
      : await serveGrpc(options.adminAddr, (r) =>
          r.service(AdminService, controlplane.adminService, {
            interceptors: [adminAccess.interceptor],
          }),
        );
  const consoleServer: ConsoleServer | undefined =
    options.consoleAddr === undefined
      ? undefined
      : await startConsole({
          listen: options.consoleAddr,
          admin: createClient(
            AdminService,
            createRouterTransport((r) => r.service(AdminService, controlplane.adminService)),
          ),
          registry: obs.registry,
          metricsUrls:
            config.console.brokerMetricsUrls.length > 0
              ? config.console.brokerMetricsUrls
              : [`http://${metricsAddr}/metrics`],
          adminToken: config.console.adminToken,
          version: VERSION,
          log: log.child({ component: 'console' }),
        });
  obs.setReady(true);
  return {
    port: first.boundPort,
    kafka: listenersText(server.listeners),
    metricsPort: obs.metricsPort,
    adminPort: admin?.port,
    stores: storesText(config, options.dataDir),
    consoleUrl: consoleServer?.url,
    stop: async () => {
      obs.setReady('stopping');
      await consoleServer?.close();
      await admin?.close();
      adminAccess.stop();
      await server.close();
      await edgeLease.revoke().catch(() => undefined);
      view.stop();
      await follower.stop();
      await stopLifecycle();
      await engine.stop();
      untrackGroups();
      untrackLeader();
      untrackLag();
      await controlplane.stop();
      await metadata.close();
      await obs.close();
    },
  };
}

/** This process's own /metrics, which the console reads unless told otherwise. */

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('kafscale dev is still starting');
  return value;
}

/** Which stores `kafscale dev` runs on, for its start-up line. */
function storesText(config: KafscaleConfig, dataDir: string): string {
  if (config.etcd === undefined) {
    return `data in ${dataDir} (in-process metadata store and local-directory object store)`;
  }
  const objects = config.useMemoryS3
    ? 'an in-process object store'
    : `S3 bucket ${config.s3.bucket} at ${config.s3.endpoint}`;
  return `etcd ${config.etcd.endpoints.join(',')} and ${objects}`;
}
