/** The edge's Kafka listener: accepts connections and hands each to a KafkaConnection. */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Logger } from '../../../lib/log/logger.js';
import type { HostPort } from '../../../lib/config/parsers.js';
import type { HandlerRegistry } from '../handlers/handler-registry.js';
import { KafkaConnection, type ConnectionLimits } from './kafka-connection.js';

export interface KafkaServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startKafkaServer(
  listen: HostPort,
  registry: HandlerRegistry,
  limits: ConnectionLimits,
  log: Logger,
): Promise<KafkaServer> {
  const sockets = new Set<Socket>();
  let nextConnection = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = nextConnection++;
    new KafkaConnection(
      socket,
      registry,
      limits,
      log.child({ connection, peer: socket.remoteAddress }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: listen.host, port }, 'kafka listener started');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
