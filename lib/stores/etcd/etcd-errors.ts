/**
 * Maps etcd3 client failures to the port's errors: anything that says "could not reach etcd
 * or etcd could not answer now" becomes MetadataStoreUnavailableError (the caller may retry;
 * for a transaction the outcome is then unknown); etcd's transaction-size refusal becomes
 * TooManyOpsError; anything else (a bug in the request) is passed through.
 */
import { GRPCDeadlineExceededError, isRecoverableError } from 'etcd3';
import { MetadataStoreUnavailableError, TooManyOpsError } from '../metadata-store.js';

const TRANSIENT_MESSAGE =
  /unavailable|deadline|timed out|timeout|leader changed|no leader|too many requests|ECONNREFUSED|ECONNRESET|connection|circuit|closed|not connected|stream ended/i;

export function isUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof MetadataStoreUnavailableError) return true;
  if (e instanceof GRPCDeadlineExceededError) return true;
  if (isRecoverableError(e)) return true;
  if (e.name === 'BrokenCircuitError' || e.name === 'IsolatedCircuitError') return true;
  return TRANSIENT_MESSAGE.test(e.message);
}

export function mapEtcdError(e: unknown, what: string): Error {
  if (e instanceof MetadataStoreUnavailableError || e instanceof TooManyOpsError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/too many operations in txn/i.test(message)) return new TooManyOpsError(message);
  if (isUnavailable(e)) {
    return new MetadataStoreUnavailableError(`etcd ${what} failed: ${message}`, { cause: e });
  }
  return e instanceof Error ? e : new Error(message);
}

/** Rejects with MetadataStoreUnavailableError when `promise` does not settle in `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new MetadataStoreUnavailableError(`etcd ${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
