/** Serves connect routes over a real HTTP/2 server on a free loopback port, for tests. */
import type { ConnectRouter } from '@connectrpc/connect';
import { serveGrpc as serve } from '../../lib/grpc/serve-grpc.js';

export interface TestGrpcServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function serveGrpc(routes: (router: ConnectRouter) => void): Promise<TestGrpcServer> {
  const server = await serve({ host: '127.0.0.1', port: 0 }, routes);
  return { baseUrl: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}
