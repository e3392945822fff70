/**
 * Adds or removes the operator's finalizer on a KafscaleTopic, by a merge patch that names
 * the resourceVersion it read: a concurrent change makes it fail (409) instead of
 * overwriting another finalizer, and the reconcile is tried again.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { GROUP, TOPIC, TOPIC_FINALIZER, VERSION } from '../api-groups.js';
import type { KubeClients } from '../kube/kube-clients.js';
import type { KubeObject } from '../kube/kube-object.js';

export async function setFinalizer(
  kube: KubeClients,
  topic: KubeObject,
  present: boolean,
): Promise<KubeObject> {
  const others = (topic.metadata.finalizers ?? []).filter((f) => f !== TOPIC_FINALIZER);
  return (await kube.custom.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace: topic.metadata.namespace ?? '',
      plural: TOPIC.plural,
      name: topic.metadata.name,
      body: {
        metadata: {
          resourceVersion: topic.metadata.resourceVersion,
          finalizers: present ? [...others, TOPIC_FINALIZER] : others,
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  )) as KubeObject;
}
