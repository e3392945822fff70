/**
 * One client connection: splits the byte stream into frames, decodes each request, runs
 * its handler concurrently with the others, and writes responses in request order.
 * Request bytes in flight are bounded: past the limit the socket stops being read until
 * responses go out. Malformed frames, unknown API keys and unsupported versions close
 * the connection, as Apache Kafka does; only ApiVersions answers an unsupported version.
 * A client over a client quota gets `throttle_time_ms` in its response and the connection
 * stops being read for that long (KIP-219), as a Kafka broker mutes its channel.
 */
import type { Socket } from 'node:net';
import { errorInfo } from '../../../lib/kafka/error-codes.js';
import { apiVersionsApi, fetchApi, produceApi } from '../../../lib/kafka/gen/index.js';
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
import type { ClientQuotas } from '../quota/client-quotas.js';
import { ConnectionQuotas } from '../quota/connection-quotas.js';
import { exemptFromRequestQuota, throttledResponse } from '../quota/throttled-response.js';
import {
  ANONYMOUS,
  MAX_UNAUTHENTICATED_FRAME_BYTES,
  type ConnectionAuth,
} from '../security/connection-auth.js';
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
  /** The edge's client quotas (absent: no quota is enforced). */
  readonly quotas?: ClientQuotas;
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

/** The listener a connection arrived on and its authentication state. */
export interface ConnectionSession {
  readonly listener: string;
  readonly auth: ConnectionAuth;
}

/** A raw SASL token of the legacy flow: its size prefix and its bytes. */
function sizePrefixed(bytes: Uint8Array): Uint8Array[] {
  const size = Buffer.alloc(4);
  size.writeInt32BE(bytes.length);
  return [size, bytes];
}

export class KafkaConnection {
  private readonly frames: FrameReader;
  private readonly responses: ResponseQueue;
  private inflight = 0;
  private readonly backlog: Buffer[] = [];
  private closed = false;
  /** The peer as Apache Kafka shows it to group members (`/127.0.0.1`). */
  private readonly clientHost: string;
  /**
   * A request is running that later frames must wait for: while a client authenticates,
   * frames are taken one at a time (as Kafka mutes the channel), so each is judged against
   * the state the previous one left.
   */
  private barrier = false;
  private readonly quotas: ConnectionQuotas | undefined;
  /** While set, the connection is muted (not read) for a quota throttle. */
  private muteTimer: NodeJS.Timeout | undefined;
  private mutedUntil = 0;

