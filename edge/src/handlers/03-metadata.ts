/**
 * Metadata (key 3): brokers, cluster id, controller and the requested topics.
 *
 * v0: an empty topic list means all topics; v1+: null means all, empty means none; v1 adds
 * rack, controller id and is_internal. v2: cluster id. v3: throttle time. v4: the client
 * may ask for auto-creation. v5: offline replicas. v7: leader epoch. v8-v10: authorized
 * operations (cluster-level ones only to v10). v9: flexible. v10: topic ids. v12: topics
 * may be requested by id (name null).
 *
 * Brokers are the live edges, and each partition's leader is picked among them by
 * rendezvous hashing so that clients spread over the edges; any edge serves any partition.
 *
 * Authorization (Kafka's): a listing of all topics shows only those the principal may
 * DESCRIBE; a topic asked for by name or id without DESCRIBE is TOPIC_AUTHORIZATION_FAILED
 * (its id withheld); a missing topic is auto-created only with CREATE on the cluster or on
 * the topic, else it is TOPIC_AUTHORIZATION_FAILED. Authorized operations are the
 * principal's when asked for.
 */
import {
  defaultMetadataResponse,
  defaultMetadataResponseTopic,
  metadataApi,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataResponseTopic,
} from '../../../lib/kafka/gen/index.js';
import { ZERO_UUID } from '../../../lib/kafka/protocol/codec-runtime.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { AdvertisedBroker, ClusterView, TopicView } from '../cluster-view.js';
import { rendezvousPick } from '../routing/rendezvous.js';
import { addressOn } from '../routing/listener-address.js';
import type { KafkaHandler, RequestContext } from './kafka-handler.js';
import {
  AclOperation,
  CLUSTER_RESOURCE_NAME,
  ResourceType,
} from '../../../lib/security/acl/acl-binding.js';
import {
  allowEverything,
  onCluster,
  type RequestAuthorizer,
} from '../security/request-authorizer.js';

/** Kafka's marker for "authorized operations were not requested". */
const OPERATIONS_NOT_REQUESTED = -2147483648;

function describeTopic(t: TopicView, edges: readonly AdvertisedBroker[]): MetadataResponseTopic {
  return {
    ...defaultMetadataResponseTopic(),
    name: t.name,
    topicId: t.topicId,
    partitions: t.partitions.map((p) => {
      const leader =
        p.storageNodeId === undefined
          ? undefined
          : rendezvousPick(`${t.topicId}/${p.index}`, edges);
      const leaderId = leader?.nodeId ?? -1;
      return {
        errorCode: leader === undefined ? KafkaError.LEADER_NOT_AVAILABLE : KafkaError.NONE,
        partitionIndex: p.index,
        leaderId,
        leaderEpoch: p.leaderEpoch,
        replicaNodes: leader === undefined ? [] : [leaderId],
        isrNodes: leader === undefined ? [] : [leaderId],
        offlineReplicas: [],
      };
    }),
    topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED,
  };
}

function unknownTopic(
  name: string | null,
  topicId: string,
  errorCode: number = KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
): MetadataResponseTopic {
  return {
    ...defaultMetadataResponseTopic(),
    errorCode,
    name,
    topicId,
    topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED,
  };
}

/**
 * Creates missing topics a client asked for (auto-creation); resolves with the Kafka error
 * of each creation (0 when created or already there).
 */
export type AutoCreate = (names: readonly string[]) => Promise<ReadonlyMap<string, number>>;

/**
 * @param singleAddress advertise only this edge (KAFSCALE_SINGLE_ADDRESS): for clients that
 *   reach the edges through one load-balanced address, which then leads every partition.
 */
export function metadataHandler(
  cluster: ClusterView,
  autoCreate?: AutoCreate,
  singleAddress = false,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<MetadataRequest, MetadataResponse> {
  const mayDescribe = (ctx: RequestContext, name: string) =>
    authorizer.authorize(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, name);
  const mayCreate = (ctx: RequestContext, name: string) =>
    onCluster(authorizer, ctx, AclOperation.CREATE) ||
    authorizer.authorize(ctx, AclOperation.CREATE, ResourceType.TOPIC, name);
  return {
    api: metadataApi,
    minVersion: 0,
    maxVersion: 12,
    async handle(request, ctx) {
      const edges = singleAddress ? [cluster.self()] : cluster.edges();
      const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
      const asked = all ? [] : (request.topics ?? []);
      // v0-v3 always auto-create; v4+ only when the client allows it.
      const allowed =
        autoCreate !== undefined && (ctx.apiVersion < 4 || request.allowAutoTopicCreation);
      const missing = asked.flatMap((t) =>
        t.name !== null && cluster.topic(t.name) === undefined && mayDescribe(ctx, t.name)
          ? [t.name]
          : [],
      );
      const creatable = allowed ? missing.filter((name) => mayCreate(ctx, name)) : [];
      const created =
        allowed && creatable.length > 0 ? await autoCreate(creatable) : new Map<string, number>();
      const described = (t: TopicView): MetadataResponseTopic => ({
        ...describeTopic(t, edges),
        topicAuthorizedOperations: request.includeTopicAuthorizedOperations
          ? authorizer.authorizedOperations(ctx, ResourceType.TOPIC, t.name)
          : OPERATIONS_NOT_REQUESTED,
      });
      const topics = all
        ? cluster
            .topics()
            .filter((t) => mayDescribe(ctx, t.name))
            .map(described)
        : asked.map((t) => {
            const found = t.name !== null ? cluster.topic(t.name) : cluster.topicById(t.topicId);
            const name = found?.name ?? t.name;
            if (name !== null && !mayDescribe(ctx, name))
              return unknownTopic(
                t.name,
                t.name === null ? t.topicId : ZERO_UUID,
                KafkaError.TOPIC_AUTHORIZATION_FAILED,
              );
            if (found) return described(found);
            if (allowed && t.name !== null && !creatable.includes(t.name))
              return unknownTopic(t.name, ZERO_UUID, KafkaError.TOPIC_AUTHORIZATION_FAILED);
            const creation = t.name === null ? undefined : created.get(t.name);
            // As Kafka does: a topic being created is reported without a leader yet.
            const code =
              creation === undefined
                ? KafkaError.UNKNOWN_TOPIC_OR_PARTITION
                : creation === KafkaError.NONE || creation === KafkaError.TOPIC_ALREADY_EXISTS
                  ? KafkaError.LEADER_NOT_AVAILABLE
                  : creation;
            return unknownTopic(t.name, t.name === null ? t.topicId : ZERO_UUID, code);
          });
      return {
        ...defaultMetadataResponse(),
        brokers: edges.map((edge) => {
          const b = addressOn(edge, ctx.listener);
          return { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack };
        }),
        clusterId: cluster.clusterId,
        // Admin requests bound for the controller can go to any edge; name a stable one.
        controllerId: Math.min(...edges.map((e) => e.nodeId)),
        topics,
        clusterAuthorizedOperations:
          ctx.apiVersion <= 10 && request.includeClusterAuthorizedOperations
            ? authorizer.authorizedOperations(ctx, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME)
            : OPERATIONS_NOT_REQUESTED,
      };
    },
  };
}
