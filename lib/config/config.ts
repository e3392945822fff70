/**
 * The configuration of every Kafscale process, read once from the environment at start-up,
 * validated and frozen. No other module reads process.env. Every variable is documented in
 * docs/configuration.md; a bad value stops start-up with a message naming it.
 */
import {
  parseEtcdTls,
  parseServiceTls,
  type AdminAuthConfig,
  type EtcdTlsConfig,
  type ServiceTlsConfig,
} from './service-security-config.js';
import {
  parseBoolean,
  parseChoice,
  parseHostPort,
  parseId,
  parseInteger,
  parseServiceUrl,
  parseUrl,
  parseUrlList,
  type HostPort,
} from './parsers.js';
import { hostname } from 'node:os';
import { ConfigError } from './config-error.js';
import { parseListeners, type ListenerConfig } from './listeners.js';
import { AUTHORIZER_KINDS, parseAuthorizer, type AuthorizerConfig } from './authorizer-config.js';
import { CLIENT_AUTH_MODES, parseSecurity, type SecurityConfig } from './security-config.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where clients reach the controlplane's gRPC services unless KAFSCALE_CONTROLPLANE_URL says. */
export const DEFAULT_CONTROLPLANE_URL = 'http://127.0.0.1:19094';

/** Seconds of the edge's produce and fetch records-per-second gauges (KAFSCALE_THROUGHPUT_WINDOW_SEC). */
export const DEFAULT_THROUGHPUT_WINDOW_SEC = 60;

export interface EtcdConfig {
  readonly endpoints: readonly string[];
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Undefined: plain http:// to etcd. */
  readonly tls: EtcdTlsConfig | undefined;
}

export interface S3Config {
  readonly bucket: string;
  readonly region: string;
  readonly endpoint: string;
  readonly forcePathStyle: boolean;
  readonly kmsKeyArn: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
  readonly sessionToken: string | undefined;
}

export interface StorageConfig {
  readonly listenAddr: HostPort;
  readonly nodeId: string | undefined;
  /** The longest pending appends wait while flushes are in flight. */
  readonly flushIntervalMs: number;
  /** The shortest such wait; between the two it follows the measured flush latency. */
  readonly minFlushIntervalMs: number;
  readonly flushBytes: number;
  readonly flushPipelineBytes: number;
  readonly maxInflightFlushes: number;
  /** Percent of flush PUTs that may be hedged (KAFSCALE_FLUSH_HEDGE_PERCENT; 0: never). */
  readonly hedgePercent: number;
  /** Percentile of recent PUT durations after which a PUT is hedged. */
  readonly hedgePercentile: number;
  /** Percent of object GETs that may be hedged (KAFSCALE_READ_HEDGE_PERCENT; 0: never). */
  readonly readHedgePercent: number;
  /** Percentile of recent GET durations (per size class) after which a GET is hedged. */
  readonly readHedgePercentile: number;
  readonly bufferBytes: number;
  readonly cacheBytes: number;
  /** Pieces (flush runs, or MiB pieces of segments) loaded ahead of a sequential reader. */
  readonly readAheadSegments: number;
  readonly leaseTtlSeconds: number;
  /** How often each node applies retention to the partitions it owns. */
  readonly retentionCheckIntervalMs: number;
  /** How often the sweeper seat's holder sweeps deleted topics, object records and orphans. */
  readonly objectSweepIntervalMs: number;
  /** How old an object's record (or an unrecorded object) must be before it may be deleted. */
  readonly objectGraceMs: number;
  /** Target size of a compacted segment object. */
  readonly segmentBytes: number;
  /** Small index entries a partition gathers before they are merged into a segment. */
  readonly compactionMinRuns: number;
  /** How often each node compacts the partitions it owns. */
  readonly compactionIntervalMs: number;
  /** The most partitions compacted at once on a node (KAFSCALE_COMPACTION_CONCURRENCY). */
  readonly compactionConcurrency: number;
}

