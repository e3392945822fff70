/** Starts an edge: the Kafka listener with every registered handler. */
import type { KafscaleConfig } from '../../lib/config/config.js';
import type { Logger } from '../../lib/log/logger.js';
import { singleEdgeView, type ClusterView } from './cluster-view.js';
import { apiVersionsHandler } from './handlers/18-api-versions.js';
import { metadataHandler } from './handlers/03-metadata.js';
import { HandlerRegistry } from './handlers/handler-registry.js';
import { anyHandler } from './handlers/kafka-handler.js';
import { startKafkaServer, type KafkaServer } from './server/kafka-server.js';

export function buildRegistry(cluster: ClusterView): HandlerRegistry {
  const registry = new HandlerRegistry();
  registry.register(anyHandler(apiVersionsHandler(registry)));
  registry.register(anyHandler(metadataHandler(cluster)));
  return registry;
}

export async function startEdge(config: KafscaleConfig, log: Logger): Promise<KafkaServer> {
  // Advertised as configured; a configured port of 0 means "the port we were given".
  const self = {
    nodeId: 0,
    host: config.advertisedAddr.host,
    port: config.advertisedAddr.port,
    rack: null,
  };
  const server = await startKafkaServer(
    config.edgeAddr,
    buildRegistry(singleEdgeView(self, 'kafscale-dev')),
    { maxRequestBytes: config.maxRequestBytes, inflightBytes: config.connectionInflightBytes },
    log.child({ component: 'edge' }),
  );
  if (self.port === 0) self.port = server.port;
  return server;
}
