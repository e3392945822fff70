/**
 * Serves connect routes as gRPC over plain HTTP/2 on a host:port, never compressing an answer
 * (service-transport.ts says why).
 */
import http2 from 'node:http2';
import type { ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { HostPort } from '../config/parsers.js';
import { listenOn } from '../net/listen-on.js';

export interface GrpcServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function serveGrpc(
  listen: HostPort,
  routes: (router: ConnectRouter) => void,
): Promise<GrpcServer> {
  const sessions = new Set<http2.ServerHttp2Session>();
  const adapter = connectNodeAdapter({ routes, acceptCompression: [] });
  const server = http2.createServer(adapter);
  server.on('session', (session) => {
    sessions.add(session);
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