/** Consumer-group coordination on the controlplane (Kafka's group.* and offsets.* configs). */
export interface GroupsConfig {
  /** Shards of a new cluster; an existing cluster keeps the count it was created with. */
  readonly shardCount: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly initialRebalanceDelayMs: number;
  readonly offsetMetadataMaxBytes: number;
  readonly offsetsRetentionMs: number;
  readonly retentionCheckIntervalMs: number;
  readonly maxMemberMetadataBytes: number;
  readonly commitIntervalMs: number;
}

/** The web console (`kafscale console`, and `kafscale dev`). */
export interface ConsoleConfig {
  /** Where the console serves /ui/ (KAFSCALE_CONSOLE_ADDR). */
  readonly addr: HostPort;
  /**
   * Prometheus endpoints the console reads live figures from (KAFSCALE_CONSOLE_BROKER_METRICS_URL,
   * comma-separated); empty: those figures show as unavailable.
   */
  readonly brokerMetricsUrls: readonly string[];
  /** Enables the console's admin actions, each of which must carry it (KAFSCALE_CONSOLE_ADMIN_TOKEN). */
  readonly adminToken: string | undefined;
}

/** The Kubernetes operator (`kafscale operator`). */
export interface OperatorConfig {
  /** A kubeconfig file (KAFSCALE_KUBECONFIG); unset: in cluster, else $KUBECONFIG or ~/.kube/config. */
  readonly kubeconfig: string | undefined;
  /** Where its Lease is (KAFSCALE_OPERATOR_NAMESPACE); unset: the kubeconfig's (in cluster, the pod's). */
  readonly namespace: string | undefined;
  /** The one namespace it watches (KAFSCALE_OPERATOR_WATCH_NAMESPACE); unset: all. */
  readonly watchNamespace: string | undefined;
  readonly leaseName: string;
  readonly leaseDurationSeconds: number;
  /** Every resource is reconciled at least this often, watched changes at once. */
  readonly resyncSeconds: number;
  /** This replica's name in the Lease (KAFSCALE_OPERATOR_ID); default host name and pid. */
  readonly identity: string;
}

export interface KafscaleConfig {
  /** The first Kafka listener's address (KAFSCALE_EDGE_ADDR, or the first of KAFSCALE_LISTENERS). */
  readonly edgeAddr: HostPort;
  /** Every Kafka listener of the edge (KAFSCALE_LISTENERS, or one PLAINTEXT on KAFSCALE_EDGE_ADDR). */
  readonly listeners: readonly ListenerConfig[];
  /** KAFSCALE_LISTENERS is set (`kafscale dev` then serves those instead of --kafka-port). */
  readonly explicitListeners: boolean;
  /** TLS and SASL of the listeners (docs/security.md). */
  readonly security: SecurityConfig;
  /** Mutual TLS between the services (KAFSCALE_GRPC_TLS_*); undefined: plain HTTP/2. */
  readonly serviceTls: ServiceTlsConfig | undefined;
  /** Who may call the controlplane's AdminService, and the token this process sends to it. */
  readonly adminAuth: AdminAuthConfig;
  /** Whether and how the edge authorizes requests with ACLs (docs/security.md). */
  readonly authorizer: AuthorizerConfig;
  /** Address given to clients in Metadata (KAFSCALE_ADVERTISED_ADDR); defaults from edgeAddr. */
  readonly advertisedAddr: HostPort;
  /** KAFSCALE_ADVERTISED_ADDR when set: the address other processes reach this one at. */
  readonly explicitAdvertisedAddr: HostPort | undefined;
  readonly edgeId: number | undefined;
  readonly logLevel: LogLevel;
  /** Log each Kafka request and response (key, version, correlation id, time) at debug. */
  readonly traceKafka: boolean;
  readonly autoCreateTopics: boolean;
  /** Advertise only this edge's address in Metadata (behind one load balancer). */
  readonly singleAddress: boolean;
  readonly defaultPartitions: number;
  /** Largest request frame accepted (KAFSCALE_MAX_REQUEST_BYTES). */
  readonly maxRequestBytes: number;
  /** Request bytes one connection may have in flight before reads pause. */
  readonly connectionInflightBytes: number;
  /** Request bytes all connections of an edge may have in flight before reads pause. */
  readonly edgeInflightBytes: number;
  readonly controlplaneAddr: HostPort;
  /** The controlplane's AdminService as its clients reach it (KAFSCALE_CONTROLPLANE_URL). */
  readonly controlplaneUrl: string;
  readonly metricsAddr: HostPort;
  /**
   * KAFSCALE_METRICS_ADVERTISED_ADDR when set: where other processes reach this one's metrics
   * endpoint (the controlplane reads /load from it); else derived from the listener.
   */
  readonly metricsAdvertisedAddr: HostPort | undefined;
  /** Sliding window of kafscale_produce_rps and kafscale_fetch_rps (KAFSCALE_THROUGHPUT_WINDOW_SEC). */
  readonly throughputWindowSec: number;
  /** Client quota rates are measured over this many windows (Kafka's quota.window.num). */
  readonly quotaWindowNum: number;
  /** Length of one quota window in seconds (Kafka's quota.window.size.seconds). */
  readonly quotaWindowSizeSec: number;
  /** Undefined: no etcd configured, use the in-process metadata store. */
  readonly etcd: EtcdConfig | undefined;
  /** True: the in-process object store (KAFSCALE_USE_MEMORY_S3). */
  readonly useMemoryS3: boolean;
  readonly s3: S3Config;
  readonly storage: StorageConfig;
  readonly groups: GroupsConfig;
  readonly console: ConsoleConfig;
  readonly operator: OperatorConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}

