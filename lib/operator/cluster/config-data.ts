/**
 * The KAFSCALE_* settings in a service's ConfigMap, as the chart's `kafscale.configData`
 * makes them: the cluster's `config`, the service's `config` over it, then what is derived
 * from the other fields (listen addresses, etcd and S3, the controlplane URL, the edges'
 * listeners, TLS and SASL, and the files of the Secrets between the services).
 */
import type { ClusterSettings, ComponentKey } from './cluster-spec.js';
import { securityConfigData } from './edge-security.js';
import { serviceSecurityConfigData } from './service-security.js';
import { componentName } from './object-names.js';

/** A config value as the string a process reads: whole numbers without an exponent. */
function envValue(v: string | number | boolean): string {
  return typeof v === 'number' && Number.isInteger(v) ? v.toFixed(0) : String(v);
}

export function configData(
  cluster: string,
  s: ClusterSettings,
  key: ComponentKey,
): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...s.config, ...s[key].config })) data[k] = envValue(v);
  Object.assign(data, serviceSecurityConfigData(s, key));
  data.KAFSCALE_METRICS_ADDR = `0.0.0.0:${s.metricsPort}`;
  if (key !== 'console') data.KAFSCALE_ETCD_ENDPOINTS = s.etcd.endpoints.join(',');
  switch (key) {
    case 'storageNode':
      data.KAFSCALE_S3_BUCKET = s.s3.bucket;
      data.KAFSCALE_S3_REGION = s.s3.region;
      data.KAFSCALE_S3_ENDPOINT = s.s3.endpoint;
      data.KAFSCALE_S3_PATH_STYLE = String(s.s3.pathStyle);
      if (s.s3.kmsArn !== '') data.KAFSCALE_S3_KMS_ARN = s.s3.kmsArn;
      data.KAFSCALE_STORAGE_ADDR = `0.0.0.0:${s.storageNode.port}`;
      break;
    case 'edge':
      Object.assign(data, securityConfigData(s));
      if (s.security.listeners.length === 0) data.KAFSCALE_EDGE_ADDR = `0.0.0.0:${s.edge.port}`;
      data.KAFSCALE_SINGLE_ADDRESS = String(s.edge.singleAddress.enabled);
      if (s.edge.singleAddress.enabled) {
        data.KAFSCALE_ADVERTISED_ADDR = s.edge.singleAddress.advertisedAddr;
      }
      break;
    case 'controlplane':
      data.KAFSCALE_CONTROLPLANE_ADDR = `0.0.0.0:${s.controlplane.port}`;
      break;
    case 'console':
      data.KAFSCALE_CONSOLE_ADDR = `0.0.0.0:${s.console.port}`;
      data.KAFSCALE_CONTROLPLANE_URL = controlplaneUrl(cluster, s);
      if (s.console.brokerMetricsUrls.length > 0) {
        data.KAFSCALE_CONSOLE_BROKER_METRICS_URL = s.console.brokerMetricsUrls.join(',');
      }
      break;
  }
  return data;
}

/** The controlplane Service's AdminService, as pods in the cluster's namespace reach it. */
export function controlplaneUrl(cluster: string, s: ClusterSettings): string {
  return `http://${componentName(cluster, 'controlplane')}:${s.controlplane.port}`;
}
