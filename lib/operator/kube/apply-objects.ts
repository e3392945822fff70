/**
 * Converging a set of objects: each desired object is server-side applied (the operator's
 * field manager owns exactly the fields it sets, so an unchanged object is not written
 * again and a restart mid-way applies the same content), and each object labelled for the
 * cluster that is no longer desired (the HPA when autoscaling is turned off, the console's
 * objects when it is disabled) is deleted.
 */
import { PatchStrategy } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../api-groups.js';
import type { KubeClients } from './kube-clients.js';
import { isNotFound } from './kube-errors.js';
import { asKubernetesObject, type KubeObject } from './kube-object.js';

/** The kinds the operator makes for a cluster, where a leftover may have to be deleted. */
export const OWNED_KINDS: readonly { apiVersion: string; kind: string; plural: string }[] = [
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts' },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets' },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
  },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets' },
];

export async function applyObject(kube: KubeClients, object: KubeObject): Promise<void> {
  await kube.objects.patch(
    asKubernetesObject(object),
    undefined,
    undefined,
    FIELD_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
}

/** The objects of a kind that match `labelSelector`, in `namespace` or (undefined) in all. */
export function listLabelled(
  kube: KubeClients,
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  labelSelector: string,
) {
  return kube.objects.list(
    apiVersion,
    kind,
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    labelSelector,
  );
}

/** Deletes what carries `labelSelector` and is controlled by `ownerUid` but is not in `keep`. */
export async function deleteLeftovers(
  kube: KubeClients,
  namespace: string,
  labelSelector: string,
  ownerUid: string,
  keep: readonly KubeObject[],
): Promise<string[]> {
  const wanted = new Set(keep.map((o) => `${o.kind}/${o.metadata.name}`));
  const deleted: string[] = [];
  for (const { apiVersion, kind } of OWNED_KINDS) {
    const list = await listLabelled(kube, apiVersion, kind, namespace, labelSelector);
    for (const item of list.items) {
      const name = item.metadata?.name ?? '';
      const owned = item.metadata?.ownerReferences?.some((r) => r.uid === ownerUid) ?? false;
      if (!owned || wanted.has(`${kind}/${name}`)) continue;
      try {
        await kube.objects.delete(
          asKubernetesObject({ apiVersion, kind, metadata: { name, namespace } }),
        );
        deleted.push(`${kind}/${name}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
  return deleted;
}
