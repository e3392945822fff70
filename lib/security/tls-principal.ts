/**
 * The principal of a client certificate, as Kafka's default principal builder makes it
 * (ssl.principal.mapping.rules=DEFAULT): `User:` and the certificate's whole subject in
 * RFC 2253 form, most specific part first, e.g. `User:CN=alice,OU=eng,O=Example,C=NL`.
 * Without a verified certificate the principal is `User:ANONYMOUS`.
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
/** The principal of a client that did not authenticate, as Kafka names it. */
export const ANONYMOUS = 'User:ANONYMOUS';

/** Node prints a subject one attribute a line, least specific first; RFC 2253 reverses it. */
export function rfc2253Subject(subject: string): string {
  return subject
    .split('\n')
    .filter((line) => line !== '')
    .reverse()
    .join(',');
}

export function tlsPrincipal(socket: TLSSocket): string {
  if (!socket.authorized) return ANONYMOUS;
  // No certificate gives an empty object, whatever the typings say.
  const raw = (socket.getPeerCertificate() as { raw?: Buffer }).raw;
  if (raw === undefined || raw.length === 0) return ANONYMOUS;
  try {
    return `User:${rfc2253Subject(new X509Certificate(raw).subject)}`;
  } catch {
    return ANONYMOUS;
  }
}
