/** Starts an edge: the Kafka listener with every registered handler. */
import type { KafscaleConfig } from '../../lib/config/config.js';
import type { Logger } from '../../lib/log/logger.js';
import { StaticClusterView, type ClusterView } from './cluster-view.js';
import { produceHandler } from './handlers/00-produce.js';
import { fetchHandler } from './handlers/01-fetch.js';
import { listOffsetsHandler } from './handlers/02-list-offsets.js';
import { FixedStorageClients, type StorageClients } from './routing/storage-clients.js';
import { apiVersionsHandler } from './handlers/18-api-versions.js';
import { metadataHandler } from './handlers/03-metadata.js';
import { HandlerRegistry } from './handlers/handler-registry.js';
import { anyHandler } from './handlers/kafka-handler.js';
import { startKafkaServer, type KafkaServer } from './server/kafka-server.js';

export function buildRegistry(cluster: ClusterView, storage: StorageClients): HandlerRegistry {
  const registry = new HandlerRegistry();
  registry.register(anyHandler(produceHandler(cluster, storage)));
  registry.register(anyHandler(fetchHandler(cluster, storage)));
  registry.register(anyHandler(listOffsetsHandler(cluster, storage)));
  registry.register(anyHandler(metadataHandler(cluster)));
  registry.register(anyHandler(apiVersionsHandler(registry)));
  return registry;
}

/**
 * Starts an edge over a cluster view and storage clients. A configured advertised port of
 * 0 means "the port we were given" (tests).
 */
export async function startEdge(
  config: KafscaleConfig,
  log: Logger,
  deps?: { cluster: StaticClusterView; storage: StorageClients },
): Promise<KafkaServer> {
  const self = {
    nodeId: 0,
    host: config.advertisedAddr.host,
    port: config.advertisedAddr.port,
    rack: null,
  };
  const cluster = deps?.cluster ?? new StaticClusterView('kafscale-dev', self);
  const server = await startKafkaServer(
    config.edgeAddr,
    buildRegistry(cluster, deps?.storage ?? new FixedStorageClients(new Map())),
    {
      maxRequestBytes: config.maxRequestBytes,
      inflightBytes: config.connectionInflightBytes,
      traceKafka: config.traceKafka,
    },
    log.child({ component: 'edge' }),
  );
  if (self.port === 0) self.port = server.port;
  return server;
}
