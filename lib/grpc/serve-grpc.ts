/**
 * Serves connect routes as gRPC over HTTP/2 on a host:port, never compressing an answer
 * (service-transport.ts says why), with the wide windows of http2-windows.ts. With a TLS
 * context the server speaks TLS, requires a client certificate that chains to the
 * context's CA (mutual TLS between services), takes a reloaded certificate for new
 * connections, and gives each call its peer's principal (peer-principal.ts).
 */
import http2 from 'node:http2';
import type { ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { HostPort } from '../config/parsers.js';
import { listenOn } from '../net/listen-on.js';
import type { TlsContext } from '../security/tls-context.js';
import { SERVICE_HTTP2_SETTINGS, widenConnectionWindow } from './http2-windows.js';
import { peerPrincipalValues } from './peer-principal.js';

export interface GrpcServer {
  readonly port: number;
  close(): Promise<void>;
}

function createServer(
  tls: TlsContext | undefined,
  handler: ReturnType<typeof connectNodeAdapter>,
): http2.Http2Server | http2.Http2SecureServer {
  if (tls === undefined) return http2.createServer({ settings: SERVICE_HTTP2_SETTINGS }, handler);
  const server = http2.createSecureServer(
    {
      ...tls.options(),
      requestCert: true,
      rejectUnauthorized: true,
      settings: SERVICE_HTTP2_SETTINGS,
    },
    handler,
  );
  const unsubscribe = tls.subscribe((options) => {
    server.setSecureContext(options);
  });
  server.on('close', unsubscribe);
  return server;
}

export async function serveGrpc(
  listen: HostPort,
  routes: (router: ConnectRouter) => void,
  tls?: TlsContext,
): Promise<GrpcServer> {
  const sessions = new Set<http2.ServerHttp2Session>();
  const adapter = connectNodeAdapter({
    routes,
    acceptCompression: [],
    contextValues: peerPrincipalValues,
  });
  const server = createServer(tls, adapter);
  server.on('session', (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    widenConnectionWindow(session);
    session.on('close', () => sessions.delete(session));
  });
  const port = await listenOn(server, listen);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
