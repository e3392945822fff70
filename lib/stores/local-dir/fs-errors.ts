// File-system errors as ObjectStoreErrors.
import { ObjectStoreError } from '../object-store.js';

/** Errno codes after which repeating the same call may succeed. */
const RETRIABLE = new Set(['EAGAIN', 'EBUSY', 'EINTR', 'EMFILE', 'ENFILE', 'ENOSPC', 'EDQUOT']);

export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}

export function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = errnoCode(error);
  return code !== undefined && codes.includes(code);
}

/** `error` as is when it is already an ObjectStoreError, else wrapped with `what` failed. */
export function toObjectStoreError(error: unknown, what: string): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const code = errnoCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new ObjectStoreError(`${what}: ${detail}`, code !== undefined && RETRIABLE.has(code), {
    cause: error,
  });
}
