/**
 * One client connection: splits the byte stream into frames, decodes each request, runs
 * its handler concurrently with the others, and writes responses in request order.
 * Request bytes in flight are bounded: past the limit the socket stops being read until
 * responses go out. Malformed frames, unknown API keys and unsupported versions close
 * the connection, as Apache Kafka does; only ApiVersions answers an unsupported version.
 */
import type { Socket } from 'node:net';
import { errorInfo } from '../../../lib/kafka/error-codes.js';
import { apiVersionsApi } from '../../../lib/kafka/gen/index.js';
import { KafkaDecodeError } from '../../../lib/kafka/protocol/decode-error.js';
import { FrameError, FrameReader } from '../../../lib/kafka/protocol/frame-reader.js';
import {
  decodeRequestFrame,
  encodeResponseFrame,
  readPreamble,
} from '../../../lib/kafka/protocol/request-frame.js';
import type { Logger } from '../../../lib/log/logger.js';
import { unsupportedApiVersionsResponse } from '../handlers/18-api-versions.js';
import { responseErrorCodes } from '../response-error-codes.js';
import type { HandlerRegistry } from '../handlers/handler-registry.js';
import type { InflightBudget } from './inflight-budget.js';
import { ResponseQueue } from './response-queue.js';

export interface ConnectionLimits {
  readonly maxRequestBytes: number;
  readonly inflightBytes: number;
  /** Shared by every connection of the edge (KAFSCALE_EDGE_INFLIGHT_BYTES). */
  readonly edgeBudget?: InflightBudget;
  /** Log every request and response at debug level (KAFSCALE_TRACE_KAFKA). */
  readonly traceKafka?: boolean;
  /** Told of connections and answered requests (the edge's metrics: edge/src/edge-metrics.ts). */
  readonly observer?: ConnectionObserver;
}

/**
 * Requests are reported once decoded (or, for an unsupported ApiVersions version, answered);
 * requests that close the connection before that (bad frame, unknown key or version) are
 * not. Byte counts are whole frames, size prefix included. `ms` runs to the response being
 * queued; `ok` is false when the handler or the response encoding failed, and for the
 * UNSUPPORTED_VERSION answer to ApiVersions.
 */
export interface ConnectionObserver {
  requestStarted(apiKey: number, version: number, bytes: number): void;
  requestFinished(
    apiKey: number,
    version: number,
    ms: number,
    responseBytes: number,
    ok: boolean,
  ): void;
  /**
   * The decoded request and the handler's response (null when none is sent, as for Produce
   * with acks=0), typed by the API key's codec; called once the response is queued.
   */
  requestAnswered?(apiKey: number, request: unknown, response: unknown): void;
  connectionOpened(): void;
  connectionClosed(): void;
}

const byteLength = (chunks: readonly Uint8Array[]) => chunks.reduce((n, c) => n + c.length, 0);

export class KafkaConnection {
  private readonly frames: FrameReader;
  private readonly responses: ResponseQueue;
  private inflight = 0;
  private readonly backlog: Buffer[] = [];
  private closed = false;
  /** The peer as Apache Kafka shows it to group members (`/127.0.0.1`). */
  private readonly clientHost: string;

  constructor(
    private readonly socket: Socket,
    private readonly registry: HandlerRegistry,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
  ) {
    this.frames = new FrameReader(limits.maxRequestBytes);
    this.clientHost = `/${(socket.remoteAddress ?? '').replace(/^::ffff:/, '')}`;
    this.responses = new ResponseQueue((chunks) => {
      this.writeChunks(chunks);
    });
    socket.setNoDelay(true);
    limits.observer?.connectionOpened();
    socket.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    socket.on('error', (err) => {
      this.log.debug({ err }, 'socket error');
    });
    socket.on('close', () => {
      this.closed = true;
      limits.edgeBudget?.forget(this.resumeWhenRoom);
      limits.observer?.connectionClosed();
    });
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (e) {
      if (e instanceof FrameError) {
        this.close(`bad frame: ${e.message}`);
        return;
      }
      throw e;
    }
    this.backlog.push(...frames);
    this.drainBacklog();
  }

  private overBudget(): boolean {
    return this.inflight > this.limits.inflightBytes || this.limits.edgeBudget?.exhausted === true;
  }

