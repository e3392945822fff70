/**
 * `kafscale edge`: the Kafka listener on KAFSCALE_EDGE_ADDR. It registers itself in etcd,
 * follows the controlplane leader for the metadata watch, and calls storage nodes and the
 * group shards' controlplane replicas at the addresses the watch reports. It never reads
 * etcd per request.
 */
import { createClient } from '@connectrpc/connect';
import { buildRegistry } from '../../../edge/src/edge.js';
import { edgeMetrics } from '../../../edge/src/edge-metrics.js';
import { WatchedClusterView } from '../../../edge/src/metadata/watched-cluster-view.js';
import { edgeQuotas } from '../../../edge/src/quota/edge-quotas.js';
import { dialingGroupCoordinators } from '../../../edge/src/routing/dialing-group-coordinators.js';
import { DialingStorageClients } from '../../../edge/src/routing/dialing-storage-clients.js';
import { InflightBudget } from '../../../edge/src/server/inflight-budget.js';
import { listenersText, startKafkaListeners } from '../../../edge/src/server/kafka-listeners.js';
import type { ListenerAddress } from '../../../edge/src/cluster-view.js';
import type { KafscaleConfig } from '../../config/config.js';
import { ControlPlaneService } from '../../gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import type { Logger } from '../../log/logger.js';
import { VERSION } from '../version.js';
import { metricsAddressFor } from './advertised.js';
import { LeaderTransport } from './leader-transport.js';
import { startObservability } from './observability.js';
import { openMetadataStore } from './open-stores.js';
import { registerEdge } from './register-edge.js';
import { openServiceSecurity } from './service-security.js';
import type { RunningService } from './running-service.js';

export async function runEdge(config: KafscaleConfig, log: Logger): Promise<RunningService> {
  const obs = await startObservability(config, log);
  const metadata = obs.metadata(await openMetadataStore(config, log));
  const lease = await metadata.grantLease(config.storage.leaseTtlSeconds);
  const security = await openServiceSecurity(config, log);
  const leader = await LeaderTransport.follow(metadata, log, security.dialer);
  const controlplane = createClient(ControlPlaneService, leader.transport());
  // The broker id and port are known only after registering and listening; the view reads
  // them from this object.
  const self = { nodeId: -1, host: '', port: 0, rack: null, listeners: [] as ListenerAddress[] };
  const view = new WatchedClusterView(self, controlplane, `edge-${process.pid}`, log);
  const handlers = buildRegistry({
    cluster: view,
    storage: new DialingStorageClients(
      (id) => view.storageNode(id),
      () => view.storageNodeIds(),
      security.dialer,
    ),
    controlplane,
    groupCoordinators: dialingGroupCoordinators(view, security.dialer),
    autoCreateTopics: config.autoCreateTopics,
    singleAddress: config.singleAddress,
  });
  const edgeBudget = new InflightBudget(config.edgeInflightBytes);
  const server = await startKafkaListeners(config.listeners, config.security, {
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
    log,
  });
  const first = server.listeners[0];
  if (first === undefined) throw new Error('the edge has no Kafka listener');
  const advertised = { host: first.host, port: first.port };
  self.host = advertised.host;
  self.port = advertised.port;
  self.listeners = server.listeners.map(({ name, host, port }) => ({ name, host, port }));
  const registration = {
    ...advertised,
    ...(server.listeners.length > 1 ? { listeners: self.listeners } : {}),
    version: VERSION,
    metricsAddr: metricsAddressFor(config, advertised.host, obs.metricsPort),
  };
  self.nodeId = await registerEdge(metadata, lease, config.edgeId, registration);
  view.start();
  void view.ready.then(() => {
    obs.setReady(true);
  });
  // A lost lease (etcd unreachable past the TTL) only removes this edge from Metadata
  // listings; it keeps serving, and registers again under the same id once etcd answers.
  let current = lease;
  let stopped = false;
  const reRegister = async (): Promise<void> => {
    while (!stopped) {
      try {
        current = await metadata.grantLease(config.storage.leaseTtlSeconds);
        await registerEdge(metadata, current, self.nodeId, registration);
        current.onLost(() => void reRegister());
        log.info({ nodeId: self.nodeId }, 'edge registered again');
        return;
      } catch (err) {
        log.warn({ err }, 'registering the edge again failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  lease.onLost(() => void reRegister());
  log.info({ nodeId: self.nodeId, advertised }, 'edge started');
  return {
    description: `edge ${self.nodeId}: Kafka on ${listenersText(server.listeners)}, metrics on port ${obs.metricsPort}`,
    stop: async () => {
      await server.close();
      view.stop();
      await leader.stop();
      security.stop();
      stopped = true;
      await current.revoke().catch(() => undefined);
      await metadata.close();
      await obs.close();
    },
  };
}
