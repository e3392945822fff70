/**
 * The Services of a cluster, as the chart's: the edges' client Service (LoadBalancer by
 * default) and in-cluster one, the controlplane's (its AdminService), the storage nodes'
 * headless governing Service, and the console's. The metrics ones carry
 * `kafscale.io/metrics` for the ServiceMonitor.
 */
import type { Json, KubeObject } from '../kube/kube-object.js';
import type { ClusterSettings, ComponentKey } from './cluster-spec.js';
import { listenerPortName } from './edge-security.js';
import { componentName, objectLabels, selectorLabels } from './object-names.js';

function port(name: string, number: number, targetPort: string, h2c = false): Json {
  return {
    name,
    port: number,
    targetPort,
    protocol: 'TCP',
    ...(h2c ? { appProtocol: 'kubernetes.io/h2c' } : {}),
  };
}

function service(
  cluster: string,
  namespace: string,
  key: ComponentKey,
  name: string,
  spec: Json,
  metrics: boolean,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels: {
        ...objectLabels(cluster, key),
        ...(metrics ? { 'kafscale.io/metrics': 'true' } : {}),
      },
    },
    spec: { ...spec, selector: selectorLabels(cluster, key) },
  };
}

/** The edges' Kafka ports: each listener's (the external ones only when `external`). */
function kafkaPorts(s: ClusterSettings, external: boolean): Json[] {
  const { listeners } = s.security;
  if (listeners.length === 0)
    return [port('kafka', external ? s.edge.service.port : s.edge.port, 'kafka')];
  return listeners
    .filter((l) => !external || l.external === true)
    .map((l) => port(listenerPortName(l), l.port, listenerPortName(l)));
}

export function clusterServices(
  cluster: string,
  namespace: string,
  s: ClusterSettings,
): KubeObject[] {
  const metrics = port('metrics', s.metricsPort, 'metrics');
  const edge = componentName(cluster, 'edge');
  const services = [
    service(
      cluster,
      namespace,
      'edge',
      edge,
      {
        type: s.edge.service.type,
        ports: kafkaPorts(s, true),
      },
      false,
    ),
    service(
      cluster,
      namespace,
      'edge',
      `${edge}-internal`,
      {
        type: 'ClusterIP',
        ports: [...kafkaPorts(s, false), metrics],
      },
      true,
    ),
    service(
      cluster,
      namespace,
      'controlplane',
      componentName(cluster, 'controlplane'),
      {
        type: 'ClusterIP',
        ports: [port('grpc', s.controlplane.port, 'grpc', true), metrics],
      },
      true,
    ),
    service(
      cluster,
      namespace,
      'storageNode',
      componentName(cluster, 'storageNode'),
      {
        clusterIP: 'None',
        ports: [port('grpc', s.storageNode.port, 'grpc', true), metrics],
      },
      true,
    ),
  ];
  if (s.console.enabled) {
    services.push(
      service(
        cluster,
        namespace,
        'console',
        componentName(cluster, 'console'),
        {
          type: s.console.service.type,
          ports: [port('http', s.console.service.port, 'http')],
        },
        false,
      ),
    );
  }
  return services;
}
