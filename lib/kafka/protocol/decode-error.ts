/**
 * The one error type every decoder throws on bad input: a short buffer, a length prefix
 * larger than what remains or than the configured cap, an invalid varint, a malformed
 * value. Callers catch this type only; anything else escaping a decoder is a bug.
 */
export class KafkaDecodeError extends Error {
  override readonly name = 'KafkaDecodeError';
}
