import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/**
 * CRC-32C (Castagnoli), the checksum of RecordBatch v2. Returns the unsigned 32-bit value
 * as stored on the wire. `initial` continues a running checksum over split input.
 */
export function crc32c(input: Uint8Array, initial = 0): number {
  return nativeCrc32c(input, initial) >>> 0;
}
