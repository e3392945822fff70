/**
 * Security of the traffic between Kafscale's own processes and of its operators' access
 * (docs/security.md, "Between services"): mutual TLS on every gRPC server and client, TLS
 * and a client certificate towards etcd, and the tokens that authenticate calls to the
 * controlplane's AdminService. Only file names are read here; the files are loaded (and the
 * gRPC and token files reloaded on change) by the processes.
 */
import { ConfigError } from './config-error.js';

/** KAFSCALE_GRPC_TLS_*: every gRPC server asks for, and every client presents, a certificate. */
export interface ServiceTlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  /** The CAs a peer's certificate must chain to, on both ends. */
  readonly caFile: string;
  /** When set, the name a server's certificate must carry (else the chain alone is checked). */
  readonly serverName: string | undefined;
}

/** KAFSCALE_ETCD_CA_FILE, _CERT_FILE, _KEY_FILE. */
export interface EtcdTlsConfig {
  readonly caFile: string | undefined;
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
}

export interface AdminAuthConfig {
  /** The controlplane's accepted tokens, `name:token` a line (KAFSCALE_ADMIN_TOKENS_FILE). */
  readonly tokensFile: string | undefined;
  /** The token this process sends to the AdminService (KAFSCALE_ADMIN_TOKEN_FILE). */
  readonly tokenFile: string | undefined;
}

export interface RawServiceTls {
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  readonly caFile: string | undefined;
  readonly serverName: string | undefined;
}

export function parseServiceTls(raw: RawServiceTls): ServiceTlsConfig | undefined {
  const files = [
    ['KAFSCALE_GRPC_TLS_CERT_FILE', raw.certFile],
    ['KAFSCALE_GRPC_TLS_KEY_FILE', raw.keyFile],
    ['KAFSCALE_GRPC_TLS_CA_FILE', raw.caFile],
  ] as const;
  const set = files.filter(([, v]) => v !== undefined);
  if (set.length === 0) {
    if (raw.serverName !== undefined)
      throw new ConfigError(
        'KAFSCALE_GRPC_TLS_SERVER_NAME',
        raw.serverName,
        'gRPC TLS is off: set KAFSCALE_GRPC_TLS_CERT_FILE, _KEY_FILE and _CA_FILE',
      );
    return undefined;
  }
  const { certFile, keyFile, caFile } = raw;
  if (certFile === undefined || keyFile === undefined || caFile === undefined) {
    const [name, value] = set[0] ?? files[0];
    const missing = files.find(([, v]) => v === undefined)?.[0] ?? '';
    throw new ConfigError(
      name,
      value ?? '',
      `mutual TLS between services needs all three files: set ${missing} too`,
    );
  }
  return { certFile, keyFile, caFile, serverName: raw.serverName };
}

/** Why etcd's TLS files are refused: the chart and the operator refuse their values with these. */
export const ETCD_CLIENT_CERT_NEEDS_BOTH =
  'a client certificate needs both KAFSCALE_ETCD_CERT_FILE and KAFSCALE_ETCD_KEY_FILE';
export const ETCD_TLS_NEEDS_HTTPS =
  'etcd TLS is configured (KAFSCALE_ETCD_CA_FILE, _CERT_FILE, _KEY_FILE): use https:// endpoints';

/**
 * etcd's client TLS: a CA file alone (server authentication), or with a certificate and key
 * (etcd's --client-cert-auth). The endpoints must then be https:// URLs.
 */
export function parseEtcdTls(
  raw: EtcdTlsConfig,
  endpoints: readonly string[],
): EtcdTlsConfig | undefined {
  if (raw.caFile === undefined && raw.certFile === undefined && raw.keyFile === undefined)
    return undefined;
  if ((raw.certFile === undefined) !== (raw.keyFile === undefined)) {
    const [name, value] =
      raw.certFile === undefined
        ? ['KAFSCALE_ETCD_KEY_FILE', raw.keyFile]
        : ['KAFSCALE_ETCD_CERT_FILE', raw.certFile];
    throw new ConfigError(name, value ?? '', ETCD_CLIENT_CERT_NEEDS_BOTH);
  }
  const plain = endpoints.find((e) => !e.startsWith('https://'));
  if (plain !== undefined)
    throw new ConfigError('KAFSCALE_ETCD_ENDPOINTS', plain, ETCD_TLS_NEEDS_HTTPS);
  return raw;
}
