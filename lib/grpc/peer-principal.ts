/**
 * The principal of a gRPC call's peer, from the client certificate it presented over mutual
 * TLS (Kafka's form: `User:` and the certificate's subject), put into every call's context
 * values by serve-grpc.ts (`User:ANONYMOUS` over plain HTTP/2), with the peer's address.
 */
import type { TLSSocket } from 'node:tls';
import { createContextKey, createContextValues, type ContextValues } from '@connectrpc/connect';
import { ANONYMOUS, tlsPrincipal } from '../security/tls-principal.js';

export const peerPrincipalKey = createContextKey<string>(ANONYMOUS, {
  description: 'the principal of the client certificate of the call',
});

/** The caller's IP address as ACL hosts name it ('' when unknown). */
export const peerAddressKey = createContextKey<string>('', {
  description: "the IP address of the call's peer",
});

function isTlsSocket(socket: unknown): socket is TLSSocket {
  return (
    typeof socket === 'object' &&
    socket !== null &&
    'getPeerCertificate' in socket &&
    typeof socket.getPeerCertificate === 'function'
  );
}

/**
 * The principal of each TLS connection, worked out once: every call of a connection shares its
 * certificate, and parsing it per call would tax the storage node's Fetch path.
 */
const principals = new WeakMap<object, string>();

function connectionPrincipal(req: { readonly stream?: unknown }, socket: TLSSocket): string {
  const session = (req.stream as { session?: object } | undefined)?.session;
  if (session === undefined) return tlsPrincipal(socket);
  let principal = principals.get(session);
  if (principal === undefined) {
    principal = tlsPrincipal(socket);
    principals.set(session, principal);
  }
  return principal;
}

/** For connectNodeAdapter's `contextValues`: the request's socket and HTTP/2 stream are read. */
export function peerPrincipalValues(req: {
  readonly socket: unknown;
  readonly stream?: unknown;
}): ContextValues {
  const values = createContextValues();
  if (isTlsSocket(req.socket)) values.set(peerPrincipalKey, connectionPrincipal(req, req.socket));
  const address = (req.socket as { remoteAddress?: unknown } | null)?.remoteAddress;
  if (typeof address === 'string') values.set(peerAddressKey, address.replace(/^::ffff:/, ''));
  return values;
}
