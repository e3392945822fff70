/**
 * The principal of a gRPC call's peer, from the client certificate it presented over mutual
 * TLS (Kafka's form: `User:` and the certificate's subject), put into every call's context
 * values by serve-grpc.ts. `User:ANONYMOUS` over plain HTTP/2.
 */
import type { TLSSocket } from 'node:tls';
import { createContextKey, createContextValues, type ContextValues } from '@connectrpc/connect';
import { ANONYMOUS, tlsPrincipal } from '../security/tls-principal.js';

export const peerPrincipalKey = createContextKey<string>(ANONYMOUS, {
  description: 'the principal of the client certificate of the call',
});

function isTlsSocket(socket: unknown): socket is TLSSocket {
  return (
    typeof socket === 'object' &&
    socket !== null &&
    'getPeerCertificate' in socket &&
    typeof socket.getPeerCertificate === 'function'
  );
}

/** For connectNodeAdapter's `contextValues`: only the request's socket is read. */
export function peerPrincipalValues(req: { readonly socket: unknown }): ContextValues {
  const values = createContextValues();
  if (isTlsSocket(req.socket)) values.set(peerPrincipalKey, tlsPrincipal(req.socket));
  return values;
}
