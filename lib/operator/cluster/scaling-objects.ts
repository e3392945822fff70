/**
 * What bounds a cluster's pod counts, as the chart's: the edges' HorizontalPodAutoscaler
 * (CPU) and a PodDisruptionBudget per service that lets evictions take one pod at a time.
 */
import type { KubeObject } from '../kube/kube-object.js';
import type { ClusterSettings, ComponentKey } from './cluster-spec.js';
import { componentName, objectMeta, selectorLabels } from './object-names.js';

export function edgeAutoscaler(
  cluster: string,
  namespace: string,
  s: ClusterSettings,
): KubeObject | undefined {
  const a = s.edge.autoscaling;
  if (!a.enabled) return undefined;
  const name = componentName(cluster, 'edge');
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: objectMeta(cluster, namespace, 'edge'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: a.targetCPUUtilizationPercentage },
          },
        },
      ],
    },
  };
}

export function disruptionBudgets(
  cluster: string,
  namespace: string,
  s: ClusterSettings,
  keys: readonly ComponentKey[],
): KubeObject[] {
  return keys.flatMap((key) => {
    const pdb = s[key].pdb;
    if (!pdb?.enabled) return [];
    return [
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: objectMeta(cluster, namespace, key),
        spec: {
          maxUnavailable: pdb.maxUnavailable,
          selector: { matchLabels: selectorLabels(cluster, key) },
        },
      },
    ];
  });
}
