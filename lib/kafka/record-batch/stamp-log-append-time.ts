import { decodeAttributes, encodeAttributes, TimestampType } from './batch-attributes.js';
import { writeBatchCrc } from './batch-crc.js';
import { ATTRIBUTES_OFFSET, MAX_TIMESTAMP_OFFSET } from './batch-layout.js';

/**
 * Marks a batch LogAppendTime with the broker's append time, in place, as Kafka's
 * LogValidator does for a topic with message.timestamp.type=LogAppendTime: the attributes'
 * timestamp-type bit is set and the max timestamp becomes the append time; records keep
 * their deltas (readers use the max timestamp for every record of such a batch). Both
 * fields are inside the CRC, so it is recomputed. The codec and records are untouched.
 */
export function stampLogAppendTime(view: Uint8Array, appendTimeMs: bigint): void {
  const buf = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const attributes = decodeAttributes(buf.readInt16BE(ATTRIBUTES_OFFSET));
  buf.writeInt16BE(
    encodeAttributes({ ...attributes, timestampType: TimestampType.LogAppendTime }),
    ATTRIBUTES_OFFSET,
  );
  buf.writeBigInt64BE(appendTimeMs, MAX_TIMESTAMP_OFFSET);
  writeBatchCrc(view);
}