  /**
   * Starts the frames read so far, in order, until this connection or the whole edge is
   * over its bound; the rest wait here (the socket is paused meanwhile) until responses go
   * out. So memory grows by at most one read chunk per connection past the bounds.
   */
  private drainBacklog(): void {
    while (!this.closed) {
      if (this.overBudget()) {
        this.socket.pause();
        // Its own responses resume it; room in the edge budget must be waited for.
        if (this.limits.edgeBudget?.exhausted === true)
          this.limits.edgeBudget.onRoom(this.resumeWhenRoom);
        return;
      }
      const frame = this.backlog.shift();
      if (frame === undefined) return;
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    let preamble;
    try {
      preamble = readPreamble(frame);
    } catch (e) {
      this.close(e instanceof Error ? e.message : String(e));
      return;
    }
    const { apiKey, apiVersion, correlationId } = preamble;
    const handler = this.registry.get(apiKey);
    if (handler === undefined) {
      this.close(`unknown or unsupported API key ${apiKey}`);
      return;
    }
    if (apiVersion < handler.minVersion || apiVersion > handler.maxVersion) {
      if (apiKey === apiVersionsApi.apiKey) {
        // KIP-511: answer at v0 with the versions we have, so the client can retry.
        this.limits.observer?.requestStarted(apiKey, apiVersion, frame.length + 4);
        const chunks = encodeResponseFrame(
          apiVersionsApi,
          0,
          correlationId,
          unsupportedApiVersionsResponse(this.registry),
        );
        this.responses.fill(this.responses.open(), chunks);
        this.limits.observer?.requestFinished(apiKey, apiVersion, 0, byteLength(chunks), false);
        return;
      }
      this.close(
        `${handler.api.name} v${apiVersion} is not supported (${handler.minVersion}-${handler.maxVersion})`,
      );
      return;
    }
    let request;
    try {
      request = decodeRequestFrame(frame, handler.api, apiVersion);
    } catch (e) {
      if (e instanceof KafkaDecodeError) {
        this.close(`malformed ${handler.api.name} v${apiVersion} request: ${e.message}`);
        return;
      }
      throw e;
    }
    const slot = this.responses.open();
    const size = frame.length;
    this.inflight += size;
    this.limits.edgeBudget?.take(size);
    this.limits.observer?.requestStarted(apiKey, apiVersion, size + 4);
    let responseBytes = 0;
    let ok = false;
    const log = this.log.child({ apiKey, correlationId, clientId: request.header.clientId });
    const started = performance.now();
    if (this.limits.traceKafka === true)
      log.debug({ api: handler.api.name, apiVersion, bytes: size }, 'kafka request');
    if (request.trailingBytes > 0)
      log.debug(
        { api: handler.api.name, apiVersion, trailingBytes: request.trailingBytes },
        'ignored bytes after the request body',
      );
    Promise.resolve()
      .then(() =>
        handler.handle(request.body, {
          apiVersion,
          correlationId,
          clientId: request.header.clientId,
          clientHost: this.clientHost,
          log,
        }),
      )
      .then(
        (response) => {
          const chunks =
            response === null
              ? []
              : encodeResponseFrame(handler.api, apiVersion, correlationId, response);
          this.responses.fill(slot, chunks);
          responseBytes = byteLength(chunks);
          if (this.limits.traceKafka === true) {
            log.debug(
              {
                api: handler.api.name,
                apiVersion,
                ms: performance.now() - started,
                bytes: responseBytes,
                errors: [...new Set(responseErrorCodes(response))].map(
                  (code) => errorInfo(code).name,
                ),
                response: response !== null,
              },
              'kafka response',
            );
          }
          ok = true;
          this.limits.observer?.requestAnswered?.(apiKey, request.body, response);
        },
        (err: unknown) => {
          log.error({ err }, 'handler failed');
          this.close(`${handler.api.name} handler failed`);
        },
      )
      .finally(() => {
        this.limits.observer?.requestFinished(
          apiKey,
          apiVersion,
          performance.now() - started,
          responseBytes,
          ok,
        );
        this.inflight -= size;
        this.limits.edgeBudget?.give(size);
        this.maybeResume();
      })
      .catch((err: unknown) => {
        log.error({ err }, 'response could not be written');
        this.close('response could not be written');
      });
  }

  private readonly resumeWhenRoom = (): void => {
    this.maybeResume();
  };

  /** Goes on once both this connection and the whole edge are under their bounds. */
  private maybeResume(): void {
    if (this.closed || this.inflight > this.limits.inflightBytes) return;
    const budget = this.limits.edgeBudget;
    if (budget?.exhausted === true) {
      if (this.backlog.length > 0 || this.socket.isPaused()) budget.onRoom(this.resumeWhenRoom);
      return;
    }
    this.drainBacklog();
    if (!this.overBudget() && this.socket.isPaused()) this.socket.resume();
  }

  private writeChunks(chunks: readonly Uint8Array[]): void {
    if (this.closed) return;
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.warn({ reason }, 'closing connection');
    this.socket.destroy();
  }
}
