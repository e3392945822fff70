import { KafkaError } from '../error-codes.js';

/** Base of every error the compression module throws; `errorCode` is the Kafka error code. */
export abstract class CompressionError extends Error {
  abstract readonly errorCode: number;
}

/** The compressed bytes are not a valid stream for the codec (Kafka: CORRUPT_MESSAGE). */
export class CorruptCompressedDataError extends CompressionError {
  override readonly name = 'CorruptCompressedDataError';
  readonly errorCode = KafkaError.CORRUPT_MESSAGE;
}

/**
 * Decompressing would produce more than the configured cap: refused before (or while)
 * allocating, so a decompression bomb costs at most the cap (Kafka: MESSAGE_TOO_LARGE).
 */
export class DecompressionLimitError extends CompressionError {
  override readonly name = 'DecompressionLimitError';
  readonly errorCode = KafkaError.MESSAGE_TOO_LARGE;

  constructor(
    readonly codec: string,
    readonly limit: number,
    detail: string,
  ) {
    super(`${codec}: decompressed size exceeds the limit of ${limit} bytes (${detail})`);
  }
}

/** A codec this broker will not accept here (Kafka: UNSUPPORTED_COMPRESSION_TYPE). */
export class UnsupportedCompressionTypeError extends CompressionError {
  override readonly name: string = 'UnsupportedCompressionTypeError';
  readonly errorCode = KafkaError.UNSUPPORTED_COMPRESSION_TYPE;
}

/** A codec id outside 0-4. */
export class UnknownCompressionTypeError extends UnsupportedCompressionTypeError {
  override readonly name = 'UnknownCompressionTypeError';

  constructor(readonly id: number) {
    super(`unknown compression type id ${id}`);
  }
}
