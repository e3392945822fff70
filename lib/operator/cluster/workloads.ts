/**
 * The workloads of a cluster, as the chart's: Deployments for the edges (no replica count
 * while the HPA owns it), the controlplane and the console; a StatefulSet for the storage
 * nodes (stable ids, started and replaced in parallel, no volume).
 */
import type { Json, KubeObject } from '../kube/kube-object.js';
import type { ClusterSettings, ComponentKey } from './cluster-spec.js';
import { componentName, objectMeta, selectorLabels } from './object-names.js';
import { podTemplate } from './pod-template.js';

type DeploymentKey = Exclude<ComponentKey, 'storageNode'>;

const ROLLING: Record<DeploymentKey, Json | undefined> = {
  edge: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
  controlplane: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  console: undefined,
};

export function deployment(
  cluster: string,
  namespace: string,
  s: ClusterSettings,
  key: DeploymentKey,
  serviceAccount: string,
): KubeObject {
  const replicas = key === 'edge' && s.edge.autoscaling.enabled ? undefined : s[key].replicas;
  const strategy = ROLLING[key];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(cluster, namespace, key),
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: selectorLabels(cluster, key) },
      ...(strategy === undefined ? {} : { strategy }),
      template: podTemplate(cluster, s, key, serviceAccount),
    },
  };
}

export function storageStatefulSet(
  cluster: string,
  namespace: string,
  s: ClusterSettings,
  serviceAccount: string,
): KubeObject {
  const name = componentName(cluster, 'storageNode');
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: objectMeta(cluster, namespace, 'storageNode'),
    spec: {
      replicas: s.storageNode.replicas,
      serviceName: name,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: selectorLabels(cluster, 'storageNode') },
      template: podTemplate(cluster, s, 'storageNode', serviceAccount),
    },
  };
}
