/**
 * The operations endpoint every process serves on KAFSCALE_METRICS_ADDR:
 * - `GET /metrics`: the registry's Prometheus exposition;
 * - `GET /healthz`: 200 while the process runs;
 * - `GET /readyz`: 200 when `ready()` says so, else 503 with the reason as text;
 * - anything else 404 (405 for a method other than GET or HEAD).
 * It reads no request body: a request announcing one is answered and its connection closed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { HostPort } from '../config/parsers.js';
import { listenHttp } from '../http/listen-http.js';

/** `true` when ready; `false` or a short reason when not. */
export type Readiness = boolean | string;

export interface MetricsServerOptions {
  readonly listen: HostPort;
  readonly registry: Registry;
  /** Asked on each /readyz; absent means always ready. A throw counts as not ready. */
  readonly ready?: () => Readiness;
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';

function reply(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(req.method === 'HEAD' ? undefined : body);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function readiness(ready: (() => Readiness) | undefined): { ok: boolean; reason: string } {
  if (ready === undefined) return { ok: true, reason: 'ready' };
  try {
    const r = ready();
    if (r === true) return { ok: true, reason: 'ready' };
    return { ok: false, reason: typeof r === 'string' && r !== '' ? r : 'not ready' };
  } catch (e) {
    return {
      ok: false,
      reason: `readiness check failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

async function handle(
  options: MetricsServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (hasBody(req)) {
    // The body is never read: close the connection rather than drain it.
    res.setHeader('Connection', 'close');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    reply(req, res, 405, TEXT, 'method not allowed\n');
    return;
  }
  const path = (req.url ?? '/').split('?', 1)[0];
  switch (path) {
    case '/metrics': {
      let text: string;
      try {
        text = await options.registry.metrics();
      } catch (e) {
        reply(
          req,
          res,
          500,
          TEXT,
          `collecting metrics failed: ${e instanceof Error ? e.message : String(e)}\n`,
        );
        return;
      }
      reply(req, res, 200, options.registry.contentType, text);
      return;
    }
    case '/healthz':
      reply(req, res, 200, TEXT, 'ok\n');
      return;
    case '/readyz': {
      const r = readiness(options.ready);
      reply(req, res, r.ok ? 200 : 503, TEXT, `${r.reason}\n`);
      return;
    }
    default:
      reply(req, res, 404, TEXT, 'not found\n');
  }
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer({ maxHeaderSize: 8192 }, (req, res) => {
    handle(options, req, res).catch((e: unknown) => {
      res.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return listenHttp(server, options.listen);
}
