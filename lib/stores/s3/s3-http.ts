/**
 * PutObject and GetObject as plain signed HTTP requests on a keep-alive agent: the storage
 * node's hot path. The AWS SDK's per-request middleware cost more CPU than the request
 * itself: bench/s3-requests.ts measured about a third of the SDK's client CPU per PUT and
 * per ranged GET (docs/performance.md). The rare operations (list, delete, head)
 * stay on the SDK. A failed request rejects with an error shaped like the SDK's (HTTP status
 * in `$metadata`, the S3 error code in `Code`, a network error's `code`), so that
 * s3-errors.ts classifies both alike.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { S3Credentials } from './sigv4.js';
import { encodeS3Path, EMPTY_SHA256, SigV4Signer, UNSIGNED_PAYLOAD } from './sigv4.js';

export interface S3HttpOptions {
  /** `http://host:port` (MinIO) or the AWS endpoint. */
  readonly endpoint: URL;
  readonly bucket: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly credentials: () => Promise<S3Credentials>;
  readonly connectionTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** A failed S3 request, shaped as s3-errors.ts reads the SDK's errors. */
export class S3HttpError extends Error {
  override readonly name: string;
  readonly Code: string | undefined;
  readonly code: string | undefined;
  readonly $metadata: { readonly httpStatusCode: number | undefined };

  constructor(
    message: string,
    o: { status?: number; s3Code?: string; networkCode?: string; name?: string },
  ) {
    super(message);
    this.name = o.name ?? o.s3Code ?? 'S3HttpError';
    this.Code = o.s3Code;
    this.code = o.networkCode;
    this.$metadata = { httpStatusCode: o.status };
  }
}

export interface S3Request {
  readonly method: 'GET' | 'PUT';
  readonly key: string;
  /** Lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: readonly Uint8Array[];
}

const MAX_ERROR_BODY = 64 * 1024;

function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** The error of a non-2xx response, from S3's XML error body when there is one. */
async function responseError(res: IncomingMessage, what: string): Promise<S3HttpError> {
  let text = '';
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (text.length < MAX_ERROR_BODY) text += chunk.toString('utf8');
    }
  } catch {
    // The status alone classifies the failure.
  }
  const status = res.statusCode ?? 0;
  const s3Code = xmlField(text, 'Code');
  const message = xmlField(text, 'Message') ?? res.statusMessage ?? '';
  return new S3HttpError(`${what}: ${s3Code ?? `HTTP ${status}`}: ${message}`.trim(), {
    status,
    ...(s3Code === undefined ? {} : { s3Code }),
  });
}

export class S3Http {
  private readonly signer: SigV4Signer;
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  /** The Host header: the endpoint's, or the bucket's virtual host under it. */
  private readonly host: string;
  /** Where requests connect: the host of `host`, without its port. */
  private readonly hostname: string;
  private readonly pathPrefix: string;

  constructor(private readonly o: S3HttpOptions) {
    this.signer = new SigV4Signer(o.region);
    this.secure = o.endpoint.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: 256 };
    this.agent = this.secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.host = o.forcePathStyle ? o.endpoint.host : `${o.bucket}.${o.endpoint.host}`;
    this.hostname = o.forcePathStyle ? o.endpoint.hostname : `${o.bucket}.${o.endpoint.hostname}`;
    const base = o.endpoint.pathname.replace(/\/$/, '');
    this.pathPrefix = o.forcePathStyle ? `${base}/${encodeS3Path(o.bucket)}` : base;
  }

  /** Sends the request; resolves with a 2xx response (its body unread), else rejects. */
  async send(request: S3Request): Promise<IncomingMessage> {
    const parts = request.body ?? [];
    const length = parts.reduce((n, p) => n + p.length, 0);
    const path = `${this.pathPrefix}/${encodeS3Path(request.key)}`;
    // A body is not hashed into the signature, over https or http: hashing it cost the node
    // and the store a pass over every byte each (about 1.8-1.9 CPU s per GiB put, measured
    // against MinIO), and a batch's integrity is its own CRC32C, checked on produce and by
    // the consumers. Over http the headers stay signed, the body is not protected in transit.
    const payloadHash = parts.length === 0 ? EMPTY_SHA256 : UNSIGNED_PAYLOAD;
    const headers = this.signer.sign(
      {
        method: request.method,
        path,
        query: '',
        headers: {
          ...request.headers,
          host: this.host,
          ...(request.method === 'PUT' ? { 'content-length': String(length) } : {}),
        },
        payloadHash,
      },
      await this.o.credentials(),
      new Date(),
    );
    const what = `${request.method} ${request.key}`;
    const res = await this.exchange(path, request.method, headers, parts, what);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    throw await responseError(res, what);
  }

  destroy(): void {
    this.agent.destroy();
  }

  private exchange(
    path: string,
    method: string,
    headers: Record<string, string>,
    parts: readonly Uint8Array[],
    what: string,
  ): Promise<IncomingMessage> {
    const { o } = this;
    return new Promise((resolve, reject) => {
      const req = (this.secure ? https : http).request({
        protocol: o.endpoint.protocol,
        hostname: this.hostname,
        port: o.endpoint.port,
        method,
        path,
        headers: { ...headers, host: this.host },
        agent: this.agent,
      });
      const fail = (message: string, networkCode: string) => {
        req.destroy(new S3HttpError(`${what}: ${message}`, { networkCode, name: 'TimeoutError' }));
      };
      const requestTimer = setTimeout(() => {
        fail(`no response within ${o.requestTimeoutMs} ms`, 'ETIMEDOUT');
      }, o.requestTimeoutMs);
      req.setTimeout(o.socketTimeoutMs, () => {
        fail(`socket idle for ${o.socketTimeoutMs} ms`, 'ESOCKETTIMEDOUT');
      });
      req.once('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => {
          fail(`no connection within ${o.connectionTimeoutMs} ms`, 'ETIMEDOUT');
        }, o.connectionTimeoutMs);
        socket.once('connect', () => {
          clearTimeout(connectTimer);
        });
        socket.once('close', () => {
          clearTimeout(connectTimer);
        });
      });
      req.once('response', (res) => {
        clearTimeout(requestTimer);
        resolve(res);
      });
      req.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(requestTimer);
        reject(
          err instanceof S3HttpError
            ? err
            : new S3HttpError(`${what}: ${err.message}`, {
                name: 'NetworkingError',
                ...(err.code === undefined ? {} : { networkCode: err.code }),
              }),
        );
      });
      req.cork();
      for (const part of parts) req.write(part);
      req.end();
      req.uncork();
    });
  }
}
