/**
 * Watches KafscaleClusters and KafscaleTopics (in one namespace or all) and calls `changed`
 * with the key of each added, changed or deleted one, plus every key at each resync. The
 * objects the operator makes for a cluster are watched too (by their cluster label), so
 * one changed or deleted by hand is put back at once. A watch that fails is started again
 * after a second; the resync is what makes the operator level-based even when an event
 * is missed.
 */
import { makeInformer, type Informer, type KubernetesObject } from '@kubernetes/client-node';
import { CLUSTER, CLUSTER_LABEL, GROUP, TOPIC, VERSION } from './api-groups.js';
import { listLabelled, OWNED_KINDS } from './kube/apply-objects.js';
import type { KubeClients } from './kube/kube-clients.js';

export type ResourcePlural = typeof CLUSTER.plural | typeof TOPIC.plural;

export function resourceKey(plural: string, namespace: string, name: string): string {
  return `${plural}/${namespace}/${name}`;
}

export interface Watching {
  stop(): void;
}

/** The list-and-watch path of `plural` under `base` (/api/v1, /apis/group/version). */
function collection(base: string, plural: string, namespace: string | undefined): string {
  return namespace === undefined
    ? `${base}/${plural}`
    : `${base}/namespaces/${namespace}/${plural}`;
}

export function watchResources(
  kube: KubeClients,
  namespace: string | undefined,
  resyncMs: number,
  changed: (key: string) => void,
  onError: (e: unknown) => void,
): Watching {
  const informers: Informer<KubernetesObject>[] = [];
  let stopped = false;
  const start = (informer: Informer<KubernetesObject>) => {
    informer.on('error', (e: unknown) => {
      onError(e);
      setTimeout(() => {
        if (!stopped) void informer.start().catch(onError);
      }, 1000).unref();
    });
    informers.push(informer);
    void informer.start().catch(onError);
  };
  const keyOf = (plural: string, o: KubernetesObject, name = o.metadata?.name ?? '') =>
    resourceKey(plural, o.metadata?.namespace ?? '', name);

  const listResources = async (plural: ResourcePlural) =>
    (namespace === undefined
      ? await kube.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })
      : await kube.custom.listNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural,
        })) as { items: KubernetesObject[] };
  for (const plural of [CLUSTER.plural, TOPIC.plural] as const) {
    const informer = makeInformer(
      kube.config,
      collection(`/apis/${GROUP}/${VERSION}`, plural, namespace),
      () => listResources(plural).then((l) => l as never),
    );
    const enqueue = (o: KubernetesObject) => {
      changed(keyOf(plural, o));
    };
    for (const event of ['add', 'update', 'delete'] as const) informer.on(event, enqueue);
    start(informer);
  }

  for (const { apiVersion, kind, plural } of OWNED_KINDS) {
    const informer = makeInformer(
      kube.config,
      collection(apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`, plural, namespace),
      () => listLabelled(kube, apiVersion, kind, namespace, CLUSTER_LABEL).then((l) => l as never),
      CLUSTER_LABEL,
    );
    const enqueueOwner = (o: KubernetesObject) => {
      const cluster = o.metadata?.labels?.[CLUSTER_LABEL];
      if (cluster !== undefined) changed(keyOf(CLUSTER.plural, o, cluster));
    };
    informer.on('update', enqueueOwner);
    informer.on('delete', enqueueOwner);
    start(informer);
  }

  const resync = setInterval(() => {
    for (const plural of [CLUSTER.plural, TOPIC.plural] as const) {
      listResources(plural).then((l) => {
        for (const o of l.items) changed(keyOf(plural, o));
      }, onError);
    }
  }, resyncMs);
  return {
    stop() {
      stopped = true;
      clearInterval(resync);
      for (const i of informers) void i.stop();
    },
  };
}
