import {
  UnknownCompressionTypeError,
  UnsupportedCompressionTypeError,
} from '../compression/compression-errors.js';
import { CompressionType, isCompressionType } from '../compression/compression-type.js';
import { decodeAttributes } from './batch-attributes.js';
import { InvalidRecordError } from './batch-errors.js';
import { walkBatches, type BatchView } from './walk-batches.js';

export interface ProduceValidationOptions {
  /** Refuse batches larger than this (Kafka: message.max.bytes, MESSAGE_TOO_LARGE). */
  readonly maxBatchBytes?: number;
  /**
   * Kafka requires exactly one batch per partition in Produce v3+ (INVALID_RECORD
   * otherwise). Set this to accept several, e.g. for tools replaying logs.
   */
  readonly allowMultipleBatches?: boolean;
  /** The Produce request version, when known: zstd needs v7+ (UNSUPPORTED_COMPRESSION_TYPE). */
  readonly produceVersion?: number;
}

/** zstd in a Produce request older than v7 (Kafka: UNSUPPORTED_COMPRESSION_TYPE). */
export class ZstdRequiresProduceV7Error extends UnsupportedCompressionTypeError {
  override readonly name = 'ZstdRequiresProduceV7Error';

  constructor(readonly produceVersion: number) {
    super(`Produce v${produceVersion} may not carry zstd batches (v7+ required)`);
  }
}

/**
 * Validates the `records` of one partition in a Produce request (v3+) the way Kafka does
 * for an append from a client, header-only (records are not decoded):
 *   - framing, magic 2 only, CRC, no truncated tail (walk-batches.ts); Kafka silently
 *     drops trailing partial bytes here, this broker refuses them as CORRUPT_MESSAGE;
 *   - at least one batch, and exactly one unless allowed (ProduceRequest.validateRecords);
 *   - baseOffset 0 (UnifiedLog.analyzeAndValidateRecords);
 *   - lastOffsetDelta + 1 > 0, recordCount > 0 and the two equal, no control batch,
 *     baseSequence >= 0 when a producer id is set (LogValidator.validateBatch);
 *   - a known codec id.
 * Returns the batches as views of the input, ready for in-place offset assignment.
 */
export function validateProduceRecords(
  records: Uint8Array,
  options: ProduceValidationOptions = {},
): BatchView[] {
  const walkOptions =
    options.maxBatchBytes === undefined ? {} : { maxBatchBytes: options.maxBatchBytes };
  const { batches } = walkBatches(records, walkOptions);
  if (batches.length === 0) {
    throw new InvalidRecordError('produce records must hold at least one record batch');
  }
  if (batches.length > 1 && options.allowMultipleBatches !== true) {
    throw new InvalidRecordError(
      `produce records must hold exactly one record batch, found ${batches.length}`,
    );
  }
  for (const { header, position } of batches) {
    const where = `record batch at byte ${position}`;
    if (header.baseOffset !== 0n) {
      throw new InvalidRecordError(`${where} has baseOffset ${header.baseOffset}, must be 0`);
    }
    const countFromOffsets = header.lastOffsetDelta + 1;
    if (countFromOffsets <= 0) {
      throw new InvalidRecordError(
        `${where} has invalid lastOffsetDelta ${header.lastOffsetDelta}`,
      );
    }
    if (header.recordCount <= 0) {
      throw new InvalidRecordError(`${where} has invalid record count ${header.recordCount}`);
    }
    if (countFromOffsets !== header.recordCount) {
      throw new InvalidRecordError(
        `${where}: lastOffsetDelta ${header.lastOffsetDelta} is inconsistent with record count ${header.recordCount}`,
      );
    }
    const attributes = decodeAttributes(header.attributes);
    if (attributes.isControl) {
      throw new InvalidRecordError(`${where}: clients may not write control batches`);
    }
    if (header.producerId >= 0n && header.baseSequence < 0) {
      throw new InvalidRecordError(
        `${where}: invalid sequence ${header.baseSequence} with producer id ${header.producerId}`,
      );
    }
    if (!isCompressionType(attributes.compression)) {
      throw new UnknownCompressionTypeError(attributes.compression);
    }
    if (
      attributes.compression === CompressionType.Zstd &&
      options.produceVersion !== undefined &&
      options.produceVersion < 7
    ) {
      throw new ZstdRequiresProduceV7Error(options.produceVersion);
    }
  }
  return batches;
}
