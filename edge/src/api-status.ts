/**
 * docs/api-status.md as the edge's handler registry makes it true: the registry of an edge
 * with a controlplane and group coordinators, as every running edge has (the collaborators
 * are never called).
 */
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { ControlPlaneService } from '../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { GroupCoordinatorService } from '../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { renderApiStatus, type AdvertisedRange } from '../../lib/kafka/api-status.js';
import { StaticClusterView } from './cluster-view.js';
import { buildRegistry } from './edge.js';
import { ViewGroupCoordinators } from './routing/group-coordinators.js';
import { FixedStorageClients } from './routing/storage-clients.js';

const NOTES: Readonly<Record<number, string>> = {
  0: 'acks=1 and acks=-1 both wait for the S3 upload and etcd commit; idempotent batches deduplicated per partition (last 5 per producer, kept across owner changes); no transactions',
  1: 'no fetch sessions: every fetch is answered in full with session id 0',
  2: 'v0 not served; -4 answered as earliest, -5 as -1 (nothing is tiered)',
  3: 'auto-creation when KAFSCALE_AUTO_CREATE_TOPICS is on',
  8: 'retention time ignored; topics the edge does not know get UNKNOWN_TOPIC_OR_PARTITION',
  9: 'v9 member id and epoch ignored (classic groups only)',
  10: 'group keys only (transaction and share keys: INVALID_REQUEST); any edge serves any group',
  11: 'classic protocol, coordinated by the controlplane replica holding the group shard',
  15: "authorized operations are the principal's (every group operation without an authorizer)",
  16: 'each edge lists the groups it is the FindCoordinator answer for',
  17: 'PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (KAFSCALE_SASL_ENABLED_MECHANISMS); v0 is followed by raw SASL tokens (legacy flow); ILLEGAL_SASL_STATE on a listener without SASL (docs/security.md)',
  19: 'replication factor accepted and ignored; response configs are the ones the request set',
  21: 'index entries below the new start are deleted; their objects wait for garbage collection (not built yet)',
  23: 'end offsets from the index: each run records the owner epoch that wrote it',
  22: 'idempotent producers only: a new producer id (epoch 0) per call; transactional ids get INVALID_REQUEST',
  29: 'needs DESCRIBE on the cluster; SECURITY_DISABLED without KAFSCALE_AUTHORIZER=acl; filters with ANY, MATCH, LITERAL, PREFIXED (docs/security.md)',
  30: 'needs ALTER on the cluster; SECURITY_DISABLED without KAFSCALE_AUTHORIZER=acl; one etcd key per binding, answered once this edge authorizes with it',
  31: 'needs ALTER on the cluster; SECURITY_DISABLED without KAFSCALE_AUTHORIZER=acl; answered once this edge no longer authorizes with what it deleted',
  32: 'topic configs (overrides, defaults, broker synonyms, documentation); broker configs: the settings Kafscale runs with, read-only; broker loggers: none. Topic configs are stored and reported, none changes behaviour yet',
  33: 'replaces every override of a topic; broker configs are static (INVALID_REQUEST)',
  36: 'v1+: session_lifetime_ms from KAFSCALE_SASL_MAX_REAUTH_MS (KIP-368 re-authentication); a failure closes the connection',
  37: 'manual assignments: only their number is checked (broker ids ignored); answers once the new partitions are claimed',
  43: 'no replicas: an owned partition needs no election (ELECTION_NOT_NEEDED, both types); an unassigned one gets PREFERRED_LEADER_NOT_AVAILABLE or ELIGIBLE_LEADERS_NOT_AVAILABLE',
  44: 'SET, DELETE, APPEND, SUBTRACT on topic overrides; broker configs are static (INVALID_REQUEST, DELETE a no-op); no adjustable broker loggers',
  48: 'from the controlplane; user and client-id entities (a filter on ip matches nothing); with KAFSCALE_AUTHORIZER=acl needs DESCRIBE_CONFIGS on the cluster',
  49: 'producer_byte_rate, consumer_byte_rate, request_percentage for users and client ids, enforced per edge share (docs/security.md); no ip entities (connection_creation_rate) and no controller_mutation_rate; with KAFSCALE_AUTHORIZER=acl needs ALTER_CONFIGS on the cluster',
  50: 'from the controlplane: mechanisms and iteration counts only',
  51: 'the edge turns salted passwords into StoredKey/ServerKey; etcd keeps only those, salt and iterations; needs ALTER on the cluster with KAFSCALE_AUTHORIZER=acl',
  60: 'brokers are the live edges as Metadata advertises them; controller endpoints (type 2) refused',
};

export function currentApiStatus(): string {
  const cluster = new StaticClusterView('docs', {
    nodeId: 0,
    host: 'localhost',
    port: 9092,
    rack: null,
  });
  const groupClient = createClient(
    GroupCoordinatorService,
    createRouterTransport(() => undefined),
  );
  const registry = buildRegistry({
    cluster,
    storage: new FixedStorageClients(new Map()),
    controlplane: createClient(
      ControlPlaneService,
      createRouterTransport(() => undefined),
    ),
    groupCoordinators: new ViewGroupCoordinators(cluster, () => groupClient),
    autoCreateTopics: true,
  });
  const advertised = new Map<number, AdvertisedRange>(
    registry.all().map((h) => {
      const notes = NOTES[h.api.apiKey];
      return [
        h.api.apiKey,
        { minVersion: h.minVersion, maxVersion: h.maxVersion, ...(notes ? { notes } : {}) },
      ];
    }),
  );
  return renderApiStatus(advertised);
}
