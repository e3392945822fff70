/**
 * ElectLeaders (key 43), answered by the edge from its cluster view.
 *
 * v0: preferred elections of the listed partitions (null: every partition). v1: the
 * election type (0 preferred, 1 unclean; KIP-460) and a top-level error code. v2: flexible.
 *
 * Kafscale has no replicas: a partition's one replica is the storage node that holds it,
 * and that node leads it, so there is never an election to hold. As Apache Kafka's
 * controller answers when the wanted leader already leads (ReplicationControlManager
 * .electLeader), a partition with an owner gets ELECTION_NOT_NEEDED for either election
 * type; one not yet assigned to a storage node has no leader to elect, and gets
 * PREFERRED_LEADER_NOT_AVAILABLE (preferred) or ELIGIBLE_LEADERS_NOT_AVAILABLE (unclean)
 * until the controlplane assigns it. An unknown topic or partition is
 * UNKNOWN_TOPIC_OR_PARTITION. A null list asks for every partition and, as in Kafka, lists
 * every topic but leaves out the partitions that need no election. An unknown election
 * type fails the request as Kafka's error response does: INVALID_REQUEST at the top (from
 * v1; v0 has no top-level code) and for every listed partition.
 *
 * Authorization (Kafka's): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED at the
 * top and for every listed partition.
 */
import {
  electLeadersApi,
  type ElectLeadersRequest,
  type ElectLeadersResponse,
  type ElectLeadersResponsePartitionResult,
  type ElectLeadersResponseReplicaElectionResult,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ClusterView, TopicView } from '../cluster-view.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import {
  allowEverything,
  onCluster,
  type RequestAuthorizer,
} from '../security/request-authorizer.js';

const PREFERRED = 0;
const UNCLEAN = 1;

type PartitionResult = ElectLeadersResponsePartitionResult;
type TopicResult = ElectLeadersResponseReplicaElectionResult;

function outcome(
  partitionId: number,
  errorCode: number,
  errorMessage: string | null,
): PartitionResult {
  return { partitionId, errorCode, errorMessage };
}

/** The election's outcome for one partition of a known topic. */
function elect(topic: TopicView, partitionId: number, electionType: number): PartitionResult {
  const p = topic.partitions[partitionId];
  if (p === undefined) {
    return outcome(
      partitionId,
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
      `No such partition as ${topic.name}-${partitionId}`,
    );
  }
  if (p.storageNodeId !== undefined) {
    return outcome(
      partitionId,
      KafkaError.ELECTION_NOT_NEEDED,
      'Leader election not needed for topic partition.',
    );
  }
  const waiting = `partition ${topic.name}-${partitionId} is not assigned to a storage node yet`;
  return electionType === PREFERRED
    ? outcome(partitionId, KafkaError.PREFERRED_LEADER_NOT_AVAILABLE, waiting)
    : outcome(partitionId, KafkaError.ELIGIBLE_LEADERS_NOT_AVAILABLE, waiting);
}

export function electLeadersHandler(
  cluster: ClusterView,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<ElectLeadersRequest, ElectLeadersResponse> {
  return {
    api: electLeadersApi,
    minVersion: 0,
    maxVersion: 2,
    handle(request, ctx) {
      const topLevel = (errorCode: number) => (ctx.apiVersion >= 1 ? errorCode : 0);
      const { electionType, topicPartitions } = request;
      const failedAll = (errorCode: number, message: string): ElectLeadersResponse => ({
        throttleTimeMs: 0,
        errorCode: topLevel(errorCode),
        replicaElectionResults: (topicPartitions ?? []).map((t) => ({
          topic: t.topic,
          partitionResult: t.partitions.map((p) => outcome(p, errorCode, message)),
        })),
      });
      if (!onCluster(authorizer, ctx, AclOperation.ALTER))
        return failedAll(KafkaError.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
      if (electionType !== PREFERRED && electionType !== UNCLEAN)
        return failedAll(KafkaError.INVALID_REQUEST, `Unknown election type ${electionType}`);
      let results: TopicResult[];
      if (topicPartitions === null) {
        results = cluster.topics().map((topic) => ({
          topic: topic.name,
          partitionResult: topic.partitions
            .map((p) => elect(topic, p.index, electionType))
            .filter((r) => r.errorCode !== KafkaError.ELECTION_NOT_NEEDED),
        }));
      } else {
        results = topicPartitions.map((t) => {
          const topic = cluster.topic(t.topic);
          return {
            topic: t.topic,
            partitionResult: t.partitions.map((p) =>
              topic === undefined
                ? outcome(p, KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `No such topic as ${t.topic}`)
                : elect(topic, p, electionType),
            ),
          };
        });
      }
      return { throttleTimeMs: 0, errorCode: KafkaError.NONE, replicaElectionResults: results };
    },
  };
}
