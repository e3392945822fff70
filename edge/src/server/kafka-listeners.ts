/**
 * Every Kafka listener of one edge (KAFSCALE_LISTENERS), started together: the TLS
 * certificate and the PLAIN users file are loaded once and shared, SCRAM credentials come
 * from the edge's cache of the metadata stream, and each listener's advertised address is
 * its configured one, or where it listens (127.0.0.1 for a wildcard host, the bound port
 * for port 0).
 */
import { PlainUsers } from '../../../lib/security/plain/plain-users.js';
import { ReloadingFile } from '../../../lib/security/reloading-file.js';
import type { Registry } from 'prom-client';
import type { ListenerConfig } from '../../../lib/config/listeners.js';
import { usesSasl, usesTls } from '../../../lib/config/listeners.js';
import type { HostPort } from '../../../lib/config/parsers.js';
import type { SecurityConfig } from '../../../lib/config/security-config.js';
import type { Logger } from '../../../lib/log/logger.js';
import { PlainServer } from '../../../lib/security/plain/plain-server.js';
import type { SaslServer } from '../../../lib/security/sasl-server.js';
import { scramMechanismByName } from '../../../lib/security/scram/scram-mechanism.js';
import { ScramServer, type ScramLookup } from '../../../lib/security/scram/scram-server.js';
import type { ListenerAddress } from '../cluster-view.js';
import type { HandlerRegistry } from '../handlers/handler-registry.js';
import type { SaslSettings } from '../security/connection-auth.js';
import { securityMetrics } from '../security/security-metrics.js';
import { TlsContext } from '../../../lib/security/tls-context.js';
import type { ConnectionLimits } from './kafka-connection.js';
import { startKafkaServer, type KafkaServer } from './kafka-server.js';

export interface RunningListener extends ListenerAddress {
  readonly protocol: ListenerConfig['protocol'];
  /** The port it is bound to. */
  readonly boundPort: number;
}

export interface KafkaListeners {
  /** In configuration order; the first is the edge's main address. */
  readonly listeners: readonly RunningListener[];
  close(): Promise<void>;
}

export interface ListenerDeps {
  readonly registry: HandlerRegistry;
  readonly limits: ConnectionLimits;
  readonly metrics: Registry;
  /** The SCRAM credentials (the edge's cache of the metadata stream). */
  readonly scram: ScramLookup;
  readonly log: Logger;
}

function advertisedOf(l: ListenerConfig, boundPort: number): HostPort {
  if (l.advertised !== undefined) return l.advertised;
  const wildcard = l.listen.host === '0.0.0.0' || l.listen.host === '::' || l.listen.host === '';
  return { host: wildcard ? '127.0.0.1' : l.listen.host, port: boundPort };
}

export async function startKafkaListeners(
  configs: readonly ListenerConfig[],
  security: SecurityConfig,
  deps: ListenerDeps,
): Promise<KafkaListeners> {
  const metrics = securityMetrics(deps.metrics);
  const { log } = deps;
  const tls =
    security.tls !== undefined && configs.some((l) => usesTls(l.protocol))
      ? await TlsContext.open(security.tls, security.reloadIntervalMs, log, metrics.tlsReload)
      : undefined;
  const plainFile =
    security.sasl.plainUsersFile === undefined
      ? undefined
      : await ReloadingFile.open(
          security.sasl.plainUsersFile,
          (text) => PlainUsers.parse(text),
          security.reloadIntervalMs,
          log,
          'PLAIN users file',
        );
  const sasl: SaslSettings = {
    mechanisms: security.sasl.mechanisms,
    maxReauthMs: security.sasl.maxReauthMs,
    onAuthentication: metrics.authentication,
    create(mechanism): SaslServer {
      if (mechanism === 'PLAIN') return new PlainServer(() => plainFile?.current());
      const m = scramMechanismByName(mechanism);
      if (m === undefined) throw new Error(`no server for SASL mechanism ${mechanism}`);
      return new ScramServer(m, deps.scram);
    },
  };
  const servers: KafkaServer[] = [];
  const listeners: RunningListener[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.close()));
    tls?.stop();
    plainFile?.stop();
  };
  try {
    for (const l of configs) {
      const server = await startKafkaServer(l.listen, deps.registry, deps.limits, log, {
        name: l.name,
        protocol: l.protocol,
        ...(usesTls(l.protocol) && tls !== undefined ? { tls } : {}),
        ...(usesSasl(l.protocol) ? { sasl } : {}),
        onTlsHandshakeFailure: () => {
          metrics.tlsHandshakeFailure(l.name);
        },
      });
      servers.push(server);
      const advertised = advertisedOf(l, server.port);
      listeners.push({ name: l.name, protocol: l.protocol, boundPort: server.port, ...advertised });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { listeners, close };
}

/** `host:port` for one listener, `NAME://host:port, ...` for several (start-up lines). */
export function listenersText(listeners: readonly RunningListener[]): string {
  if (listeners.length === 1 && listeners[0] !== undefined)
    return `${listeners[0].host}:${listeners[0].port}`;
  return listeners.map((l) => `${l.name}://${l.host}:${l.port}`).join(', ');
}
