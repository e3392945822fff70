/**
 * What the operator reads from a spec before anything touches the cluster: the chart's
 * defaults filled in, the problems a schema cannot see named by field, and a KafscaleTopic
 * spec read without trusting that the schema checked it.
 */
import { describe, expect, it } from 'vitest';
import { clusterSettings } from '../../../../lib/operator/cluster/cluster-spec.js';
import { validateCluster } from '../../../../lib/operator/cluster/validate-cluster.js';
import { parseTopicSpec } from '../../../../lib/operator/topic/topic-spec.js';

const topic = (spec: unknown) => ({
  apiVersion: 'kafscale.io/v1alpha1',
  kind: 'KafscaleTopic',
  metadata: { name: 'orders' },
  spec,
});

describe('clusterSettings', () => {
  it('fills what the spec leaves out with the defaults, merging objects key by key', () => {
    const s = clusterSettings({ edge: { resources: { requests: { cpu: '1' } } } });
    expect(s.edge.resources).toEqual({
      requests: { cpu: '1', memory: '512Mi' },
      limits: { cpu: '2', memory: '1Gi' },
    });
    expect(s.controlplane.replicas).toBe(3);
    expect(clusterSettings(null).etcd.endpoints).toEqual(['http://etcd:2379']);
  });
});

describe('validateCluster', () => {
  it('names each refused setting and each inconsistency by its field', () => {
    const problems = validateCluster(
      clusterSettings({
        config: { KAFSCALE_S3_SECRET_KEY: 'x' },
        storageNode: { config: { KAFSCALE_STORAGE_NODE_ID: 'n' } },
        edge: {
          singleAddress: { enabled: true },
          autoscaling: { minReplicas: 5, maxReplicas: 2 },
        },
      }),
    );
    expect(problems).toEqual([
      'spec.config.KAFSCALE_S3_SECRET_KEY: credentials are never read from values or ConfigMaps: store them in a Secret and name it in s3.credentialsSecretRef',
      "spec.storageNode.config.KAFSCALE_STORAGE_NODE_ID: set by the chart: each storage node's id is its pod name",
      'spec.edge.singleAddress.advertisedAddr: required when spec.edge.singleAddress.enabled is true (the load balancer host:port every edge advertises)',
      'spec.edge.autoscaling.minReplicas: 5 is above spec.edge.autoscaling.maxReplicas (2)',
    ]);
    expect(validateCluster(clusterSettings({}))).toEqual([]);
  });
});

describe('parseTopicSpec', () => {
  it('reads a good spec, the topic named after the object by default', () => {
    expect(parseTopicSpec(topic({ partitions: 3, configs: { 'retention.ms': '1' } }))).toEqual({
      ok: true,
      spec: {
        topicName: 'orders',
        partitions: 3,
        configs: { 'retention.ms': '1' },
        controlplaneUrl: undefined,
        clusterRef: undefined,
      },
    });
  });

  it('names every problem of a spec the schema should have refused, without throwing', () => {
    expect(
      parseTopicSpec(
        topic({
          topicName: '',
          partitions: 1.5,
          configs: { a: 1 },
          clusterRef: { name: 'c' },
          controlplaneUrl: 'http://x:1',
        }),
      ),
    ).toEqual({
      ok: false,
      problems: [
        'spec.topicName: must be a non-empty string',
        'spec.partitions: must be an integer of at least 1, got 1.5',
        'spec.configs.a: must be a string, got 1',
        'spec.controlplaneUrl and spec.clusterRef: give one of them, not both',
      ],
    });
    expect(parseTopicSpec(topic(undefined))).toMatchObject({ ok: false });
    expect(parseTopicSpec(topic({ partitions: 2, configs: [] }))).toEqual({
      ok: false,
      problems: ['spec.configs: must be a map of config names to strings'],
    });
  });
});
