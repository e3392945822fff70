/** Key and range encoding for etcd: keys are UTF-8 bytes; a prefix is a [key, range_end) range. */

export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'utf8');
}

/** The [start, end) byte range of every key with `prefix` (the whole keyspace for ''). */
export function prefixRange(prefix: string): { key: Buffer; range_end: Buffer } {
  const start = keyBytes(prefix);
  if (start.length === 0) return { key: Buffer.from([0]), range_end: Buffer.from([0]) };
  const end = Buffer.from(start);
  for (let i = end.length - 1; i >= 0; i--) {
    const byte = end[i];
    if (byte !== undefined && byte < 0xff) {
      end[i] = byte + 1;
      return { key: start, range_end: end.subarray(0, i + 1) };
    }
  }
  // All 0xff: every key from `start` on.
  return { key: start, range_end: Buffer.from([0]) };
}

/** The key just after `key` in byte order (to continue a paged listing). */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}
