/**
 * How a process reaches the other services' gRPC servers: plain HTTP/2, or mutual TLS with
 * the certificate, key and CA of KAFSCALE_GRPC_TLS_* (reloaded on change: a call after a
 * reload dials with the new certificate; sessions already open keep theirs).
 */
import { checkServerIdentity, type PeerCertificate, type SecureContextOptions } from 'node:tls';
import type { Interceptor, Transport } from '@connectrpc/connect';
import type { TlsContext } from '../security/tls-context.js';
import { grpcTransport } from './service-transport.js';

export interface GrpcDialer {
  /** A transport to the service at `target`: `host:port`, or an `http://` / `https://` URL. */
  transport(target: string): Transport;
  /** The same dialer with `interceptors` on every call (an admin token, for one). */
  with(interceptors: readonly Interceptor[]): GrpcDialer;
}

/** `host:port` of a target given either way. */
export function hostPortOf(target: string): string {
  const m = /^https?:\/\/([^/]+)\/?$/.exec(target);
  return m?.[1] ?? target;
}

export function plainDialer(interceptors: readonly Interceptor[] = []): GrpcDialer {
  return {
    transport: (target) => grpcTransport(`http://${hostPortOf(target)}`, interceptors),
    with: (more) => plainDialer([...interceptors, ...more]),
  };
}

/**
 * Every connection presents this process's certificate and accepts a server whose
 * certificate chains to the CA. With `serverName` the server's certificate must also carry
 * that name; without it the chain alone is checked, since services dial each other at the
 * pod addresses they register, which certificates rarely name.
 */
export function tlsDialer(
  tls: TlsContext,
  serverName: string | undefined,
  interceptors: readonly Interceptor[] = [],
): GrpcDialer {
  const connect = (options: SecureContextOptions, target: string): Transport =>
    grpcTransport(`https://${hostPortOf(target)}`, interceptors, {
      ...options,
      ...(serverName === undefined ? {} : { servername: serverName }),
      checkServerIdentity: (host: string, cert: PeerCertificate) =>
        serverName === undefined ? undefined : checkServerIdentity(serverName, cert),
    });
  return {
    transport(target) {
      let built = { options: tls.options(), transport: connect(tls.options(), target) };
      const current = (): Transport => {
        const options = tls.options();
        if (options !== built.options) built = { options, transport: connect(options, target) };
        return built.transport;
      };
      return {
        unary: (...args) => current().unary(...args),
        stream: (...args) => current().stream(...args),
      };
    },
    with: (more) => tlsDialer(tls, serverName, [...interceptors, ...more]),
  };
}
