/**
 * The text of a client's SASL message: refused when longer than the mechanism allows
 * (before decoding) or when not valid UTF-8; `fail` makes the mechanism's own error.
 */
export function saslText(
  bytes: Uint8Array,
  maxBytes: number,
  mechanism: string,
  fail: (message: string) => Error,
): string {
  if (bytes.length > maxBytes)
    throw fail(`${mechanism} message of ${bytes.length} bytes is too long`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw fail(`${mechanism} message is not UTF-8`);
  }
}
