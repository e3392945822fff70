/*
 * RecordBatch v2 byte layout (https://kafka.apache.org/documentation/#recordbatch).
 * Offsets are from the start of the batch. batchLength counts the bytes after itself, so a
 * batch occupies LOG_OVERHEAD + batchLength bytes. The CRC-32C covers attributes through
 * the end of the batch, so baseOffset and partitionLeaderEpoch can be rewritten in place.
 */

export const BASE_OFFSET_OFFSET = 0; // int64
export const BATCH_LENGTH_OFFSET = 8; // int32
export const PARTITION_LEADER_EPOCH_OFFSET = 12; // int32
export const MAGIC_OFFSET = 16; // int8
export const CRC_OFFSET = 17; // uint32
export const ATTRIBUTES_OFFSET = 21; // int16
export const LAST_OFFSET_DELTA_OFFSET = 23; // int32
export const BASE_TIMESTAMP_OFFSET = 27; // int64
export const MAX_TIMESTAMP_OFFSET = 35; // int64
export const PRODUCER_ID_OFFSET = 43; // int64
export const PRODUCER_EPOCH_OFFSET = 51; // int16
export const BASE_SEQUENCE_OFFSET = 53; // int32
export const RECORD_COUNT_OFFSET = 57; // int32
export const RECORDS_OFFSET = 61;

/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = 12;
/** The whole v2 header; also the smallest possible batch (no records). */
export const RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;
/** Smallest legal batchLength for v2 (61 - 12). */
export const MIN_BATCH_LENGTH = RECORD_BATCH_OVERHEAD - LOG_OVERHEAD;
/** Bytes up to and including the magic byte, enough to tell the format apart. */
export const HEADER_SIZE_UP_TO_MAGIC = MAGIC_OFFSET + 1;
/**
 * Smallest size a legacy (magic 0) message can declare. Kafka refuses anything below it
 * as corrupt before looking at the magic byte; so does the walker.
 */
export const LEGACY_RECORD_OVERHEAD_V0 = 14;

export const MAGIC_V2 = 2;

export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1n;
