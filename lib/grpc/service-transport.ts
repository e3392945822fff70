/**
 * gRPC between Kafscale's services without compression, on both ends (the server side is
 * serve-grpc.ts). connect-node's defaults accept gzip and brotli, so a server gzips every
 * answer over 1 KiB for a connect client, in zlib's thread pool, where a JavaScript profile
 * does not show it: a 5.1 MiB Fetch answer spent some 30 ms compressing and 15 ms
 * decompressing. Record batches are already compressed when their producer asked for it.
 * bench/grpc-transfer.ts: 77 MiB/s of Fetch answers with the defaults, 222-227 MiB/s
 * without compression (client and server in one process).
 */
import type { ClientSessionOptions, SecureClientSessionOptions } from 'node:http2';
import type { Interceptor, Transport } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { SERVICE_HTTP2_SETTINGS, WideWindowSessionManager } from './http2-windows.js';

/**
 * A gRPC (HTTP/2) transport to another Kafscale service at `baseUrl` (http:// or
 * https://host:port), with the wide windows of http2-windows.ts; `nodeOptions` carries
 * TLS (grpc-dialer.ts adds mutual TLS when it is configured).
 */
export function grpcTransport(
  baseUrl: string,
  interceptors: readonly Interceptor[] = [],
  nodeOptions: ClientSessionOptions | SecureClientSessionOptions = {},
): Transport {
  const options = {
    ...nodeOptions,
    settings: { ...nodeOptions.settings, ...SERVICE_HTTP2_SETTINGS },
  };
  return createGrpcTransport({
    baseUrl,
    acceptCompression: [],
    interceptors: [...interceptors],
    // The session manager opens the HTTP/2 sessions, so it alone takes the node options.
    sessionManager: new WideWindowSessionManager(baseUrl, {}, options),
  });
}
