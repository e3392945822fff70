/**
 * Watches KafscaleClusters and KafscaleTopics (in one namespace or all) and calls `changed`
 * with the key of each added, changed or deleted one, plus every key at each resync. A
 * watch that fails is started again after a second; the resync is what makes the
 * operator level-based even when an event is missed.
 */
import { makeInformer, type Informer, type KubernetesObject } from '@kubernetes/client-node';
import { CLUSTER, GROUP, TOPIC, VERSION } from './api-groups.js';
import type { KubeClients } from './kube/kube-clients.js';

export type ResourcePlural = typeof CLUSTER.plural | typeof TOPIC.plural;

export function resourceKey(plural: string, namespace: string, name: string): string {
  return `${plural}/${namespace}/${name}`;
}

export interface Watching {
  stop(): void;
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
  const list = async (plural: ResourcePlural) =>
    (namespace === undefined
      ? await kube.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })
      : await kube.custom.listNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural,
        })) as { items: KubernetesObject[] };
  for (const plural of [CLUSTER.plural, TOPIC.plural] as const) {
    const path =
      namespace === undefined
        ? `/apis/${GROUP}/${VERSION}/${plural}`
        : `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}`;
    const informer = makeInformer(kube.config, path, () => list(plural).then((l) => l as never));
    const enqueue = (o: KubernetesObject) => {
      changed(resourceKey(plural, o.metadata?.namespace ?? '', o.metadata?.name ?? ''));
    };
    informer.on('add', enqueue);
    informer.on('update', enqueue);
    informer.on('delete', enqueue);
    informer.on('error', (e: unknown) => {
      onError(e);
      setTimeout(() => {
        if (!stopped) void informer.start().catch(onError);
      }, 1000).unref();
    });
    informers.push(informer);
    void informer.start().catch(onError);
  }
  const resync = setInterval(() => {
    for (const plural of [CLUSTER.plural, TOPIC.plural] as const) {
      list(plural).then((l) => {
        for (const o of l.items) {
          changed(resourceKey(plural, o.metadata?.namespace ?? '', o.metadata?.name ?? ''));
        }
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
