/**
 * DescribeCluster at every version: the live edges as Metadata advertises them, the same
 * controller id as Metadata, the cluster's authorized operations, and Kafka's endpoint type
 * errors.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../../../edge/src/cluster-view.js';
import { metadataHandler } from '../../../../edge/src/handlers/03-metadata.js';
import {
  CLUSTER_OPERATIONS,
  describeClusterHandler,
} from '../../../../edge/src/handlers/60-describe-cluster.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultDescribeClusterRequest,
  defaultMetadataRequest,
} from '../../../../lib/kafka/gen/index.js';
import { roundTrip } from './group-harness.js';

const edges = [3, 1, 2].map((nodeId) => ({
  nodeId,
  host: `edge-${nodeId}`,
  port: 9090 + nodeId,
  rack: nodeId === 2 ? 'r2' : null,
}));
const cluster: ClusterView = {
  clusterId: 'cluster-x',
  self: () => edges[0] ?? { nodeId: 0, host: '', port: 0, rack: null },
  edges: () => edges,
  topic: () => undefined,
  topicById: () => undefined,
  topics: () => [],
  groupShardCount: () => 0,
  groupShardHolder: () => undefined,
};
const request = (over: Partial<ReturnType<typeof defaultDescribeClusterRequest>> = {}) => ({
  ...defaultDescribeClusterRequest(),
  ...over,
});

describe('DescribeCluster', () => {
  it.each([0, 1])('v%i: the live edges, the cluster id and the controller', async (v) => {
    const res = await roundTrip(describeClusterHandler(cluster), v, request());
    expect(res.errorCode).toBe(0);
    expect(res.errorMessage).toBeNull();
    expect(res.clusterId).toBe('cluster-x');
    expect(res.endpointType).toBe(1);
    expect(res.brokers.map((b) => [b.brokerId, b.host, b.port, b.rack])).toEqual([
      [3, 'edge-3', 9093, null],
      [1, 'edge-1', 9091, null],
      [2, 'edge-2', 9092, 'r2'],
    ]);
    expect(res.controllerId).toBe(1);
    expect(res.clusterAuthorizedOperations).toBe(-2147483648);
  });

  it('names the controller Metadata names, in both modes', async () => {
    for (const single of [false, true]) {
      const described = await roundTrip(describeClusterHandler(cluster, single), 1, request());
      const meta = await roundTrip(metadataHandler(cluster, undefined, single), 12, {
        ...defaultMetadataRequest(),
        topics: [],
      });
      expect(described.controllerId).toBe(meta.controllerId);
      expect(described.brokers.map((b) => b.brokerId)).toEqual(meta.brokers.map((b) => b.nodeId));
      expect(described.brokers.map((b) => b.brokerId)).toContain(described.controllerId);
    }
  });

  it('advertises only this edge, as the controller, in single-address mode', async () => {
    const res = await roundTrip(describeClusterHandler(cluster, true), 1, request());
    expect(res.brokers.map((b) => b.brokerId)).toEqual([3]);
    expect(res.controllerId).toBe(3);
  });

  it('reports every cluster operation when asked (no authorizer)', async () => {
    const res = await roundTrip(
      describeClusterHandler(cluster),
      0,
      request({ includeClusterAuthorizedOperations: true }),
    );
    // CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE
    expect(res.clusterAuthorizedOperations).toBe(CLUSTER_OPERATIONS);
    expect(CLUSTER_OPERATIONS).toBe(8096);
  });

  it("refuses controller and unknown endpoint types with Kafka's errors", async () => {
    const h = describeClusterHandler(cluster);
    const controllers = await roundTrip(h, 1, request({ endpointType: 2 }));
    expect([controllers.errorCode, controllers.errorMessage, controllers.brokers]).toEqual([
      KafkaError.MISMATCHED_ENDPOINT_TYPE,
      'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
      [],
    ]);
    const unknown = await roundTrip(h, 1, request({ endpointType: 7 }));
    expect([unknown.errorCode, unknown.errorMessage]).toEqual([
      KafkaError.UNSUPPORTED_ENDPOINT_TYPE,
      'Unsupported endpoint type 7',
    ]);
    const zero = await roundTrip(h, 1, request({ endpointType: 0 }));
    expect(zero.errorCode).toBe(KafkaError.UNSUPPORTED_ENDPOINT_TYPE);
  });
});
