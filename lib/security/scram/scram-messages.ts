/**
 * The SCRAM messages of RFC 5802 section 7, parsed strictly: the client's two messages and
 * the server's two answers. Any deviation (missing or misplaced attribute, a channel-binding
 * request, a bad saslname escape, non-printable nonce, oversized message) is a
 * ScramMessageError: the exchange fails, nothing is guessed.
 */
import { saslText } from '../sasl-text.js';

/** Longest SCRAM message accepted from a client; real ones are well under 1 KiB. */
export const MAX_SCRAM_MESSAGE_BYTES = 8192;

export class ScramMessageError extends Error {
  override readonly name = 'ScramMessageError';
}

export interface ClientFirstMessage {
  /** "n,," or "y,," or "n,a=<authzid>,": echoed back base64 in the final message. */
  readonly gs2Header: string;
  /** The authorization id, when the client sent one. */
  readonly authzid: string | undefined;
  readonly username: string;
  readonly clientNonce: string;
  /** Extensions after the nonce (Kafka's `tokenauth=true` for delegation tokens). */
  readonly extensions: ReadonlyMap<string, string>;
  /** client-first-message-bare: the part that enters AuthMessage. */
  readonly bare: string;
}

export interface ClientFinalMessage {
  /** The c= attribute, base64 of the GS2 header (no channel binding data). */
  readonly channelBinding: string;
  readonly nonce: string;
  readonly proof: Buffer;
  /** client-final-message-without-proof: the part that enters AuthMessage. */
  readonly withoutProof: string;
}

/** Text of a client message: UTF-8, bounded, no NUL. */
export function scramText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new ScramMessageError('empty SCRAM message');
  const text = saslText(bytes, MAX_SCRAM_MESSAGE_BYTES, 'SCRAM', (m) => new ScramMessageError(m));
  if (text.includes('\0')) throw new ScramMessageError('SCRAM message contains NUL');
  return text;
}

/** saslname of RFC 5802: `=2C` is ',' and `=3D` is '='; any other '=' is an error. */
export function decodeSaslName(text: string): string {
  if (text === '') throw new ScramMessageError('empty user name');
  if (text.includes(',')) throw new ScramMessageError('unescaped comma in a name');
  return text.replace(/=(2C|3D|.{0,2})/g, (_, code: string) => {
    if (code === '2C') return ',';
    if (code === '3D') return '=';
    throw new ScramMessageError('bad escape in a name');
  });
}

export function encodeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** printable of RFC 5802: 0x21-0x7E except ','. */
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Splits `k=v` attributes; `v` may contain '=' (base64 padding). */
function attribute(part: string | undefined, key: string): string {
  if (!part?.startsWith(`${key}=`)) throw new ScramMessageError(`expected attribute ${key}`);
  return part.slice(key.length + 1);
}

export function parseClientFirst(bytes: Uint8Array): ClientFirstMessage {
  const text = scramText(bytes);
  const firstComma = text.indexOf(',');
  const secondComma = firstComma < 0 ? -1 : text.indexOf(',', firstComma + 1);
  if (secondComma < 0) throw new ScramMessageError('no GS2 header');
  const flag = text.slice(0, firstComma);
  if (flag.startsWith('p=')) throw new ScramMessageError('channel binding is not supported');
  if (flag !== 'n' && flag !== 'y') throw new ScramMessageError('bad GS2 channel-binding flag');
  const authzPart = text.slice(firstComma + 1, secondComma);
  const authzid = authzPart === '' ? undefined : decodeSaslName(attribute(authzPart, 'a'));
  const gs2Header = text.slice(0, secondComma + 1);
  const bare = text.slice(secondComma + 1);
  const parts = bare.split(',');
  if (parts[0]?.startsWith('m=')) throw new ScramMessageError('mandatory extensions refused');
  const username = decodeSaslName(attribute(parts[0], 'n'));
  const clientNonce = attribute(parts[1], 'r');
  if (!NONCE.test(clientNonce)) throw new ScramMessageError('bad client nonce');
  const extensions = new Map<string, string>();
  for (const ext of parts.slice(2)) {
    const eq = ext.indexOf('=');
    if (eq <= 0) throw new ScramMessageError('bad extension');
    extensions.set(ext.slice(0, eq), ext.slice(eq + 1));
  }
  return { gs2Header, authzid, username, clientNonce, extensions, bare };
}

export function parseClientFinal(bytes: Uint8Array): ClientFinalMessage {
  const text = scramText(bytes);
  const proofAt = text.lastIndexOf(',p=');
  if (proofAt < 0) throw new ScramMessageError('no client proof');
  const withoutProof = text.slice(0, proofAt);
  const proofText = text.slice(proofAt + 3);
  if (!BASE64.test(proofText) || proofText === '')
    throw new ScramMessageError('client proof is not base64');
  const parts = withoutProof.split(',');
  const channelBinding = attribute(parts[0], 'c');
  if (!BASE64.test(channelBinding)) throw new ScramMessageError('channel binding is not base64');
  const nonce = attribute(parts[1], 'r');
  if (!NONCE.test(nonce)) throw new ScramMessageError('bad nonce');
  for (const ext of parts.slice(2))
    if (ext.indexOf('=') <= 0) throw new ScramMessageError('bad extension');
  return { channelBinding, nonce, proof: Buffer.from(proofText, 'base64'), withoutProof };
}

export function serverFirstMessage(nonce: string, salt: Uint8Array, iterations: number): string {
  return `r=${nonce},s=${Buffer.from(salt).toString('base64')},i=${iterations}`;
}

export function serverFinalMessage(signature: Uint8Array): string {
  return `v=${Buffer.from(signature).toString('base64')}`;
}
