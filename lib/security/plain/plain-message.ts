/**
 * The one message of SASL PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd`, UTF-8.
 * As Kafka's PlainSaslServer: exactly three parts, user name and password non-empty, and an
 * authorization id, when given, equal to the user name.
 */
import { saslText } from '../sasl-text.js';

/** Longest PLAIN message accepted (RFC 4616 allows 255 octets per part). */
export const MAX_PLAIN_MESSAGE_BYTES = 1024;

export class PlainMessageError extends Error {
  override readonly name = 'PlainMessageError';
}

export interface PlainMessage {
  readonly authzid: string;
  readonly username: string;
  readonly password: string;
}

export function parsePlainMessage(bytes: Uint8Array): PlainMessage {
  const text = saslText(bytes, MAX_PLAIN_MESSAGE_BYTES, 'PLAIN', (m) => new PlainMessageError(m));
  const parts = text.split('\0');
  if (parts.length !== 3)
    throw new PlainMessageError('Invalid SASL/PLAIN response: expected 3 tokens');
  const [authzid = '', username = '', password = ''] = parts;
  if (username === '') throw new PlainMessageError('Authentication failed: username not specified');
  if (password === '') throw new PlainMessageError('Authentication failed: password not specified');
  return { authzid, username, password };
}