function advertisedDefault(listen: HostPort): HostPort {
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  return { host: wildcard ? '127.0.0.1' : listen.host, port: listen.port };
}

export function loadConfig(env: Env): KafscaleConfig {
  const str = (name: string) => read(env, name);
  const int = (name: string, fallback: number, min: number, max?: number) => {
    const v = str(name);
    return v === undefined ? fallback : parseInteger(name, v, min, max);
  };
  const bool = (name: string, fallback: boolean) => {
    const v = str(name);
    return v === undefined ? fallback : parseBoolean(name, v);
  };
  const addr = (name: string, fallback: string) => parseHostPort(name, str(name) ?? fallback);
  const optionalAddr = (name: string) => {
    const v = str(name);
    return v === undefined ? undefined : parseHostPort(name, v);
  };

  const advertised = str('KAFSCALE_ADVERTISED_ADDR');
  const etcdEndpoints = str('KAFSCALE_ETCD_ENDPOINTS');
  const edgeId = str('KAFSCALE_EDGE_ID');
  const storageNodeId = str('KAFSCALE_STORAGE_NODE_ID');
  const flushIntervalMs = int('KAFSCALE_FLUSH_INTERVAL_MS', 20, 1, 60_000);
  const consoleMetricsUrls = str('KAFSCALE_CONSOLE_BROKER_METRICS_URL');
  const explicitAdvertisedAddr =
    advertised === undefined ? undefined : parseHostPort('KAFSCALE_ADVERTISED_ADDR', advertised);
  const listeners = parseListeners({
    listeners: str('KAFSCALE_LISTENERS'),
    advertisedListeners: str('KAFSCALE_ADVERTISED_LISTENERS'),
    protocolMap: str('KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP'),
    edgeAddr: str('KAFSCALE_EDGE_ADDR'),
    advertisedAddr: explicitAdvertisedAddr,
  });
  const [firstListener] = listeners;
  if (firstListener === undefined) throw new Error('no Kafka listener configured');
  const edgeAddr = firstListener.listen;
  const security = parseSecurity(
    {
      certFile: str('KAFSCALE_TLS_CERT_FILE'),
      keyFile: str('KAFSCALE_TLS_KEY_FILE'),
      caFile: str('KAFSCALE_TLS_CA_FILE'),
      clientAuth: parseChoice(
        'KAFSCALE_TLS_CLIENT_AUTH',
        str('KAFSCALE_TLS_CLIENT_AUTH') ?? 'none',
        CLIENT_AUTH_MODES,
      ),
      mechanisms: str('KAFSCALE_SASL_ENABLED_MECHANISMS'),
      plainUsersFile: str('KAFSCALE_SASL_PLAIN_USERS_FILE'),
      maxReauthMs: int('KAFSCALE_SASL_MAX_REAUTH_MS', 0, 0, 2 ** 31 - 1),
      reloadIntervalMs: int('KAFSCALE_SECURITY_RELOAD_INTERVAL_MS', 10_000, 100, 3_600_000),
    },
    listeners,
  );
  const config: KafscaleConfig = {
    edgeAddr,
    listeners,
    explicitListeners: str('KAFSCALE_LISTENERS') !== undefined,
    security,
    serviceTls: parseServiceTls({
      certFile: str('KAFSCALE_GRPC_TLS_CERT_FILE'),
      keyFile: str('KAFSCALE_GRPC_TLS_KEY_FILE'),
      caFile: str('KAFSCALE_GRPC_TLS_CA_FILE'),
      serverName: str('KAFSCALE_GRPC_TLS_SERVER_NAME'),
    }),
    adminAuth: {
      tokensFile: str('KAFSCALE_ADMIN_TOKENS_FILE'),
      tokenFile: str('KAFSCALE_ADMIN_TOKEN_FILE'),
    },
    authorizer: parseAuthorizer({
      kind: parseChoice(
        'KAFSCALE_AUTHORIZER',
        str('KAFSCALE_AUTHORIZER') ?? 'none',
        AUTHORIZER_KINDS,
      ),
      superUsers: str('KAFSCALE_SUPER_USERS'),
      allowEveryoneIfNoAclFound: bool('KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND', false),
    }),
    advertisedAddr: explicitAdvertisedAddr ?? advertisedDefault(edgeAddr),
    explicitAdvertisedAddr,
    edgeId:
      edgeId === undefined ? undefined : parseInteger('KAFSCALE_EDGE_ID', edgeId, 0, 2 ** 31 - 1),
    logLevel: parseChoice('KAFSCALE_LOG_LEVEL', str('KAFSCALE_LOG_LEVEL') ?? 'warn', LOG_LEVELS),
    traceKafka: bool('KAFSCALE_TRACE_KAFKA', false),
    autoCreateTopics: bool('KAFSCALE_AUTO_CREATE_TOPICS', true),
    singleAddress: bool('KAFSCALE_SINGLE_ADDRESS', false),
    defaultPartitions: int('KAFSCALE_DEFAULT_PARTITIONS', 1, 1, 10_000),
    maxRequestBytes: int('KAFSCALE_MAX_REQUEST_BYTES', 104857600, 1024, 2 ** 31 - 1),
    connectionInflightBytes: int('KAFSCALE_CONNECTION_INFLIGHT_BYTES', 67108864, 1024, 2 ** 40),
    edgeInflightBytes: int('KAFSCALE_EDGE_INFLIGHT_BYTES', 268435456, 1024, 2 ** 40),
    controlplaneAddr: addr('KAFSCALE_CONTROLPLANE_ADDR', '0.0.0.0:19094'),
    controlplaneUrl: parseServiceUrl(
      'KAFSCALE_CONTROLPLANE_URL',
      str('KAFSCALE_CONTROLPLANE_URL') ?? DEFAULT_CONTROLPLANE_URL,
    ),
    metricsAddr: addr('KAFSCALE_METRICS_ADDR', '0.0.0.0:39093'),
    metricsAdvertisedAddr: optionalAddr('KAFSCALE_METRICS_ADVERTISED_ADDR'),
    throughputWindowSec: int(
      'KAFSCALE_THROUGHPUT_WINDOW_SEC',
      DEFAULT_THROUGHPUT_WINDOW_SEC,
      1,
      3600,
    ),
    quotaWindowNum: int('KAFSCALE_QUOTA_WINDOW_NUM', 11, 2, 1000),
    quotaWindowSizeSec: int('KAFSCALE_QUOTA_WINDOW_SIZE_SECONDS', 1, 1, 3600),
    etcd:
      etcdEndpoints === undefined
        ? undefined
        : {
            endpoints: parseUrlList('KAFSCALE_ETCD_ENDPOINTS', etcdEndpoints),
            username: str('KAFSCALE_ETCD_USERNAME'),
            password: str('KAFSCALE_ETCD_PASSWORD'),
            tls: parseEtcdTls(
              {
                caFile: str('KAFSCALE_ETCD_CA_FILE'),
                certFile: str('KAFSCALE_ETCD_CERT_FILE'),
                keyFile: str('KAFSCALE_ETCD_KEY_FILE'),
              },
              parseUrlList('KAFSCALE_ETCD_ENDPOINTS', etcdEndpoints),
            ),
          },
    useMemoryS3: bool('KAFSCALE_USE_MEMORY_S3', false),
    s3: {
      bucket: str('KAFSCALE_S3_BUCKET') ?? 'kafscale',
      region: str('KAFSCALE_S3_REGION') ?? 'us-east-1',
      endpoint: parseUrl(
        'KAFSCALE_S3_ENDPOINT',
        str('KAFSCALE_S3_ENDPOINT') ?? 'http://127.0.0.1:9000',
      ),
      forcePathStyle: bool('KAFSCALE_S3_PATH_STYLE', true),
      kmsKeyArn: str('KAFSCALE_S3_KMS_ARN'),
      accessKeyId: str('KAFSCALE_S3_ACCESS_KEY'),
      secretAccessKey: str('KAFSCALE_S3_SECRET_KEY'),
      sessionToken: str('KAFSCALE_S3_SESSION_TOKEN'),
    },
    storage: {
      listenAddr: addr('KAFSCALE_STORAGE_ADDR', '0.0.0.0:19095'),
      nodeId:
        storageNodeId === undefined
          ? undefined
          : parseId('KAFSCALE_STORAGE_NODE_ID', storageNodeId),
      flushIntervalMs,
      // Unset: a fixed wait. An adaptive one made 8-112% more PUTs per GiB on MinIO with no
      // measured gain in latency or throughput (docs/performance.md).
      minFlushIntervalMs: int('KAFSCALE_FLUSH_MIN_INTERVAL_MS', flushIntervalMs, 1, 60_000),
      flushBytes: int('KAFSCALE_FLUSH_BYTES', 4 * 1024 * 1024, 1024, 1024 ** 3),
      flushPipelineBytes: int('KAFSCALE_FLUSH_PIPELINE_BYTES', 1024 * 1024, 1, 1024 ** 3),
      maxInflightFlushes: int('KAFSCALE_FLUSH_MAX_INFLIGHT', 4, 1, 64),
      hedgePercent: int('KAFSCALE_FLUSH_HEDGE_PERCENT', 5, 0, 100),
      hedgePercentile: int('KAFSCALE_FLUSH_HEDGE_PERCENTILE', 95, 50, 99),
      readHedgePercent: int('KAFSCALE_READ_HEDGE_PERCENT', 5, 0, 100),
      readHedgePercentile: int('KAFSCALE_READ_HEDGE_PERCENTILE', 95, 50, 99),
      bufferBytes: int('KAFSCALE_STORAGE_BUFFER_BYTES', 256 * 1024 * 1024, 1024 * 1024, 2 ** 40),
      cacheBytes: int('KAFSCALE_CACHE_BYTES', 256 * 1024 * 1024, 0, 2 ** 40),
      readAheadSegments: int('KAFSCALE_READAHEAD_SEGMENTS', 2, 0, 64),
      leaseTtlSeconds: int('KAFSCALE_LEASE_TTL_SECONDS', 10, 1, 3600),
      retentionCheckIntervalMs: int(
        'KAFSCALE_RETENTION_CHECK_INTERVAL_MS',
        300_000,
        100,
        2 ** 31 - 1,
      ),
      objectSweepIntervalMs: int('KAFSCALE_OBJECT_SWEEP_INTERVAL_MS', 300_000, 100, 2 ** 31 - 1),
      objectGraceMs: int('KAFSCALE_OBJECT_GRACE_MS', 600_000, 100, 2 ** 31 - 1),
      segmentBytes: int('KAFSCALE_SEGMENT_BYTES', 16 * 1024 * 1024, 1024, 1024 ** 3),
      compactionMinRuns: int('KAFSCALE_COMPACTION_MIN_RUNS', 256, 2, 1024),
      compactionIntervalMs: int('KAFSCALE_COMPACTION_INTERVAL_MS', 5_000, 100, 2 ** 31 - 1),
      compactionConcurrency: int('KAFSCALE_COMPACTION_CONCURRENCY', 4, 1, 64),
    },
    groups: {
      shardCount: int('KAFSCALE_GROUP_SHARDS', 16, 1, 4096),
      minSessionTimeoutMs: int('KAFSCALE_GROUP_MIN_SESSION_TIMEOUT_MS', 6_000, 1, 2 ** 31 - 1),
      maxSessionTimeoutMs: int('KAFSCALE_GROUP_MAX_SESSION_TIMEOUT_MS', 1_800_000, 1, 2 ** 31 - 1),
      initialRebalanceDelayMs: int('KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS', 3_000, 0, 600_000),
      offsetMetadataMaxBytes: int('KAFSCALE_OFFSET_METADATA_MAX_BYTES', 4_096, 0, 1024 * 1024),
      offsetsRetentionMs:
        int('KAFSCALE_OFFSETS_RETENTION_MINUTES', 10_080, 1, 2 ** 31 - 1) * 60_000,
      retentionCheckIntervalMs: int(
        'KAFSCALE_OFFSETS_RETENTION_CHECK_INTERVAL_MS',
        600_000,
        1_000,
        2 ** 31 - 1,
      ),
      maxMemberMetadataBytes: int(
        'KAFSCALE_GROUP_MAX_MEMBER_METADATA_BYTES',
        256 * 1024,
        1024,
        1024 * 1024,
      ),
      commitIntervalMs: int('KAFSCALE_GROUP_COMMIT_INTERVAL_MS', 5, 0, 10_000),
    },
    console: {
      addr: addr('KAFSCALE_CONSOLE_ADDR', '127.0.0.1:48080'),
      brokerMetricsUrls:
        consoleMetricsUrls === undefined
          ? []
          : parseUrlList('KAFSCALE_CONSOLE_BROKER_METRICS_URL', consoleMetricsUrls),
      adminToken: adminToken(str('KAFSCALE_CONSOLE_ADMIN_TOKEN')),
    },
    operator: {
      kubeconfig: str('KAFSCALE_KUBECONFIG'),
      namespace: str('KAFSCALE_OPERATOR_NAMESPACE'),
      watchNamespace: str('KAFSCALE_OPERATOR_WATCH_NAMESPACE'),
      leaseName: parseId(
        'KAFSCALE_OPERATOR_LEASE_NAME',
        str('KAFSCALE_OPERATOR_LEASE_NAME') ?? 'kafscale-operator',
      ),
      leaseDurationSeconds: int('KAFSCALE_OPERATOR_LEASE_SECONDS', 15, 2, 3600),
      resyncSeconds: int('KAFSCALE_OPERATOR_RESYNC_SECONDS', 30, 1, 86_400),
      identity: str('KAFSCALE_OPERATOR_ID') ?? `${hostname()}-${process.pid}`,
    },
  };
  if (config.storage.minFlushIntervalMs > config.storage.flushIntervalMs) {
    throw new Error(
      `KAFSCALE_FLUSH_MIN_INTERVAL_MS (${config.storage.minFlushIntervalMs}) is above ` +
        `KAFSCALE_FLUSH_INTERVAL_MS (${config.storage.flushIntervalMs})`,
    );
  }
  if (config.groups.minSessionTimeoutMs > config.groups.maxSessionTimeoutMs) {
    throw new Error(
      `KAFSCALE_GROUP_MIN_SESSION_TIMEOUT_MS (${config.groups.minSessionTimeoutMs}) is above ` +
        `KAFSCALE_GROUP_MAX_SESSION_TIMEOUT_MS (${config.groups.maxSessionTimeoutMs})`,
    );
  }
  return deepFreeze(config);
}

/** The console's admin token: unset, or at least 16 characters with no whitespace. */
function adminToken(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length < 16 || /\s/.test(text)) {
    // The value is a secret: the message does not repeat it.
    throw new ConfigError(
      'KAFSCALE_CONSOLE_ADMIN_TOKEN',
      '(hidden)',
      'must be at least 16 characters without whitespace',
    );
  }
  return text;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
