/**
 * TLS and SASL settings of the edge's Kafka listeners (docs/security.md). Only file names
 * are read here; the files themselves are loaded, and reloaded on change, by the edge.
 */
import { ConfigError } from './config-error.js';
import { usesSasl, usesTls, type ListenerConfig } from './listeners.js';

export const SASL_MECHANISM_NAMES = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanismName = (typeof SASL_MECHANISM_NAMES)[number];

/** Kafka's ssl.client.auth. */
export const CLIENT_AUTH_MODES = ['none', 'requested', 'required'] as const;
export type ClientAuthMode = (typeof CLIENT_AUTH_MODES)[number];

export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA certificates that client certificates must chain to (needed for client auth). */
  readonly caFile: string | undefined;
  readonly clientAuth: ClientAuthMode;
}

export interface SaslConfig {
  /** Kafka's sasl.enabled.mechanisms. */
  readonly mechanisms: readonly SaslMechanismName[];
  /** The PLAIN users file (needed when PLAIN is enabled). */
  readonly plainUsersFile: string | undefined;
  /** Kafka's connections.max.reauth.ms: 0 keeps a session for the connection's life. */
  readonly maxReauthMs: number;
}

export interface SecurityConfig {
  /** Undefined when no listener uses TLS. */
  readonly tls: TlsConfig | undefined;
  readonly sasl: SaslConfig;
  /** How often certificate, key, CA and users files are checked for changes. */
  readonly reloadIntervalMs: number;
}

export interface SecuritySettings {
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  readonly caFile: string | undefined;
  readonly clientAuth: ClientAuthMode;
  readonly mechanisms: string | undefined;
  readonly plainUsersFile: string | undefined;
  readonly maxReauthMs: number;
  readonly reloadIntervalMs: number;
}

function parseMechanisms(text: string | undefined): SaslMechanismName[] {
  if (text === undefined) return ['SCRAM-SHA-256', 'SCRAM-SHA-512'];
  const names = text
    .split(',')
    .map((p) => p.trim().toUpperCase())
    .filter((p) => p !== '');
  const out: SaslMechanismName[] = [];
  for (const name of names) {
    const known = SASL_MECHANISM_NAMES.find((m) => m === name);
    if (known === undefined)
      throw new ConfigError(
        'KAFSCALE_SASL_ENABLED_MECHANISMS',
        text,
        `${name} is not one of ${SASL_MECHANISM_NAMES.join(', ')}`,
      );
    if (!out.includes(known)) out.push(known);
  }
  if (out.length === 0)
    throw new ConfigError('KAFSCALE_SASL_ENABLED_MECHANISMS', text, 'names no mechanism');
  return out;
}

export function parseSecurity(
  s: SecuritySettings,
  listeners: readonly ListenerConfig[],
): SecurityConfig {
  const tlsListener = listeners.find((l) => usesTls(l.protocol));
  const sasl: SaslConfig = {
    mechanisms: parseMechanisms(s.mechanisms),
    plainUsersFile: s.plainUsersFile,
    maxReauthMs: s.maxReauthMs,
  };
  if (sasl.mechanisms.includes('PLAIN') && s.plainUsersFile === undefined)
    throw new ConfigError(
      'KAFSCALE_SASL_ENABLED_MECHANISMS',
      sasl.mechanisms.join(','),
      'PLAIN needs KAFSCALE_SASL_PLAIN_USERS_FILE',
    );
  if (!sasl.mechanisms.includes('PLAIN') && s.plainUsersFile !== undefined)
    throw new ConfigError(
      'KAFSCALE_SASL_PLAIN_USERS_FILE',
      s.plainUsersFile,
      'PLAIN is not in KAFSCALE_SASL_ENABLED_MECHANISMS',
    );
  const sasListener = listeners.some((l) => usesSasl(l.protocol));
  if (!sasListener && s.plainUsersFile !== undefined)
    throw new ConfigError(
      'KAFSCALE_SASL_PLAIN_USERS_FILE',
      s.plainUsersFile,
      'no listener uses SASL (KAFSCALE_LISTENERS)',
    );
  if (tlsListener === undefined) {
    for (const [variable, value] of [
      ['KAFSCALE_TLS_CERT_FILE', s.certFile],
      ['KAFSCALE_TLS_KEY_FILE', s.keyFile],
      ['KAFSCALE_TLS_CA_FILE', s.caFile],
    ] as const)
      if (value !== undefined)
        throw new ConfigError(variable, value, 'no listener uses TLS (KAFSCALE_LISTENERS)');
    return { tls: undefined, sasl, reloadIntervalMs: s.reloadIntervalMs };
  }
  if (s.certFile === undefined || s.keyFile === undefined)
    throw new ConfigError(
      s.certFile === undefined ? 'KAFSCALE_TLS_CERT_FILE' : 'KAFSCALE_TLS_KEY_FILE',
      '',
      `listener ${tlsListener.name} uses TLS: set KAFSCALE_TLS_CERT_FILE and KAFSCALE_TLS_KEY_FILE`,
    );
  if (s.clientAuth !== 'none' && s.caFile === undefined)
    throw new ConfigError(
      'KAFSCALE_TLS_CLIENT_AUTH',
      s.clientAuth,
      'client certificates need KAFSCALE_TLS_CA_FILE',
    );
  return {
    tls: { certFile: s.certFile, keyFile: s.keyFile, caFile: s.caFile, clientAuth: s.clientAuth },
    sasl,
    reloadIntervalMs: s.reloadIntervalMs,
  };
}
