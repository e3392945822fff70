/**
 * Starts an HTTP server listening on a host:port and gives its port and a close that does
 * not wait for idle keep-alive connections (they are destroyed), as the metrics server and
 * the console both need.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HostPort } from '../config/parsers.js';
import { listenOn } from '../net/listen-on.js';

export interface ListeningHttp {
  readonly port: number;
  close(): Promise<void>;
}

export async function listenHttp(server: Server, listen: HostPort): Promise<ListeningHttp> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listenOn(server, listen);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const s of sockets) s.destroy();
      }),
  };
}
