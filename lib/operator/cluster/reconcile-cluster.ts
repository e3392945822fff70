/**
 * One reconcile of a KafscaleCluster, level-based: it reads the cluster, makes its
 * desired objects from the spec alone, server-side applies each (an object already as
 * desired is not written), deletes the objects it made before that are no longer desired,
 * and reports in status what it did and how many pods of each workload are ready. A bad
 * spec makes nothing and says why in the Ready condition. Deleting a KafscaleCluster
 * needs nothing from here: its objects are owned by it and the garbage collector deletes
 * them.
 */
import { API_VERSION, CLUSTER, CLUSTER_LABEL } from '../api-groups.js';
import { applyObject, deleteLeftovers } from '../kube/apply-objects.js';
import type { KubeClients } from '../kube/kube-clients.js';
import { kubeMessage, kubeStatus } from '../kube/kube-errors.js';
import type { KubeObject } from '../kube/kube-object.js';
import { statusOf, writeStatus, type Readiness } from '../status.js';
import { clusterSettings } from './cluster-spec.js';
import { ownedClusterObjects } from './cluster-objects.js';
import { validateCluster } from './validate-cluster.js';
import { workloadReadiness } from './workload-readiness.js';

export interface ReconcileResult {
  /** Try again later (a failure that may pass); undefined: only on the next change or resync. */
  readonly retry: boolean;
  readonly summary: string;
}

export async function reconcileCluster(
  kube: KubeClients,
  cluster: KubeObject,
): Promise<ReconcileResult> {
  const { name, namespace = '', uid = '' } = cluster.metadata;
  if (cluster.metadata.deletionTimestamp !== undefined) {
    return { retry: false, summary: 'being deleted: the garbage collector deletes its objects' };
  }
  const settings = clusterSettings(cluster.spec);
  const problems = validateCluster(settings);
  if (problems.length > 0) {
    const readiness = { ready: false, reason: 'InvalidSpec', message: problems.join('; ') };
    await writeStatus(kube, CLUSTER.plural, cluster, statusOf(cluster, readiness, {}));
    return { retry: false, summary: readiness.message };
  }
  const owner = { apiVersion: API_VERSION, kind: CLUSTER.kind, name, uid };
  const desired = ownedClusterObjects(owner, namespace, settings);
  for (const object of desired) {
    try {
      await applyObject(kube, object);
    } catch (e) {
      const status = kubeStatus(e);
      // The API server refused the object (a value the chart's schema would refuse too).
      const refused = status !== undefined && status >= 400 && status < 500 && status !== 409;
      const readiness: Readiness = {
        ready: false,
        reason: refused ? 'ObjectRefused' : 'ApplyFailed',
        message: `${object.kind}/${object.metadata.name}: ${kubeMessage(e)}`,
      };
      await writeStatus(kube, CLUSTER.plural, cluster, statusOf(cluster, readiness, {}));
      return { retry: !refused, summary: readiness.message };
    }
  }
  const deleted = await deleteLeftovers(kube, namespace, `${CLUSTER_LABEL}=${name}`, uid, desired);
  const workloads = await workloadReadiness(kube, namespace, desired);
  const readiness: Readiness = {
    ready: true,
    reason: 'ObjectsApplied',
    message:
      `${desired.length} objects match the spec` +
      (deleted.length > 0 ? `; deleted ${deleted.join(', ')}` : ''),
  };
  await writeStatus(
    kube,
    CLUSTER.plural,
    cluster,
    statusOf(cluster, readiness, { objects: desired.length, workloads }),
  );
  return { retry: false, summary: readiness.message };
}
