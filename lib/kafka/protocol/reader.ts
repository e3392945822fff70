import { KafkaDecodeError } from './decode-error.js';

/** Default cap on any single length prefix (string, bytes, array count). */
export const DEFAULT_MAX_ALLOCATION = 100 * 1024 * 1024;

export interface ReaderOptions {
  /** Refuse any length prefix above this many bytes or elements, before allocating. */
  readonly maxAllocation?: number;
}

/**
 * A cursor over one buffer. It never reads past `end`: every primitive checks that its
 * bytes are there and throws {@link KafkaDecodeError} otherwise, so generated decoders
 * need no per-field error handling. Length prefixes are checked against what remains
 * (and the allocation cap) before anything is allocated. Bytes and records fields are
 * returned as views into the input buffer; nothing is copied.
 */
export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  readonly maxAllocation: number;

  constructor(input: Uint8Array, start = 0, end = input.length, options: ReaderOptions = {}) {
    this.buf = Buffer.isBuffer(input)
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (start < 0 || end > this.buf.length || start > end) {
      throw new RangeError(`reader window [${start}, ${end}) outside buffer of ${this.buf.length}`);
    }
    this.pos = start;
    this.end = end;
    this.maxAllocation = options.maxAllocation ?? DEFAULT_MAX_ALLOCATION;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string): never {
    throw new KafkaDecodeError(`${message} (at byte ${this.pos} of ${this.end})`);
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.end) this.fail(`need ${n} bytes, ${this.end - at} remain`);
    this.pos = at + n;
    return at;
  }

  skip(n: number): void {
    this.need(n);
  }

  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }

  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }

  /** A 16-byte UUID, returned in Kafka's text form (URL-safe base64, no padding). */
  uuid(): string {
    const at = this.need(16);
    return this.buf.toString('base64url', at, at + 16);
  }

  /** Unsigned LEB128 of at most 32 bits (5 bytes). */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.buf.readUInt8(this.need(1));
      if (i === 4 && b > 0x0f) this.fail('unsigned varint exceeds 32 bits');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
    return this.fail('unsigned varint longer than 5 bytes');
  }

  /** Zig-zag signed varint of at most 32 bits. */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Zig-zag signed varint of at most 64 bits (10 bytes). */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf.readUInt8(this.need(1));
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, (result >> 1n) ^ -(result & 1n));
      shift += 7n;
    }
    return this.fail('varlong longer than 10 bytes');
  }

  /** Validates a byte length prefix; -1 means null. */
  private byteLength(n: number): number {
    if (n < -1) this.fail(`negative length ${n}`);
    if (n > this.end - this.pos)
      this.fail(`length ${n} exceeds the ${this.end - this.pos} bytes remaining`);
    if (n > this.maxAllocation)
      this.fail(`length ${n} exceeds the allocation cap ${this.maxAllocation}`);
    return n;
  }

  private text(n: number): string {
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }

  private view(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  string(): string {
    const n = this.byteLength(this.int16());
    if (n < 0) this.fail('null string where a string is required');
    return this.text(n);
  }

  nullableString(): string | null {
    const n = this.byteLength(this.int16());
    return n < 0 ? null : this.text(n);
  }

  compactString(): string {
    const n = this.byteLength(this.uvarint() - 1);
    if (n < 0) this.fail('null compact string where a string is required');
    return this.text(n);
  }

  compactNullableString(): string | null {
    const n = this.byteLength(this.uvarint() - 1);
    return n < 0 ? null : this.text(n);
  }

  bytes(): Buffer {
    const n = this.byteLength(this.int32());
    if (n < 0) this.fail('null bytes where bytes are required');
    return this.view(n);
  }

  nullableBytes(): Buffer | null {
    const n = this.byteLength(this.int32());
    return n < 0 ? null : this.view(n);
  }

  compactBytes(): Buffer {
    const n = this.byteLength(this.uvarint() - 1);
    if (n < 0) this.fail('null compact bytes where bytes are required');
    return this.view(n);
  }

  compactNullableBytes(): Buffer | null {
    const n = this.byteLength(this.uvarint() - 1);
    return n < 0 ? null : this.view(n);
  }

  /**
   * An array element count; -1 means null. Every element takes at least one byte, so a
   * count larger than the bytes remaining is refused before the array is allocated.
   */
  arrayLength(): number {
    return this.byteLength(this.int32());
  }

  compactArrayLength(): number {
    return this.byteLength(this.uvarint() - 1);
  }

  /** Length of a varint-prefixed field inside a record (may be -1 for null). */
  varintLength(): number {
    return this.byteLength(this.varint());
  }

  /** A view of the next n bytes, without copying. */
  raw(n: number): Buffer {
    return this.view(this.byteLength(n));
  }
}
