/**
 * The security between the services, as the chart renders it
 * (deploy/helm/kafscale/templates/_service-security.tpl): the gRPC mutual-TLS Secret mounted
 * into every pod, the admin API's tokens into the controlplane's, the token its clients send
 * into the console's, etcd's TLS Secret into the pods that talk to etcd. Each is a read-only
 * volume; the service's ConfigMap names only the files.
 */
import type { Json } from '../kube/kube-object.js';
import type { ClusterSettings, ComponentKey, SecretKeyRefs } from './cluster-spec.js';

const GRPC_TLS_DIR = '/etc/kafscale/grpc-tls';
const ADMIN_TOKENS_DIR = '/etc/kafscale/admin-tokens';
const ADMIN_TOKEN_DIR = '/etc/kafscale/admin-token';
const ETCD_TLS_DIR = '/etc/kafscale/etcd-tls';

const ETCD_CLIENTS: readonly ComponentKey[] = ['edge', 'controlplane', 'storageNode'];

/** One Secret mounted into a pod: its volume, directory, files, and the settings naming them. */
interface Mounted {
  readonly volume: string;
  readonly dir: string;
  readonly secret: SecretKeyRefs;
  readonly items: readonly { readonly key: string; readonly path: string }[];
  readonly config: Readonly<Record<string, string>>;
}

function grpcTls(s: ClusterSettings): Mounted | undefined {
  const { secretRef, serverName } = s.security.services.grpcTls;
  if (secretRef === null) return undefined;
  return {
    volume: 'grpc-tls',
    dir: GRPC_TLS_DIR,
    secret: secretRef,
    items: [
      { key: secretRef.certKey ?? 'tls.crt', path: 'tls.crt' },
      { key: secretRef.keyKey ?? 'tls.key', path: 'tls.key' },
      { key: secretRef.caKey ?? 'ca.crt', path: 'ca.crt' },
    ],
    config: {
      KAFSCALE_GRPC_TLS_CERT_FILE: `${GRPC_TLS_DIR}/tls.crt`,
      KAFSCALE_GRPC_TLS_KEY_FILE: `${GRPC_TLS_DIR}/tls.key`,
      KAFSCALE_GRPC_TLS_CA_FILE: `${GRPC_TLS_DIR}/ca.crt`,
      ...(serverName === '' ? {} : { KAFSCALE_GRPC_TLS_SERVER_NAME: serverName }),
    },
  };
}

/** A Secret holding one file. */
function oneFile(
  secret: SecretKeyRefs | null,
  volume: string,
  dir: string,
  file: string,
  variable: string,
): Mounted | undefined {
  if (secret === null) return undefined;
  return {
    volume,
    dir,
    secret,
    items: [{ key: secret.key ?? file, path: file }],
    config: { [variable]: `${dir}/${file}` },
  };
}

function etcdTls(s: ClusterSettings): Mounted | undefined {
  const secret = s.etcd.tlsSecretRef;
  if (secret === null) return undefined;
  // validate-service-security.ts refuses a certKey without a keyKey and the reverse.
  const { certKey, keyKey } = secret;
  const cert = certKey !== undefined && keyKey !== undefined;
  return {
    volume: 'etcd-tls',
    dir: ETCD_TLS_DIR,
    secret,
    items: [
      { key: secret.caKey ?? 'ca.crt', path: 'ca.crt' },
      ...(cert
        ? [
            { key: certKey, path: 'tls.crt' },
            { key: keyKey, path: 'tls.key' },
          ]
        : []),
    ],
    config: {
      KAFSCALE_ETCD_CA_FILE: `${ETCD_TLS_DIR}/ca.crt`,
      ...(cert
        ? {
            KAFSCALE_ETCD_CERT_FILE: `${ETCD_TLS_DIR}/tls.crt`,
            KAFSCALE_ETCD_KEY_FILE: `${ETCD_TLS_DIR}/tls.key`,
          }
        : {}),
    },
  };
}

/** The Secrets a service's process reads, in the chart's order. */
function mountedSecrets(s: ClusterSettings, key: ComponentKey): Mounted[] {
  const { adminTokensSecretRef, adminClientTokenSecretRef } = s.security.services;
  const mounted = [
    grpcTls(s),
    key === 'controlplane'
      ? oneFile(
          adminTokensSecretRef,
          'admin-tokens',
          ADMIN_TOKENS_DIR,
          'tokens',
          'KAFSCALE_ADMIN_TOKENS_FILE',
        )
      : undefined,
    key === 'console'
      ? oneFile(
          adminClientTokenSecretRef,
          'admin-client-token',
          ADMIN_TOKEN_DIR,
          'token',
          'KAFSCALE_ADMIN_TOKEN_FILE',
        )
      : undefined,
    ETCD_CLIENTS.includes(key) ? etcdTls(s) : undefined,
  ];
  return mounted.filter((m): m is Mounted => m !== undefined);
}

/** The service's settings naming the mounted files. */
export function serviceSecurityConfigData(
  s: ClusterSettings,
  key: ComponentKey,
): Record<string, string> {
  return Object.assign({}, ...mountedSecrets(s, key).map((m) => m.config)) as Record<
    string,
    string
  >;
}

export function serviceSecurityVolumes(s: ClusterSettings, key: ComponentKey): Json[] {
  return mountedSecrets(s, key).map((m) => ({
    name: m.volume,
    secret: { secretName: m.secret.name, items: m.items.map((i) => ({ ...i })) },
  }));
}

export function serviceSecurityVolumeMounts(s: ClusterSettings, key: ComponentKey): Json[] {
  return mountedSecrets(s, key).map((m) => ({ name: m.volume, mountPath: m.dir, readOnly: true }));
}
