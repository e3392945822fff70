/**
 * One Kafka listener of the edge: accepts connections (over TLS for SSL and SASL_SSL
 * listeners) and hands each to a KafkaConnection with the listener's name and the
 * connection's authentication state. A TLS handshake that fails (untrusted or missing
 * client certificate, a plaintext client on a TLS port) only drops that connection.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { HostPort } from '../../../lib/config/parsers.js';
import { listenOn } from '../../../lib/net/listen-on.js';
import type { SecurityProtocol } from '../../../lib/config/listeners.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { HandlerRegistry } from '../handlers/handler-registry.js';
import { ANONYMOUS, ConnectionAuth, type SaslSettings } from '../security/connection-auth.js';
import type { TlsConfig } from '../../../lib/config/security-config.js';
import type { TlsContext } from '../../../lib/security/tls-context.js';
import { tlsPrincipal } from '../../../lib/security/tls-principal.js';
import { KafkaConnection, type ConnectionLimits } from './kafka-connection.js';

export interface KafkaServer {
  readonly port: number;
  close(): Promise<void>;
}

/** What a listener demands of its clients (absent: PLAINTEXT, no authentication state). */
export interface ListenerSecurity {
  readonly name: string;
  readonly protocol: SecurityProtocol;
  /** The certificate and key of SSL and SASL_SSL listeners. */
  readonly tls?: TlsContext<TlsConfig>;
  /** The mechanisms of SASL_PLAINTEXT and SASL_SSL listeners. */
  readonly sasl?: SaslSettings;
  /** Counts TLS handshakes that failed (kafscale_tls_handshake_failures_total). */
  readonly onTlsHandshakeFailure?: () => void;
}

function listenTls(
  tls: TlsContext<TlsConfig>,
  security: ListenerSecurity,
  log: Logger,
  accept: (socket: TLSSocket) => void,
): { server: Server; unsubscribe: () => void } {
  const clientAuth = tls.config.clientAuth;
  const server = createTlsServer(
    {
      ...tls.options(),
      minVersion: 'TLSv1.2',
      requestCert: clientAuth !== 'none',
      rejectUnauthorized: clientAuth === 'required',
    },
    (socket) => {
      // `requested`: no certificate is fine, an untrusted one is not (as a JSSE server does).
      // No certificate gives an empty object, whatever the typings say.
      const presented = (socket.getPeerCertificate() as { raw?: Buffer }).raw !== undefined;
      if (clientAuth === 'requested' && presented && !socket.authorized) {
        security.onTlsHandshakeFailure?.();
        log.warn(
          { peer: socket.remoteAddress, error: String(socket.authorizationError) },
          'TLS client certificate not trusted',
        );
        socket.destroy();
        return;
      }
      accept(socket);
    },
  );
  server.on('tlsClientError', (err, socket) => {
    security.onTlsHandshakeFailure?.();
    log.warn({ peer: socket.remoteAddress, error: err.message }, 'TLS handshake failed');
  });
  const unsubscribe = tls.subscribe((options) => {
    server.setSecureContext(options);
  });
  return { server, unsubscribe };
}

export async function startKafkaServer(
  listen: HostPort,
  registry: HandlerRegistry,
  limits: ConnectionLimits,
  log: Logger,
  security?: ListenerSecurity,
): Promise<KafkaServer> {
  const sockets = new Set<Socket>();
  let nextConnection = 0;
  const listenerLog = security === undefined ? log : log.child({ listener: security.name });
  const accept = (socket: Socket, principal: string): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = nextConnection++;
    const connectionLog = listenerLog.child({ connection, peer: socket.remoteAddress });
    new KafkaConnection(
      socket,
      registry,
      limits,
      connectionLog,
      security === undefined
        ? undefined
        : {
            listener: security.name,
            auth: new ConnectionAuth(principal, security.sasl, connectionLog),
          },
    );
  };
  let unsubscribe = (): void => undefined;
  let server: Server;
  if (security?.tls !== undefined) {
    const tls = listenTls(security.tls, security, listenerLog, (socket) => {
      accept(socket, tlsPrincipal(socket));
    });
    server = tls.server;
    unsubscribe = tls.unsubscribe;
  } else {
    server = createTcpServer((socket) => {
      accept(socket, ANONYMOUS);
    });
  }
  const port = await listenOn(server, listen);
  listenerLog.info(
    { host: listen.host, port, protocol: security?.protocol ?? 'PLAINTEXT' },
    'kafka listener started',
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
