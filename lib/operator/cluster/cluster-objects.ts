/**
 * Every object a KafscaleCluster stands for, made from its settings alone (no reads): the
 * ServiceAccount, a ConfigMap per service, the workloads, Services, HPA and PDBs, each
 * owned by the KafscaleCluster (so the garbage collector deletes them with it).
 */
import type { KubeObject } from '../kube/kube-object.js';
import type { ClusterSettings, ComponentKey } from './cluster-spec.js';
import { configData } from './config-data.js';
import { objectLabels, objectMeta } from './object-names.js';
import { disruptionBudgets, edgeAutoscaler } from './scaling-objects.js';
import { clusterServices } from './services.js';
import { deployment, storageStatefulSet } from './workloads.js';

export interface Owner {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

export function enabledComponents(s: ClusterSettings): ComponentKey[] {
  const keys: ComponentKey[] = ['edge', 'controlplane', 'storageNode'];
  if (s.console.enabled) keys.push('console');
  return keys;
}

function configMap(
  cluster: string,
  namespace: string,
  s: ClusterSettings,
  key: ComponentKey,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(cluster, namespace, key),
    data: configData(cluster, s, key),
  };
}

/** The objects, without owner references (the parity test compares these with the chart's). */
export function clusterObjects(
  cluster: string,
  namespace: string,
  s: ClusterSettings,
): KubeObject[] {
  const keys = enabledComponents(s);
  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: cluster, namespace, labels: objectLabels(cluster) },
    // No Kafscale process talks to the Kubernetes API.
    automountServiceAccountToken: false,
  };
  const objects: (KubeObject | undefined)[] = [
    serviceAccount,
    ...keys.map((key) => configMap(cluster, namespace, s, key)),
    deployment(cluster, namespace, s, 'edge', cluster),
    deployment(cluster, namespace, s, 'controlplane', cluster),
    storageStatefulSet(cluster, namespace, s, cluster),
    ...(s.console.enabled ? [deployment(cluster, namespace, s, 'console', cluster)] : []),
    ...clusterServices(cluster, namespace, s),
    edgeAutoscaler(cluster, namespace, s),
    ...disruptionBudgets(cluster, namespace, s, keys),
  ];
  return objects.filter((o): o is KubeObject => o !== undefined);
}

/** The same objects, each owned (as its controller) by the KafscaleCluster. */
export function ownedClusterObjects(
  owner: Owner,
  namespace: string,
  s: ClusterSettings,
): KubeObject[] {
  return clusterObjects(owner.name, namespace, s).map((o) => ({
    ...o,
    metadata: {
      ...o.metadata,
      ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
    },
  }));
}
