/**
 * KafscaleCluster specs (= chart values) the operator tests share: the parity test renders
 * them with the chart and the operator, the API-server test checks the CRD accepts them.
 */
/** Values that change every field a KafscaleCluster can set away from its default. */
export const NON_DEFAULT = {
  image: { repository: 'registry.example.com/kafscale', tag: '9.9.9', pullPolicy: 'Always' },
  imagePullSecrets: [{ name: 'pull' }],
  etcd: {
    endpoints: ['http://etcd-a:2379', 'http://etcd-b:2379'],
    credentialsSecretRef: { name: 'etcd-cred', usernameKey: 'u', passwordKey: 'p' },
  },
  s3: {
    bucket: 'logs',
    region: 'eu-west-1',
    endpoint: 'http://minio:9000',
    pathStyle: true,
    kmsArn: 'arn:aws:kms:eu-west-1:1:key/k',
    credentialsSecretRef: { name: 's3-cred', sessionTokenKey: 'token' },
  },
  config: { KAFSCALE_LOG_LEVEL: 'info', KAFSCALE_FLUSH_INTERVAL_MS: '50' },
  metricsPort: 9100,
  edge: {
    port: 9093,
    singleAddress: { enabled: true, advertisedAddr: 'kafka.example.com:9092' },
    service: { type: 'NodePort', port: 9094 },
    autoscaling: { minReplicas: 4, maxReplicas: 20, targetCPUUtilizationPercentage: 60 },
    resources: { requests: { cpu: '1' } },
    config: { KAFSCALE_TRACE_KAFKA: 'true' },
    pdb: { maxUnavailable: 2 },
    preStopSleepSeconds: 9,
  },
  controlplane: { replicas: 5, port: 19194, config: { KAFSCALE_GROUP_SHARDS: '64' } },
  storageNode: { replicas: 6, port: 19195, pdb: { enabled: false } },
  console: {
    replicas: 2,
    port: 48081,
    service: { type: 'LoadBalancer', port: 8080 },
    adminTokenSecretRef: { name: 'console-token' },
    brokerMetricsUrls: ['http://m:1/metrics'],
  },
};

export const NO_AUTOSCALING_NO_CONSOLE = {
  edge: { replicas: 7, autoscaling: { enabled: false } },
  console: { enabled: false },
};

/** Listeners of every protocol, TLS with client certificates and SASL with PLAIN, from Secrets. */
export const SECURITY = {
  security: {
    listeners: [
      { name: 'INTERNAL', protocol: 'PLAINTEXT', port: 9092 },
      {
        name: 'SASL_EXT',
        protocol: 'SASL_SSL',
        port: 9094,
        advertisedAddr: 'kafka.example.com:9094',
        external: true,
      },
      { name: 'MTLS', protocol: 'SSL', port: 9095, external: true },
      { name: 'SASL_IN', protocol: 'SASL_PLAINTEXT', port: 9096, external: false },
    ],
    tls: {
      secretRef: { name: 'edge-tls', certKey: 'chain.pem', keyKey: 'key.pem', caKey: 'ca.pem' },
      clientAuth: 'required',
    },
    sasl: {
      enabledMechanisms: ['PLAIN', 'SCRAM-SHA-512'],
      plainUsersSecretRef: { name: 'edge-plain', key: 'users' },
      maxReauthMs: 3_600_000,
    },
  },
};

/**
 * The security between the services from Secrets, every key renamed: gRPC mutual TLS with a
 * server name, the admin API's tokens and the token the console sends, etcd TLS with a
 * client certificate (and https:// endpoints, which it needs).
 */
export const SERVICE_SECURITY = {
  etcd: {
    endpoints: ['https://etcd-0.etcd:2379', 'https://etcd-1.etcd:2379'],
    tlsSecretRef: {
      name: 'svc-etcd',
      caKey: 'etcd-ca.pem',
      certKey: 'etcd-client.pem',
      keyKey: 'etcd-client-key.pem',
    },
  },
  security: {
    services: {
      grpcTls: {
        secretRef: { name: 'svc-grpc', certKey: 'svc.pem', keyKey: 'svc-key.pem', caKey: 'ca.pem' },
        serverName: 'kafscale-internal',
      },
      adminTokensSecretRef: { name: 'svc-admin-tokens', key: 'tokens.txt' },
      adminClientTokenSecretRef: { name: 'svc-admin-client', key: 'ops-token' },
    },
  },
};
