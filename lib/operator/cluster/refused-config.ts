/**
 * Settings a KafscaleCluster may not put in `config` or a service's `config`, and why: the
 * same list, with the same reasons, as the chart's `kafscale.refusedConfig`
 * (deploy/helm/kafscale/templates/_helpers.tpl; the parity test compares them).
 * Credentials come only from Secrets; the rest are derived from other fields or per pod.
 */
const CREDENTIALS = 'credentials are never read from values or ConfigMaps';
const MOUNTED = 'set by the chart: the Secret named in';
const GRPC_TLS = 'security.services.grpcTls.secretRef is mounted into every Kafscale pod';
const ETCD_PODS = 'is mounted into the edge, controlplane and storage-node pods';

export const REFUSED_CONFIG: Readonly<Record<string, string>> = {
  KAFSCALE_S3_ACCESS_KEY: `${CREDENTIALS}: store them in a Secret and name it in s3.credentialsSecretRef`,
  KAFSCALE_S3_SECRET_KEY: `${CREDENTIALS}: store them in a Secret and name it in s3.credentialsSecretRef`,
  KAFSCALE_S3_SESSION_TOKEN: `${CREDENTIALS}: store them in a Secret and name it in s3.credentialsSecretRef (sessionTokenKey)`,
  KAFSCALE_ETCD_USERNAME: `${CREDENTIALS}: store them in a Secret and name it in etcd.credentialsSecretRef`,
  KAFSCALE_ETCD_PASSWORD: `${CREDENTIALS}: store them in a Secret and name it in etcd.credentialsSecretRef`,
  KAFSCALE_CONSOLE_ADMIN_TOKEN: `${CREDENTIALS}: store the token in a Secret and name it in console.adminTokenSecretRef`,
  KAFSCALE_ETCD_ENDPOINTS: 'set by the chart from etcd.endpoints',
  KAFSCALE_S3_BUCKET: 'set by the chart from s3.bucket',
  KAFSCALE_S3_REGION: 'set by the chart from s3.region',
  KAFSCALE_S3_ENDPOINT: 'set by the chart from s3.endpoint',
  KAFSCALE_S3_PATH_STYLE: 'set by the chart from s3.pathStyle',
  KAFSCALE_S3_KMS_ARN: 'set by the chart from s3.kmsArn',
  KAFSCALE_METRICS_ADDR: 'set by the chart from metricsPort (the probes use that port)',
  KAFSCALE_METRICS_ADVERTISED_ADDR: 'set by the chart per pod (its pod IP and metricsPort)',
  KAFSCALE_EDGE_ADDR: 'set by the chart from edge.port',
  KAFSCALE_CONTROLPLANE_ADDR: 'set by the chart from controlplane.port',
  KAFSCALE_STORAGE_ADDR: 'set by the chart from storageNode.port',
  KAFSCALE_CONSOLE_ADDR: 'set by the chart from console.port',
  KAFSCALE_ADVERTISED_ADDR:
    'set by the chart per pod (its pod IP); for one address behind a load balancer use edge.singleAddress.enabled and edge.singleAddress.advertisedAddr',
  KAFSCALE_SINGLE_ADDRESS: 'set by the chart from edge.singleAddress.enabled',
  KAFSCALE_EDGE_ID:
    'each edge gets its id when it registers; one fixed id would be shared by every edge replica',
  KAFSCALE_STORAGE_NODE_ID: "set by the chart: each storage node's id is its pod name",
  KAFSCALE_CONTROLPLANE_URL: 'set by the chart to the controlplane Service',
  KAFSCALE_CONSOLE_BROKER_METRICS_URL: 'set by the chart from console.brokerMetricsUrls',
  KAFSCALE_LISTENERS: 'set by the chart from security.listeners (name and port)',
  KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP: 'set by the chart from security.listeners (protocol)',
  KAFSCALE_ADVERTISED_LISTENERS:
    'set by the chart per pod from security.listeners (advertisedAddr, else the pod IP)',
  KAFSCALE_TLS_CERT_FILE: `${MOUNTED} security.tls.secretRef is mounted into the edge pods`,
  KAFSCALE_TLS_KEY_FILE: `${MOUNTED} security.tls.secretRef is mounted into the edge pods`,
  KAFSCALE_TLS_CA_FILE: `${MOUNTED} security.tls.secretRef (caKey) is mounted into the edge pods`,
  KAFSCALE_TLS_CLIENT_AUTH: 'set by the chart from security.tls.clientAuth',
  KAFSCALE_SASL_ENABLED_MECHANISMS: 'set by the chart from security.sasl.enabledMechanisms',
  KAFSCALE_SASL_PLAIN_USERS_FILE: `${MOUNTED} security.sasl.plainUsersSecretRef is mounted into the edge pods`,
  KAFSCALE_SASL_MAX_REAUTH_MS: 'set by the chart from security.sasl.maxReauthMs',
  KAFSCALE_GRPC_TLS_CERT_FILE: `${MOUNTED} ${GRPC_TLS}`,
  KAFSCALE_GRPC_TLS_KEY_FILE: `${MOUNTED} ${GRPC_TLS}`,
  KAFSCALE_GRPC_TLS_CA_FILE: `${MOUNTED} ${GRPC_TLS}`,
  KAFSCALE_GRPC_TLS_SERVER_NAME: 'set by the chart from security.services.grpcTls.serverName',
  KAFSCALE_ADMIN_TOKENS_FILE: `${MOUNTED} security.services.adminTokensSecretRef is mounted into the controlplane pods`,
  KAFSCALE_ADMIN_TOKEN_FILE: `${MOUNTED} security.services.adminClientTokenSecretRef is mounted into the console and operator pods`,
  KAFSCALE_ETCD_CA_FILE: `${MOUNTED} etcd.tlsSecretRef ${ETCD_PODS}`,
  KAFSCALE_ETCD_CERT_FILE: `${MOUNTED} etcd.tlsSecretRef (certKey) ${ETCD_PODS}`,
  KAFSCALE_ETCD_KEY_FILE: `${MOUNTED} etcd.tlsSecretRef (keyKey) ${ETCD_PODS}`,
};
