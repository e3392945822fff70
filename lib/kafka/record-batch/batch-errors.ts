import { KafkaError } from '../error-codes.js';

/*
 * Errors about record batches. Each carries the Kafka error code a broker puts in the
 * partition's response (see Kafka's DefaultRecordBatch.ensureValid, ByteBufferLogInputStream,
 * ProduceRequest.validateRecords and LogValidator.validateBatch for where Kafka raises each).
 */

export const CORRUPT_MESSAGE = KafkaError.CORRUPT_MESSAGE;
export const MESSAGE_TOO_LARGE = KafkaError.MESSAGE_TOO_LARGE;
export const INVALID_RECORD = KafkaError.INVALID_RECORD;

export abstract class RecordBatchError extends Error {
  abstract readonly errorCode: number;
}

/** Framing or checksum damage: size fields that do not fit, unknown magic, CRC mismatch. */
export class CorruptBatchError extends RecordBatchError {
  override readonly name: string = 'CorruptBatchError';
  readonly errorCode = CORRUPT_MESSAGE;
}

export class CrcMismatchError extends CorruptBatchError {
  override readonly name = 'CrcMismatchError';

  constructor(
    readonly stored: number,
    readonly computed: number,
    at: number,
  ) {
    super(
      `record batch at byte ${at} is corrupt (stored crc = ${stored}, computed crc = ${computed})`,
    );
  }
}

/** A well-framed batch that Kafka refuses: bad counts, offsets, sequence, control from a client. */
export class InvalidRecordError extends RecordBatchError {
  override readonly name: string = 'InvalidRecordError';
  readonly errorCode = INVALID_RECORD;
}

/**
 * A magic 0 or 1 message set. Kafka answers Produce v3+ carrying one with INVALID_RECORD
 * ("Produce requests with version N are only allowed to contain record batches with magic
 * version 2"); this broker never converts message formats.
 */
export class UnsupportedMagicError extends InvalidRecordError {
  override readonly name = 'UnsupportedMagicError';

  constructor(
    readonly magic: number,
    at: number,
  ) {
    super(
      `message set with magic ${magic} at byte ${at}: only record batches with magic 2 are supported`,
    );
  }
}

/** A batch above the configured size limit. */
export class BatchTooLargeError extends RecordBatchError {
  override readonly name = 'BatchTooLargeError';
  readonly errorCode = MESSAGE_TOO_LARGE;
}
