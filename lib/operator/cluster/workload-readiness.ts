/**
 * How many pods of each workload are ready, for a KafscaleCluster's status (`edge: 3/3`).
 * The objects' readiness is the kubelet's to bring about; the operator only reports it.
 */
import type { KubeClients } from '../kube/kube-clients.js';
import type { KubeObject } from '../kube/kube-object.js';

interface WorkloadStatus {
  readonly replicas?: number;
  readonly readyReplicas?: number;
}

export async function workloadReadiness(
  kube: KubeClients,
  namespace: string,
  objects: readonly KubeObject[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const o of objects) {
    if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet') continue;
    const live = (await kube.objects.read({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.metadata.name, namespace },
    })) as unknown as { spec?: { replicas?: number }; status?: WorkloadStatus };
    const desired = live.spec?.replicas ?? 0;
    out[o.metadata.name] = `${live.status?.readyReplicas ?? 0}/${desired}`;
  }
  return out;
}
