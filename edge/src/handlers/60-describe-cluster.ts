/**
 * DescribeCluster (key 60), answered by the edge from its cluster view.
 *
 * v0: flexible from the start; cluster id, controller id, brokers and the cluster's
 * authorized operations. v1: the endpoint type (KIP-919): brokers (1) are what an edge
 * describes; controllers (2) are refused with MISMATCHED_ENDPOINT_TYPE and anything else
 * with UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST at v0), as a Kafka broker answers.
 *
 * Brokers are the live edges exactly as Metadata advertises them (only this edge in
 * single-address mode), and the controller is the one Metadata names, the lowest advertised
 * id: any edge serves the admin requests a client sends to the controller, and the id is
 * always one of the brokers listed, so the Java admin client resolves it to a node. Without
 * an authorizer every operation Kafka defines on the cluster resource is allowed.
 */
import {
  defaultDescribeClusterResponse,
  describeClusterApi,
  type DescribeClusterRequest,
  type DescribeClusterResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ClusterView } from '../cluster-view.js';
import { addressOn } from '../routing/listener-address.js';
import type { KafkaHandler } from './kafka-handler.js';
import { CLUSTER_RESOURCE_NAME, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

/** Kafka's marker for "authorized operations were not requested". */
const OPERATIONS_NOT_REQUESTED = -2147483648;

/**
 * Kafka's cluster operations (AclEntry.supportedOperations(CLUSTER)) as its bit field:
 * CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11,
 * IDEMPOTENT_WRITE 12.
 */
export const CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12].reduce(
  (bits, op) => bits | (1 << op),
  0,
);

/** KIP-919 endpoint types. */
const BROKER_ENDPOINTS = 1;
const CONTROLLER_ENDPOINTS = 2;

/**
 * @param singleAddress advertise only this edge (KAFSCALE_SINGLE_ADDRESS), as Metadata does.
 */
export function describeClusterHandler(
  cluster: ClusterView,
  singleAddress = false,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DescribeClusterRequest, DescribeClusterResponse> {
  return {
    api: describeClusterApi,
    minVersion: 0,
    maxVersion: 1,
    handle(request, ctx) {
      const type = request.endpointType;
      if (type !== BROKER_ENDPOINTS) {
        const v0 = ctx.apiVersion === 0;
        return {
          ...defaultDescribeClusterResponse(),
          ...(type === CONTROLLER_ENDPOINTS
            ? {
                errorCode: v0 ? KafkaError.INVALID_REQUEST : KafkaError.MISMATCHED_ENDPOINT_TYPE,
                errorMessage:
                  'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
              }
            : {
                errorCode: v0 ? KafkaError.INVALID_REQUEST : KafkaError.UNSUPPORTED_ENDPOINT_TYPE,
                errorMessage: `Unsupported endpoint type ${type}`,
              }),
        };
      }
      const edges = singleAddress ? [cluster.self()] : cluster.edges();
      return {
        ...defaultDescribeClusterResponse(),
        endpointType: BROKER_ENDPOINTS,
        clusterId: cluster.clusterId,
        controllerId: edges.length === 0 ? -1 : Math.min(...edges.map((e) => e.nodeId)),
        brokers: edges.map((edge) => {
          const b = addressOn(edge, ctx.listener);
          return { brokerId: b.nodeId, host: b.host, port: b.port, rack: b.rack };
        }),
        clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
          ? authorizer.authorizedOperations(ctx, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME)
          : OPERATIONS_NOT_REQUESTED,
      };
    },
  };
}
