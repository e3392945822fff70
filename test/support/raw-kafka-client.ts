/**
 * A minimal Kafka client over a raw socket, built on the project's codec, for tests that
 * need exact control over the bytes: pipelining, malformed frames, unsupported versions.
 */
import { connect, type Socket } from 'node:net';
import type { ApiDefinition } from '../../lib/kafka/protocol/codec-runtime.js';
import { FrameReader } from '../../lib/kafka/protocol/frame-reader.js';
import { decodeResponseFrame, encodeRequestFrame } from '../../lib/kafka/protocol/request-frame.js';

export class RawKafkaClient {
  private readonly frames = new FrameReader();
  private readonly received: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private nextCorrelationId = 1;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(...this.frames.push(chunk));
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.wake();
        resolve();
      });
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawKafkaClient> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawKafkaClient(socket);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Encodes a request frame (size prefix included) with a fresh correlation id. */
  frame(
    api: ApiDefinition,
    version: number,
    body: unknown,
    clientId: string | null = 'raw-test',
  ): { bytes: Buffer; correlationId: number } {
    const correlationId = this.nextCorrelationId++;
    return {
      bytes: encodeRequestFrame(api, version, correlationId, clientId, body),
      correlationId,
    };
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next response frame (without its size prefix); rejects if the connection closes first. */
  async nextFrame(): Promise<Buffer> {
    for (;;) {
      const f = this.received.shift();
      if (f !== undefined) return f;
      if (this.socket.destroyed || this.socket.readyState === 'closed')
        throw new Error('connection closed');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Sends one request and decodes its response; the caller names the response type. */
  async request<T>(api: ApiDefinition, version: number, body: unknown): Promise<T> {
    const { bytes, correlationId } = this.frame(api, version, body);
    this.write(bytes);
    const response = decodeResponseFrame(await this.nextFrame(), api, version);
    if (response.correlationId !== correlationId) {
      throw new Error(`correlation id ${response.correlationId}, expected ${correlationId}`);
    }
    return response.body as T;
  }

  close(): void {
    this.socket.destroy();
  }
}
