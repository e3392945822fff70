/**
 * A process's side of the security between services (lib/config/service-security-config.ts):
 * the dialer for the other services' gRPC servers, the same with this process's admin token
 * for the AdminService, and the TLS its own gRPC servers speak. Files are loaded once here;
 * the gRPC certificate is reloaded when its files change.
 */
import { readFile } from 'node:fs/promises';
import type { KafscaleConfig } from '../../config/config.js';
import { MIN_ADMIN_TOKEN_LENGTH } from '../../security/admin-tokens.js';
import { bearerToken } from '../../grpc/bearer-token.js';
import { plainDialer, tlsDialer, type GrpcDialer } from '../../grpc/grpc-dialer.js';
import type { Logger } from '../../log/logger.js';
import { TlsContext } from '../../security/tls-context.js';

export interface ServiceSecurity {
  /** Dials the other services: mutual TLS when KAFSCALE_GRPC_TLS_* is set. */
  readonly dialer: GrpcDialer;
  /** Dials the AdminService: the dialer, with the token of KAFSCALE_ADMIN_TOKEN_FILE if set. */
  readonly adminDialer: GrpcDialer;
  /** What this process's gRPC servers speak: undefined for plain HTTP/2. */
  readonly serverTls: TlsContext | undefined;
  stop(): void;
}

/** The token of KAFSCALE_ADMIN_TOKEN_FILE: the file's text without surrounding whitespace. */
async function readAdminToken(path: string): Promise<string> {
  const token = (await readFile(path, 'utf8')).trim();
  if (token.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(token))
    throw new Error(
      `KAFSCALE_ADMIN_TOKEN_FILE ${path}: the token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without whitespace`,
    );
  return token;
}

export async function openServiceSecurity(
  config: KafscaleConfig,
  log: Logger,
): Promise<ServiceSecurity> {
  const tlsConfig = config.serviceTls;
  const tls =
    tlsConfig === undefined
      ? undefined
      : await TlsContext.open(tlsConfig, config.security.reloadIntervalMs, log);
  const dialer =
    tls === undefined || tlsConfig === undefined
      ? plainDialer()
      : tlsDialer(tls, tlsConfig.serverName);
  const tokenFile = config.adminAuth.tokenFile;
  const adminDialer =
    tokenFile === undefined ? dialer : dialer.with([bearerToken(await readAdminToken(tokenFile))]);
  return {
    dialer,
    adminDialer,
    serverTls: tls,
    stop: () => tls?.stop(),
  };
}
