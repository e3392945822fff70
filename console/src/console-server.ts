/**
 * The console's HTTP server (node:http): the pages under /ui/ (console/ui), the JSON API
 * under /ui/api/ (api/api-router.ts), and a redirect from / to /ui/. A failing request is
 * answered with its status and a message; nothing a client sends stops the process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { HostPort } from '../../lib/config/parsers.js';
import { listenHttp } from '../../lib/http/listen-http.js';
import type { Logger } from '../../lib/log/logger.js';
import { API_PREFIX, routeApi, type ApiContext } from './api/api-router.js';
import { httpErrorOf } from './http/http-error.js';
import { replyError, replyJson, setSecurityHeaders } from './http/reply.js';
import { findUiDirectory, readUiFile } from './static/ui-files.js';

export interface ConsoleServerOptions extends ApiContext {
  readonly listen: HostPort;
  readonly log: Logger;
  /** The folder of the pages; found from this module when absent. */
  readonly uiDir?: string;
}

export interface ConsoleServer {
  readonly port: number;
  /** http://host:port/ui/ (127.0.0.1 for a wildcard host). */
  readonly url: string;
  close(): Promise<void>;
}

function requestUrl(req: IncomingMessage): URL | undefined {
  const raw = req.url ?? '/';
  try {
    return raw.startsWith('/') ? new URL(`http://console${raw}`) : new URL(raw);
  } catch {
    return undefined;
  }
}

async function serveApi(
  options: ConsoleServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    const body = await routeApi(options, req, url);
    replyJson(res, 200, body, req.method === 'HEAD');
  } catch (e) {
    const error = httpErrorOf(e);
    if (error.status >= 500) options.log.warn({ err: e, path: url.pathname }, 'console API failed');
    else options.log.debug({ path: url.pathname, status: error.status }, error.message);
    if (!res.headersSent) replyError(res, error.status, error.message);
    else res.destroy();
  }
}

async function servePage(
  uiDir: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    replyError(res, 405, `method ${req.method ?? ''} is not allowed for pages`);
    return;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice('/ui/'.length));
  } catch {
    replyError(res, 400, `the path '${url.pathname}' is not valid percent-encoding`);
    return;
  }
  const file = await readUiFile(uiDir, relative);
  if (file === undefined) {
    replyError(res, 404, `no such page: ${url.pathname}`);
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', file.body.length);
  res.setHeader('Cache-Control', 'no-cache');
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

async function handle(
  options: ConsoleServerOptions,
  uiDir: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  setSecurityHeaders(res);
  const url = requestUrl(req);
  if (url === undefined) {
    replyError(res, 400, `the request target '${req.url ?? ''}' is not a URL path`);
    return;
  }
  if (url.pathname === '/' || url.pathname === '/ui') {
    res.statusCode = 302;
    res.setHeader('Location', '/ui/');
    res.end();
    return;
  }
  if (url.pathname.startsWith(API_PREFIX)) {
    await serveApi(options, req, res, url);
    return;
  }
  if (url.pathname.startsWith('/ui/')) {
    await servePage(uiDir, req, res, url);
    return;
  }
  replyError(res, 404, `no such page: ${url.pathname} (the console is at /ui/)`);
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const uiDir = options.uiDir ?? findUiDirectory();
  const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
    handle(options, uiDir, req, res).catch((e: unknown) => {
      options.log.warn({ err: e }, 'console request failed');
      if (!res.headersSent) replyError(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 120_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const listening = await listenHttp(server, options.listen);
  const port = listening.port;
  const host = ['0.0.0.0', '::', ''].includes(options.listen.host)
    ? '127.0.0.1'
    : options.listen.host;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    url: `http://${shownHost}:${port}/ui/`,
    close: () => listening.close(),
  };
}
