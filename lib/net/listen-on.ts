/**
 * Starts any node server (TCP, TLS, HTTP, HTTP/2) listening on a host:port and resolves with
 * the bound port, or rejects with the listen error (address in use, bad host).
 */
import type { AddressInfo, Server } from 'node:net';
import type { HostPort } from '../config/parsers.js';

export async function listenOn(server: Server, listen: HostPort): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
