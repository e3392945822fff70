/**
 * HTTP/2 flow-control windows and frame size for the gRPC traffic between Kafscale's
 * services, whose messages are record batches of megabytes (an Append of a produce
 * request, a Fetch answer). HTTP/2's defaults, a 64 KiB window per stream and per
 * connection and frames of 16 KiB, make a sender stop every 64 KiB until the receiver's
 * event loop has read the data and sent a WINDOW_UPDATE, and hand the receiver a 16 KiB
 * Buffer per frame. Both ends here advertise a 16 MiB window and accept 1 MiB frames.
 *
 * Memory stays bounded by what the callers ask for, not by the window: a Fetch answer by
 * the fetch's byte budget, an Append by the edge's in-flight budget
 * (KAFSCALE_EDGE_INFLIGHT_BYTES). Measured in docs/performance.md ("HTTP/2 windows
 * between services").
 */
import type { ClientHttp2Session, Http2Session, Settings } from 'node:http2';
import { Http2SessionManager } from '@connectrpc/connect-node';

/** Bytes a peer may send on one stream, or on the whole connection, before an update. */
export const SERVICE_WINDOW_BYTES = 16 * 1024 * 1024;

/** The largest HTTP/2 frame this end accepts (the protocol allows up to 16 MiB - 1). */
export const SERVICE_MAX_FRAME_BYTES = 1024 * 1024;

/** SETTINGS both ends send: the per-stream window and the frame size above. */
export const SERVICE_HTTP2_SETTINGS: Settings = {
  initialWindowSize: SERVICE_WINDOW_BYTES,
  maxFrameSize: SERVICE_MAX_FRAME_BYTES,
};

/**
 * Widens the connection-level window, which SETTINGS cannot change (it starts at 64 KiB
 * whatever the stream window is).
 */
export function widenConnectionWindow(session: Http2Session): void {
  if (!session.destroyed) session.setLocalWindowSize(SERVICE_WINDOW_BYTES);
}

/**
 * connect-node's session manager with the wide connection window: connect-node opens the
 * sessions itself, so each is widened when its first stream is requested.
 */
export class WideWindowSessionManager extends Http2SessionManager {
  private readonly widened = new WeakSet<ClientHttp2Session>();

  override async request(
    ...args: Parameters<Http2SessionManager['request']>
  ): ReturnType<Http2SessionManager['request']> {
    const stream = await super.request(...args);
    const session = stream.session as ClientHttp2Session | undefined;
    if (session !== undefined && !this.widened.has(session)) {
      this.widened.add(session);
      widenConnectionWindow(session);
    }
    return stream;
  }
}