  constructor(
    private readonly socket: Socket,
    private readonly registry: HandlerRegistry,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    private readonly session?: ConnectionSession,
  ) {
    this.frames = new FrameReader(limits.maxRequestBytes);
    this.quotas = limits.quotas && new ConnectionQuotas(limits.quotas);
    this.updateFrameLimit();
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
      clearTimeout(this.muteTimer);
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

  /** Until authenticated, a SASL listener takes only small frames (no large allocation). */
  private updateFrameLimit(): void {
    const auth = this.session?.auth;
    this.frames.maxFrameSize =
      auth === undefined || auth.authenticated
        ? this.limits.maxRequestBytes
        : Math.min(this.limits.maxRequestBytes, MAX_UNAUTHENTICATED_FRAME_BYTES);
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
      if (this.muteTimer !== undefined) {
        this.socket.pause();
        return;
      }
      if (this.barrier) {
        if (this.backlog.length > 0) this.socket.pause();
        return;
      }
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
    const auth = this.session?.auth;
    if (auth?.expectsRawToken === true) {
      this.onRawToken(frame, auth);
      return;
    }
    let preamble;
    try {
      preamble = readPreamble(frame);
    } catch (e) {
      this.close(e instanceof Error ? e.message : String(e));
      return;
    }
    const { apiKey, apiVersion, correlationId } = preamble;
    const refusal = auth?.admit(apiKey) ?? null;
    if (refusal !== null) {
      this.close(refusal);
      return;
    }
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
    const decodeStarted = performance.now();
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
    const barrier = auth !== undefined && (auth.serial || handler.api.apiKey === 17);
    if (barrier) this.barrier = true;
    this.inflight += size;
    this.limits.edgeBudget?.take(size);
    this.limits.observer?.requestStarted(apiKey, apiVersion, size + 4);
    let responseBytes = 0;
    let ok = false;
    const principal = auth?.principal;
    const log = this.log.child({
      apiKey,
      correlationId,
      clientId: request.header.clientId,
      ...(principal === undefined ? {} : { principal }),
    });
    const started = performance.now();
    /** Time this request held the event loop: decoding, the handler until it waits, encoding. */
    let busyMs = started - decodeStarted;
    if (this.limits.traceKafka === true)
      log.debug({ api: handler.api.name, apiVersion, bytes: size }, 'kafka request');
    if (request.trailingBytes > 0)
      log.debug(
        { api: handler.api.name, apiVersion, trailingBytes: request.trailingBytes },
        'ignored bytes after the request body',
      );
    Promise.resolve()
      .then(() => {
        const handlerStarted = performance.now();
        const pending = handler.handle(request.body, {
          apiVersion,
          correlationId,
          clientId: request.header.clientId,
          clientHost: this.clientHost,
          ...(this.session === undefined
            ? {}
            : { listener: this.session.listener, auth: this.session.auth }),
          log,
        });
        busyMs += performance.now() - handlerStarted;
        return pending;
      })
      .then(
        (handled) => {
          let response = handled;
          const encodeStarted = performance.now();
          let chunks =
            response === null
              ? []
              : encodeResponseFrame(handler.api, apiVersion, correlationId, response);
          busyMs += performance.now() - encodeStarted;
          const throttleMs = this.throttleMs(apiKey, request.header.clientId, size, chunks, busyMs);
          if (throttleMs > 0) {
            if (response !== null) {
              response = throttledResponse(apiKey, response, throttleMs);
              if (apiKey === fetchApi.apiKey)
                this.quotas?.unrecordFetch(byteLength(chunks), performance.now());
              chunks = encodeResponseFrame(handler.api, apiVersion, correlationId, response);
            }
            this.mute(throttleMs);
          }
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
          this.afterAuthStep();
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
        if (barrier) this.barrier = false;
        this.maybeResume();
      })
      .catch((err: unknown) => {
        log.error({ err }, 'response could not be written');
        this.close('response could not be written');
      });
  }

  /**
   * Records a finished request against the client's quotas: Produce request bytes, Fetch
   * response bytes, and the event-loop time for request_percentage. The throttle time, or 0.
   */
  private throttleMs(
    apiKey: number,
    clientId: string | null,
    requestBytes: number,
    responseChunks: readonly Uint8Array[],
    busyMs: number,
  ): number {
    if (this.quotas === undefined) return 0;
    return this.quotas.throttleMs(
      this.session?.auth.principal ?? ANONYMOUS,
      clientId ?? '',
      apiKey === produceApi.apiKey ? requestBytes + 4 : 0,
      apiKey === fetchApi.apiKey ? byteLength(responseChunks) : 0,
      exemptFromRequestQuota(apiKey) ? undefined : busyMs,
      performance.now(),
    );
  }

  /** Stops reading the socket for `ms` (a quota throttle); frames already read wait too. */
  private mute(ms: number): void {
    const until = performance.now() + ms;
    if (this.closed || until <= this.mutedUntil) return;
    this.mutedUntil = until;
    clearTimeout(this.muteTimer);
    this.socket.pause();
    this.muteTimer = setTimeout(() => {
      this.muteTimer = undefined;
      this.mutedUntil = 0;
      this.maybeResume();
    }, ms);
  }

  /** The legacy SASL flow (after SaslHandshake v0): a raw token in, a raw token out. */
  private onRawToken(frame: Buffer, auth: ConnectionAuth): void {
    const slot = this.responses.open();
    this.barrier = true;
    auth.rawToken(frame).then(
      (challenge) => {
        this.responses.fill(slot, sizePrefixed(challenge));
        this.barrier = false;
        this.afterAuthStep();
        this.maybeResume();
      },
      (err: unknown) => {
        // The legacy flow has no way to carry an error: the connection closes, as in Kafka.
        this.log.debug({ err }, 'legacy SASL token refused');
        this.close('SASL authentication failed');
      },
    );
  }

  /** After a SASL step: a failed one closes once its answer is out; a success lifts the frame cap. */
  private afterAuthStep(): void {
    const auth = this.session?.auth;
    if (auth === undefined) return;
    const reason = auth.mustClose;
    if (reason !== undefined) {
      this.closeAfterWrite(reason);
      return;
    }
    this.updateFrameLimit();
  }

  private readonly resumeWhenRoom = (): void => {
    this.maybeResume();
  };

  /** Goes on once both this connection and the whole edge are under their bounds. */
  private maybeResume(): void {
    if (this.closed || this.muteTimer !== undefined || this.inflight > this.limits.inflightBytes)
      return;
    const budget = this.limits.edgeBudget;
    if (budget?.exhausted === true) {
      if (this.backlog.length > 0 || this.socket.isPaused()) budget.onRoom(this.resumeWhenRoom);
      return;
    }
    this.drainBacklog();
    if (!this.overBudget() && !this.barrier && this.socket.isPaused()) this.socket.resume();
  }

  private writeChunks(chunks: readonly Uint8Array[]): void {
    if (this.closed) return;
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }

  /** Closes once what was written has gone out (the client reads its error first). */
  private closeAfterWrite(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.info({ reason }, 'closing connection');
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.warn({ reason }, 'closing connection');
    this.socket.destroy();
  }
}
