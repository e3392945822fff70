/**
 * AWS Signature Version 4 for S3 requests (the Authorization header form), as AWS documents
 * it: a canonical request (method, URI, query, signed headers, payload hash), a string to sign
 * over its SHA-256, and an HMAC chain from the secret key through date, region and service.
 * The signing key is kept per day, region and secret.
 */
import { createHash, createHmac } from 'node:crypto';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface RequestToSign {
  readonly method: string;
  /** The path as sent, already URI-encoded (encodeS3Path). */
  readonly path: string;
  /** The canonical query string (names and values encoded, sorted by name); '' for none. */
  readonly query: string;
  /** Lower-case header names; `host` must be among them. */
  readonly headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  readonly payloadHash: string;
}

/** SHA-256 of an empty body, hex. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 encoding of each segment of an object key, keeping the slashes (S3's rule). */
export function encodeS3Path(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

const hmac = (key: Buffer | string, text: string): Buffer =>
  createHmac('sha256', key).update(text).digest();

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `20130524T000000Z` */
export function amzDate(at: Date): string {
  return at.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

export class SigV4Signer {
  private cachedKey: { scope: string; secret: string; key: Buffer } | undefined;

  constructor(
    private readonly region: string,
    private readonly service = 's3',
  ) {}

  /**
   * The headers to send: `request.headers` plus x-amz-date, x-amz-content-sha256,
   * x-amz-security-token (with a session token) and authorization.
   */
  sign(request: RequestToSign, credentials: S3Credentials, at: Date): Record<string, string> {
    const date = amzDate(at);
    const day = date.slice(0, 8);
    const headers: Record<string, string> = {
      ...request.headers,
      'x-amz-date': date,
      'x-amz-content-sha256': request.payloadHash,
      ...(credentials.sessionToken === undefined
        ? {}
        : { 'x-amz-security-token': credentials.sessionToken }),
    };
    const names = Object.keys(headers).sort();
    const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? '').trim()}\n`).join('');
    const signedHeaders = names.join(';');
    const canonicalRequest = [
      request.method,
      request.path,
      request.query,
      canonicalHeaders,
      signedHeaders,
      request.payloadHash,
    ].join('\n');
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n');
    const signature = hmac(this.signingKey(scope, day, credentials), stringToSign).toString('hex');
    headers.authorization =
      `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  }

  private signingKey(scope: string, day: string, credentials: S3Credentials): Buffer {
    const cached = this.cachedKey;
    if (cached?.scope === scope && cached.secret === credentials.secretAccessKey) return cached.key;
    const key = hmac(
      hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), this.region), this.service),
      'aws4_request',
    );
    this.cachedKey = { scope, secret: credentials.secretAccessKey, key };
    return key;
  }
}
