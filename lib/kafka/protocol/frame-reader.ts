/**
 * Splits a TCP byte stream into Kafka's size-prefixed frames. A frame that arrives whole
 * inside one chunk is returned as a view of that chunk; a frame split across chunks is
 * assembled once into a buffer of exactly its size, allocated only after the size prefix
 * has been checked against the maximum. A bad prefix poisons the reader: the connection
 * must be closed, as Kafka does.
 */

export const DEFAULT_MAX_FRAME_SIZE = 100 * 1024 * 1024;

export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    readonly kind: 'too-large' | 'negative-size',
    readonly size: number,
    message: string,
  ) {
    super(message);
  }
}

export class FrameReader {
  private readonly header = Buffer.alloc(4);
  private headerFill = 0;
  private frame: Buffer | null = null;
  private frameFill = 0;
  private failure: FrameError | null = null;

  /** May change between frames (a SASL listener reads small frames until authenticated). */
  constructor(public maxFrameSize = DEFAULT_MAX_FRAME_SIZE) {}

  /** Bytes received but not yet returned as part of a frame. */
  get bufferedBytes(): number {
    return this.headerFill + this.frameFill;
  }

  /** Feeds one chunk; returns the frames it completes, in order, without their prefixes. */
  push(chunk: Buffer): Buffer[] {
    if (this.failure) throw this.failure;
    const frames: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.frame !== null) {
        const n = Math.min(this.frame.length - this.frameFill, chunk.length - at);
        chunk.copy(this.frame, this.frameFill, at, at + n);
        this.frameFill += n;
        at += n;
        if (this.frameFill === this.frame.length) {
          frames.push(this.frame);
          this.frame = null;
          this.frameFill = 0;
        }
        continue;
      }
      let size: number;
      if (this.headerFill === 0 && chunk.length - at >= 4) {
        size = chunk.readInt32BE(at);
        at += 4;
      } else {
        const n = Math.min(4 - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + n);
        this.headerFill += n;
        at += n;
        if (this.headerFill < 4) break;
        this.headerFill = 0;
        size = this.header.readInt32BE(0);
      }
      this.check(size);
      if (chunk.length - at >= size) {
        frames.push(chunk.subarray(at, at + size));
        at += size;
      } else {
        this.frame = Buffer.allocUnsafe(size);
        this.frameFill = 0;
      }
    }
    return frames;
  }

  private check(size: number): void {
    if (size < 0) {
      this.failure = new FrameError('negative-size', size, `frame size prefix ${size} is negative`);
    } else if (size > this.maxFrameSize) {
      this.failure = new FrameError(
        'too-large',
        size,
        `frame of ${size} bytes exceeds the maximum of ${this.maxFrameSize}`,
      );
    }
    if (this.failure) throw this.failure;
  }
}
