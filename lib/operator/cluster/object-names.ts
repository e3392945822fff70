/**
 * Names and labels of a cluster's objects, as the chart names a release's: a cluster
 * named `kafscale` gets the objects of a release named `kafscale` (`kafscale-edge`, ...).
 */
import { CLUSTER_LABEL } from '../api-groups.js';
import { COMMAND, type ComponentKey } from './cluster-spec.js';

export function componentName(cluster: string, key: ComponentKey): string {
  return `${cluster}-${COMMAND[key]}`.slice(0, 63).replace(/-+$/, '');
}

/** The labels a component's pods are selected by (the chart's selectorLabels). */
export function selectorLabels(cluster: string, key: ComponentKey): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kafscale',
    'app.kubernetes.io/instance': cluster,
    'app.kubernetes.io/component': COMMAND[key],
  };
}

/** The labels of every object the operator makes for a cluster. */
export function objectLabels(cluster: string, key?: ComponentKey): Record<string, string> {
  return {
    ...(key === undefined
      ? { 'app.kubernetes.io/name': 'kafscale', 'app.kubernetes.io/instance': cluster }
      : selectorLabels(cluster, key)),
    'app.kubernetes.io/managed-by': 'kafscale-operator',
    'app.kubernetes.io/part-of': 'kafscale',
    [CLUSTER_LABEL]: cluster,
  };
}

/** The metadata of a component's object (named after the component unless `name` says). */
export function objectMeta(
  cluster: string,
  namespace: string,
  key: ComponentKey,
  name = componentName(cluster, key),
): { name: string; namespace: string; labels: Record<string, string> } {
  return { name, namespace, labels: objectLabels(cluster, key) };
}
