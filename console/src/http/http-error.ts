/**
 * An error the console answers with its own status and message (a bad value, an unknown
 * page, a refused action), and the mapping of the admin API's gRPC statuses to HTTP ones:
 * the controlplane's message, which names the bad value, is passed through.
 */
import { Code, ConnectError } from '@connectrpc/connect';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

const STATUS_OF_CODE: Partial<Record<Code, number>> = {
  [Code.InvalidArgument]: 400,
  [Code.OutOfRange]: 400,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.FailedPrecondition]: 409,
  [Code.Aborted]: 409,
  [Code.PermissionDenied]: 403,
  [Code.Unauthenticated]: 403,
  [Code.Unavailable]: 503,
  [Code.DeadlineExceeded]: 504,
  [Code.Unimplemented]: 501,
};

/** The HTTP answer for an error thrown while serving a request. */
export function httpErrorOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ConnectError) {
    const status = STATUS_OF_CODE[error.code] ?? 502;
    const prefix = status === 503 || status === 502 ? 'the controlplane: ' : '';
    return new HttpError(status, `${prefix}${error.rawMessage}`);
  }
  return new HttpError(500, error instanceof Error ? error.message : String(error));
}
