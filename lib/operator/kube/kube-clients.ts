/**
 * The operator's clients of the Kubernetes API, from one kubeconfig: a named file
 * (KAFSCALE_KUBECONFIG), else $KUBECONFIG or ~/.kube/config, else the pod's service
 * account in cluster.
 */
import {
  CoordinationV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';

export interface KubeClients {
  readonly config: KubeConfig;
  /** Any object by apiVersion and kind: server-side apply, list, delete. */
  readonly objects: KubernetesObjectApi;
  /** KafscaleCluster and KafscaleTopic, and their status subresources. */
  readonly custom: CustomObjectsApi;
  readonly leases: CoordinationV1Api;
  /** The kubeconfig context's namespace (in cluster: the pod's), or `default`. */
  readonly namespace: string;
}

export function kubeClients(kubeconfig: string | undefined): KubeClients {
  const config = new KubeConfig();
  if (kubeconfig === undefined) config.loadFromDefault();
  else config.loadFromFile(kubeconfig);
  const context = config.getContextObject(config.getCurrentContext());
  return {
    config,
    objects: KubernetesObjectApi.makeApiClient(config),
    custom: config.makeApiClient(CustomObjectsApi),
    leases: config.makeApiClient(CoordinationV1Api),
    namespace: context?.namespace ?? 'default',
  };
}
