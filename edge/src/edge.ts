/** The edge's handler registry: every Kafka API it serves, wired to its collaborators. */
import type { ClusterView } from './cluster-view.js';
import { produceHandler } from './handlers/00-produce.js';
import { fetchHandler } from './handlers/01-fetch.js';
import { listOffsetsHandler } from './handlers/02-list-offsets.js';
import { metadataHandler } from './handlers/03-metadata.js';
import { offsetCommitHandler } from './handlers/08-offset-commit.js';
import { offsetFetchHandler } from './handlers/09-offset-fetch.js';
import { findCoordinatorHandler } from './handlers/10-find-coordinator.js';
import { joinGroupHandler } from './handlers/11-join-group.js';
import { heartbeatHandler } from './handlers/12-heartbeat.js';
import { leaveGroupHandler } from './handlers/13-leave-group.js';
import { syncGroupHandler } from './handlers/14-sync-group.js';
import { describeGroupsHandler } from './handlers/15-describe-groups.js';
import { listGroupsHandler } from './handlers/16-list-groups.js';
import { saslHandshakeHandler } from './handlers/17-sasl-handshake.js';
import { apiVersionsHandler } from './handlers/18-api-versions.js';
import { createTopicsHandler } from './handlers/19-create-topics.js';
import { deleteTopicsHandler } from './handlers/20-delete-topics.js';
import { deleteRecordsHandler } from './handlers/21-delete-records.js';
import { describeProducersHandler } from './handlers/61-describe-producers.js';
import { initProducerIdHandler } from './handlers/22-init-producer-id.js';
import { offsetForLeaderEpochHandler } from './handlers/23-offset-for-leader-epoch.js';
import { describeConfigsHandler } from './handlers/32-describe-configs.js';
import { alterConfigsHandler } from './handlers/33-alter-configs.js';
import { saslAuthenticateHandler } from './handlers/36-sasl-authenticate.js';
import { createPartitionsHandler } from './handlers/37-create-partitions.js';
import { deleteGroupsHandler } from './handlers/42-delete-groups.js';
import { electLeadersHandler } from './handlers/43-elect-leaders.js';
import { incrementalAlterConfigsHandler } from './handlers/44-incremental-alter-configs.js';
import { offsetDeleteHandler } from './handlers/47-offset-delete.js';
import { describeClientQuotasHandler } from './handlers/48-describe-client-quotas.js';
import { alterClientQuotasHandler } from './handlers/49-alter-client-quotas.js';
import { describeUserScramCredentialsHandler } from './handlers/50-describe-user-scram-credentials.js';
import { alterUserScramCredentialsHandler } from './handlers/51-alter-user-scram-credentials.js';
import { describeClusterHandler } from './handlers/60-describe-cluster.js';
import { HandlerRegistry } from './handlers/handler-registry.js';
import { anyHandler } from './handlers/kafka-handler.js';
import { autoCreateVia } from './routing/auto-create.js';
import type { ControlPlaneClient } from './routing/controlplane-client.js';
import type { GroupCoordinators } from './routing/group-coordinators.js';
import type { StorageClients } from './routing/storage-clients.js';

export interface EdgeServices {
  readonly cluster: ClusterView;
  readonly storage: StorageClients;
  /** Absent only in tests and docs: CreateTopics, DeleteTopics and auto-creation need it. */
  readonly controlplane?: ControlPlaneClient;
  /** Absent only in tests and docs: every consumer group API needs it. */
  readonly groupCoordinators?: GroupCoordinators;
  readonly autoCreateTopics?: boolean;
  /** Advertise only this edge (one load-balanced address for every client). */
  readonly singleAddress?: boolean;
}

/** Every handler this edge serves; ApiVersions advertises exactly these. */
export function buildRegistry({
  cluster,
  storage,
  controlplane,
  groupCoordinators,
  autoCreateTopics,
  singleAddress,
}: EdgeServices): HandlerRegistry {
  const registry = new HandlerRegistry();
  registry.register(anyHandler(produceHandler(cluster, storage)));
  registry.register(anyHandler(fetchHandler(cluster, storage)));
  registry.register(anyHandler(listOffsetsHandler(cluster, storage)));
  registry.register(anyHandler(offsetForLeaderEpochHandler(cluster, storage)));
  registry.register(anyHandler(deleteRecordsHandler(cluster, storage)));
  registry.register(anyHandler(describeProducersHandler(cluster, storage)));
  const autoCreate =
    controlplane && autoCreateTopics === true ? autoCreateVia(controlplane, cluster) : undefined;
  registry.register(anyHandler(metadataHandler(cluster, autoCreate, singleAddress === true)));
  registry.register(anyHandler(apiVersionsHandler(registry)));
  registry.register(anyHandler(saslHandshakeHandler()));
  registry.register(anyHandler(saslAuthenticateHandler()));
  registry.register(anyHandler(electLeadersHandler(cluster)));
  registry.register(anyHandler(describeClusterHandler(cluster, singleAddress === true)));
  if (controlplane) {
    registry.register(anyHandler(createTopicsHandler(cluster, controlplane)));
    registry.register(anyHandler(deleteTopicsHandler(cluster, controlplane)));
    registry.register(anyHandler(describeConfigsHandler(cluster, controlplane)));
    registry.register(anyHandler(alterConfigsHandler(cluster, controlplane)));
    registry.register(anyHandler(incrementalAlterConfigsHandler(cluster, controlplane)));
    registry.register(anyHandler(createPartitionsHandler(cluster, controlplane)));
    registry.register(anyHandler(initProducerIdHandler(controlplane)));
    registry.register(anyHandler(describeUserScramCredentialsHandler(controlplane)));
    registry.register(anyHandler(alterUserScramCredentialsHandler(controlplane)));
    registry.register(anyHandler(describeClientQuotasHandler(controlplane)));
    registry.register(anyHandler(alterClientQuotasHandler(controlplane)));
  }
  if (groupCoordinators) {
    const single = singleAddress === true;
    registry.register(anyHandler(offsetCommitHandler(cluster, groupCoordinators)));
    registry.register(anyHandler(offsetFetchHandler(groupCoordinators)));
    registry.register(anyHandler(findCoordinatorHandler(cluster, groupCoordinators, single)));
    registry.register(anyHandler(joinGroupHandler(groupCoordinators)));
    registry.register(anyHandler(heartbeatHandler(groupCoordinators)));
    registry.register(anyHandler(leaveGroupHandler(groupCoordinators)));
    registry.register(anyHandler(syncGroupHandler(groupCoordinators)));
    registry.register(anyHandler(describeGroupsHandler(groupCoordinators)));
    registry.register(anyHandler(listGroupsHandler(cluster, groupCoordinators, single)));
    registry.register(anyHandler(deleteGroupsHandler(groupCoordinators)));
    registry.register(anyHandler(offsetDeleteHandler(cluster, groupCoordinators)));
  }
  return registry;
}
