/**
 * The spec of a KafscaleCluster: the Helm chart's values under the same names (a subset:
 * what a cluster differs in), so one values file describes a release of the chart and a
 * KafscaleCluster alike. `clusterSettings` fills what a spec leaves out with the chart's
 * defaults (deploy/helm/kafscale/values.yaml); the parity test checks they agree.
 */
export interface SecretKeyRefs {
  readonly name: string;
  readonly [key: string]: string;
}

export interface Resources {
  readonly requests?: Readonly<Record<string, string | number>>;
  readonly limits?: Readonly<Record<string, string | number>>;
}

export interface Pdb {
  readonly enabled: boolean;
  readonly maxUnavailable: number | string;
}

/** What every service has. */
export interface ServiceSettings {
  readonly replicas: number;
  readonly port: number;
  readonly resources: Resources;
  readonly config: Readonly<Record<string, string | number | boolean>>;
  readonly pdb?: Pdb;
  readonly terminationGracePeriodSeconds: number;
}

export interface EdgeSettings extends ServiceSettings {
  readonly singleAddress: { readonly enabled: boolean; readonly advertisedAddr: string };
  readonly service: { readonly type: string; readonly port: number };
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetCPUUtilizationPercentage: number;
  };
  readonly preStopSleepSeconds: number;
}

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

/** One Kafka listener of the edges (`security.listeners`). */
export interface ListenerSettings {
  readonly name: string;
  readonly protocol: SecurityProtocol;
  readonly port: number;
  /** host:port clients are told; empty or absent: the pod IP and port. */
  readonly advertisedAddr?: string;
  /** Also served by the edge Service (the load balancer). */
  readonly external?: boolean;
}

/**
 * Security between the services (`security.services`): the gRPC mutual-TLS Secret, the
 * admin API's tokens and the token its clients send; service-security.ts mounts them.
 */
export interface ServiceSecuritySettings {
  readonly grpcTls: { readonly secretRef: SecretKeyRefs | null; readonly serverName: string };
  readonly adminTokensSecretRef: SecretKeyRefs | null;
  readonly adminClientTokenSecretRef: SecretKeyRefs | null;
}

/**
 * TLS and SASL on the edges' listeners, and the security between the services (`security`):
 * the Secrets named, never their content.
 */
export interface SecuritySettings {
  readonly listeners: readonly ListenerSettings[];
  readonly tls: {
    readonly secretRef: SecretKeyRefs | null;
    readonly clientAuth: 'none' | 'requested' | 'required';
  };
  readonly sasl: {
    readonly enabledMechanisms: readonly string[];
    readonly plainUsersSecretRef: SecretKeyRefs | null;
    readonly maxReauthMs: number;
  };
  readonly services: ServiceSecuritySettings;
}

export interface ConsoleSettings extends ServiceSettings {
  readonly enabled: boolean;
  readonly service: { readonly type: string; readonly port: number };
  readonly adminTokenSecretRef: SecretKeyRefs | null;
  readonly brokerMetricsUrls: readonly string[];
}

export interface ClusterSettings {
  readonly image: {
    readonly repository: string;
    readonly tag: string;
    readonly pullPolicy: string;
  };
  readonly imagePullSecrets: readonly { readonly name: string }[];
  readonly etcd: {
    readonly endpoints: readonly string[];
    readonly credentialsSecretRef: SecretKeyRefs | null;
    /** etcd's CA (caKey) and optionally a client certificate (certKey, keyKey). */
    readonly tlsSecretRef: SecretKeyRefs | null;
  };
  readonly s3: {
    readonly bucket: string;
    readonly region: string;
    readonly endpoint: string;
    readonly pathStyle: boolean;
    readonly kmsArn: string;
    readonly credentialsSecretRef: SecretKeyRefs | null;
  };
  readonly config: Readonly<Record<string, string | number | boolean>>;
  readonly metricsPort: number;
  readonly security: SecuritySettings;
  readonly edge: EdgeSettings;
  readonly controlplane: ServiceSettings;
  readonly storageNode: ServiceSettings;
  readonly console: ConsoleSettings;
}

/** The services a cluster runs, by their key in the spec. */
export type ComponentKey = 'edge' | 'controlplane' | 'storageNode' | 'console';

/** The `kafscale` subcommand of each service, which also ends its objects' names. */
export const COMMAND: Readonly<Record<ComponentKey, string>> = {
  edge: 'edge',
  controlplane: 'controlplane',
  storageNode: 'storage-node',
  console: 'console',
};

const pdb: Pdb = { enabled: true, maxUnavailable: 1 };

/** The chart's defaults (values.yaml), for every field a KafscaleCluster may set. */
export const DEFAULTS: ClusterSettings = {
  image: { repository: 'kafscale', tag: '', pullPolicy: 'IfNotPresent' },
  imagePullSecrets: [],
  etcd: { endpoints: ['http://etcd:2379'], credentialsSecretRef: null, tlsSecretRef: null },
  s3: {
    bucket: 'kafscale',
    region: 'us-east-1',
    endpoint: 'https://s3.us-east-1.amazonaws.com',
    pathStyle: false,
    kmsArn: '',
    credentialsSecretRef: null,
  },
  config: {},
  metricsPort: 39093,
  security: {
    listeners: [],
    tls: { secretRef: null, clientAuth: 'none' },
    sasl: {
      enabledMechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
      plainUsersSecretRef: null,
      maxReauthMs: 0,
    },
    services: {
      grpcTls: { secretRef: null, serverName: '' },
      adminTokensSecretRef: null,
      adminClientTokenSecretRef: null,
    },
  },
  edge: {
    replicas: 3,
    port: 9092,
    singleAddress: { enabled: false, advertisedAddr: '' },
    service: { type: 'LoadBalancer', port: 9092 },
    autoscaling: {
      enabled: true,
      minReplicas: 3,
      maxReplicas: 12,
      targetCPUUtilizationPercentage: 70,
    },
    pdb,
    preStopSleepSeconds: 5,
    terminationGracePeriodSeconds: 30,
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    config: {},
  },
  controlplane: {
    replicas: 3,
    port: 19094,
    pdb,
    terminationGracePeriodSeconds: 30,
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    config: {},
  },
  storageNode: {
    replicas: 3,
    port: 19095,
    pdb,
    terminationGracePeriodSeconds: 60,
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    config: {},
  },
  console: {
    enabled: true,
    replicas: 1,
    port: 48080,
    service: { type: 'ClusterIP', port: 80 },
    adminTokenSecretRef: null,
    brokerMetricsUrls: [],
    terminationGracePeriodSeconds: 10,
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    },
    config: {},
  },
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `over` on `base` as Helm merges values: objects key by key, anything else replaced. */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/**
 * A spec with the chart's defaults filled in. The CRD schema has already checked the
 * spec's types; `validateCluster` checks what a schema cannot.
 */
export function clusterSettings(spec: unknown): ClusterSettings {
  return merge(DEFAULTS, isPlainObject(spec) ? spec : {}) as ClusterSettings;
}
