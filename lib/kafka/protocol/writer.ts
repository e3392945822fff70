/** Byte fields at least this long are appended by reference instead of copied. */
export const ZERO_COPY_THRESHOLD = 1024;

const MIN_BLOCK = 512;
const MAX_BLOCK = 64 * 1024;

/**
 * Writes Kafka primitives into a chain of blocks. When a block is full a new one is
 * started (nothing written so far is moved), and large byte payloads such as record
 * batches are appended to the chain by reference: they are never copied by the writer.
 * `chunks()` gives the chain for a vectored socket write; `toBuffer()` joins it once.
 */
export class Writer {
  private block: Buffer;
  private pos = 0;
  private readonly done: Uint8Array[] = [];
  private doneBytes = 0;

  constructor(initialSize = MIN_BLOCK) {
    this.block = Buffer.allocUnsafe(initialSize);
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.doneBytes + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.block.length) return;
    this.seal();
    const size = Math.max(n, Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, this.block.length * 2)));
    this.block = Buffer.allocUnsafe(size);
    this.pos = 0;
  }

  private seal(): void {
    if (this.pos === 0) return;
    const used = this.block.subarray(0, this.pos);
    this.done.push(used);
    this.doneBytes += used.length;
    this.block = this.block.subarray(this.pos);
    this.pos = 0;
  }

  bool(v: boolean): void {
    this.int8(v ? 1 : 0);
  }

  int8(v: number): void {
    this.ensure(1);
    this.pos = this.block.writeInt8(v, this.pos);
  }

  int16(v: number): void {
    this.ensure(2);
    this.pos = this.block.writeInt16BE(v, this.pos);
  }

  uint16(v: number): void {
    this.ensure(2);
    this.pos = this.block.writeUInt16BE(v, this.pos);
  }

  int32(v: number): void {
    this.ensure(4);
    this.pos = this.block.writeInt32BE(v, this.pos);
  }

  uint32(v: number): void {
    this.ensure(4);
    this.pos = this.block.writeUInt32BE(v, this.pos);
  }

  int64(v: bigint): void {
    this.ensure(8);
    this.pos = this.block.writeBigInt64BE(v, this.pos);
  }

  float64(v: number): void {
    this.ensure(8);
    this.pos = this.block.writeDoubleBE(v, this.pos);
  }

  uuid(v: string): void {
    this.ensure(16);
    const n = this.block.write(v, this.pos, 16, 'base64url');
    if (n !== 16 || v.length !== 22)
      throw new RangeError(`not a 16-byte uuid: ${JSON.stringify(v)}`);
    this.pos += 16;
  }

  uvarint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new RangeError(`unsigned varint out of range: ${v}`);
    }
    this.ensure(5);
    while (v >= 0x80) {
      this.block[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.block[this.pos++] = v;
  }

  varint(v: number): void {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new RangeError(`varint out of range: ${v}`);
    }
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  varlong(v: bigint): void {
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (u >= 0x80n) {
      this.block[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.block[this.pos++] = Number(u);
  }

  private text(s: string, n: number): void {
    this.ensure(n);
    this.pos += this.block.write(s, this.pos, n, 'utf8');
  }

  string(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    if (n > 0x7fff) throw new RangeError(`string of ${n} bytes exceeds int16 length`);
    this.int16(n);
    this.text(s, n);
  }

  nullableString(s: string | null): void {
    if (s === null) this.int16(-1);
    else this.string(s);
  }

  compactString(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.uvarint(n + 1);
    this.text(s, n);
  }

  compactNullableString(s: string | null): void {
    if (s === null) this.uvarint(0);
    else this.compactString(s);
  }

  /** Appends bytes as they are: copied when small, referenced when large. */
  raw(b: Uint8Array): void {
    if (b.length >= ZERO_COPY_THRESHOLD) {
      this.seal();
      this.done.push(b);
      this.doneBytes += b.length;
      return;
    }
    this.ensure(b.length);
    this.block.set(b, this.pos);
    this.pos += b.length;
  }

  bytes(b: Uint8Array): void {
    this.int32(b.length);
    this.raw(b);
  }

  nullableBytes(b: Uint8Array | null): void {
    if (b === null) this.int32(-1);
    else this.bytes(b);
  }

  compactBytes(b: Uint8Array): void {
    this.uvarint(b.length + 1);
    this.raw(b);
  }

  compactNullableBytes(b: Uint8Array | null): void {
    if (b === null) this.uvarint(0);
    else this.compactBytes(b);
  }

  /** Appends everything another writer holds, without copying its large payloads. */
  append(other: Writer): void {
    for (const chunk of other.chunks()) this.raw(chunk);
  }

  /**
   * Reserves four bytes to be filled later (a size prefix), returning a function that
   * writes them. The slot stays valid: blocks are never moved.
   */
  reserveInt32(): (v: number) => void {
    this.ensure(4);
    const block = this.block;
    const at = this.pos;
    this.pos += 4;
    return (v: number) => {
      block.writeInt32BE(v, at);
    };
  }

  /** The written bytes as a chain of views, in order. Further writes start a new chain tail. */
  chunks(): Uint8Array[] {
    this.seal();
    return this.done.slice();
  }

  /** The written bytes joined into one buffer (one copy, unless there is a single chunk). */
  toBuffer(): Buffer {
    const parts = this.chunks();
    const [only] = parts;
    if (parts.length === 1 && only !== undefined) {
      return Buffer.isBuffer(only) ? only : Buffer.from(only.buffer, only.byteOffset, only.length);
    }
    return Buffer.concat(parts, this.doneBytes);
  }
}
