/** The edge's handler registry: every Kafka API it serves, wired to its collaborators. */
import type { ClusterView } from './cluster-view.js';
import { produceHandler } from './handlers/00-produce.js';
import { fetchHandler } from './handlers/01-fetch.js';
import { listOffsetsHandler } from './handlers/02-list-offsets.js';
import { metadataHandler } from './handlers/03-metadata.js';
import { apiVersionsHandler } from './handlers/18-api-versions.js';
import { createTopicsHandler } from './handlers/19-create-topics.js';
import { deleteTopicsHandler } from './handlers/20-delete-topics.js';
import { HandlerRegistry } from './handlers/handler-registry.js';
import { anyHandler } from './handlers/kafka-handler.js';
import { autoCreateVia } from './routing/auto-create.js';
import type { ControlPlaneClient } from './routing/controlplane-client.js';
import type { StorageClients } from './routing/storage-clients.js';

export interface EdgeServices {
  readonly cluster: ClusterView;
  readonly storage: StorageClients;
  /** Absent only in tests and docs: CreateTopics, DeleteTopics and auto-creation need it. */
  readonly controlplane?: ControlPlaneClient;
  readonly autoCreateTopics?: boolean;
  /** Advertise only this edge (one load-balanced address for every client). */
  readonly singleAddress?: boolean;
}

/** Every handler this edge serves; ApiVersions advertises exactly these. */
export function buildRegistry({
  cluster,
  storage,
  controlplane,
  autoCreateTopics,
  singleAddress,
}: EdgeServices): HandlerRegistry {
  const registry = new HandlerRegistry();
  registry.register(anyHandler(produceHandler(cluster, storage)));
  registry.register(anyHandler(fetchHandler(cluster, storage)));
  registry.register(anyHandler(listOffsetsHandler(cluster, storage)));
  const autoCreate =
    controlplane && autoCreateTopics === true ? autoCreateVia(controlplane, cluster) : undefined;
  registry.register(anyHandler(metadataHandler(cluster, autoCreate, singleAddress === true)));
  registry.register(anyHandler(apiVersionsHandler(registry)));
  if (controlplane) {
    registry.register(anyHandler(createTopicsHandler(cluster, controlplane)));
    registry.register(anyHandler(deleteTopicsHandler(cluster, controlplane)));
  }
  return registry;
}
