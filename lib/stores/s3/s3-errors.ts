// SDK and network errors as ObjectStoreErrors: 5xx, throttling, conflicts of concurrent
// conditional writes, timeouts and network failures are retriable; other 4xx are not.
import { ObjectStoreError } from '../object-store.js';

const RETRIABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'ConditionalRequestConflict',
  'OperationAborted',
  'TimeoutError',
  'NetworkingError',
  'XMinioServerNotInitialized',
  'XMinioReadQuorum',
  'XMinioWriteQuorum',
]);

const RETRIABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly attempts?: unknown };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The HTTP status of an SDK error, if it got a response. */
export function httpStatus(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The S3 error code (e.g. 'NoSuchKey') or the error's name. */
export function errorCode(error: unknown): string | undefined {
  const { Code, name } = shape(error);
  if (typeof Code === 'string') return Code;
  return typeof name === 'string' ? name : undefined;
}

export function isRetriableS3Code(code: string | undefined): boolean {
  return code !== undefined && RETRIABLE_NAMES.has(code);
}

export function isRetriable(error: unknown): boolean {
  if (error instanceof ObjectStoreError) return error.retriable;
  const s = shape(error);
  if (isRetriableS3Code(errorCode(error))) return true;
  if (typeof s.code === 'string' && RETRIABLE_CODES.has(s.code)) return true;
  if (s.$retryable !== undefined && s.$retryable !== null) return true;
  const status = httpStatus(error);
  // 501 Not Implemented (e.g. SSE-KMS on a server without KMS) will not change on retry.
  return status !== undefined && ((status >= 500 && status !== 501) || status === 429);
}

/** `error` as is when it is already an ObjectStoreError, else wrapped (original as `cause`). */
export function toObjectStoreError(error: unknown, what: string): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const status = httpStatus(error);
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const detail = [code, status === undefined ? undefined : `HTTP ${status}`]
    .filter((x) => x !== undefined)
    .join(', ');
  return new ObjectStoreError(
    `${what}: ${message}${detail === '' ? '' : ` (${detail})`}`,
    isRetriable(error),
    {
      cause: error,
    },
  );
}
