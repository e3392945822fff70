// Request and response bodies of the S3 adapter.
import { Readable } from 'node:stream';

import { ObjectStoreError } from '../object-store.js';

/** Reads a GetObject body into one buffer of exactly `length` bytes. */
export async function readBody(body: unknown, length: number, what: string): Promise<Buffer> {
  if (!(body instanceof Readable)) {
    if (length === 0 && body === undefined) return Buffer.alloc(0);
    throw new ObjectStoreError(`${what}: unexpected response body type`, false);
  }
  const out = Buffer.allocUnsafe(length);
  let filled = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    if (filled + chunk.length > length) {
      body.destroy();
      throw new ObjectStoreError(`${what}: body longer than its Content-Length ${length}`, true);
    }
    out.set(chunk, filled);
    filled += chunk.length;
  }
  if (filled !== length) {
    throw new ObjectStoreError(`${what}: body ended after ${filled} of ${length} bytes`, true);
  }
  return out;
}

/** Drains a body we do not need so its connection returns to the pool. */
export function discardBody(body: unknown): void {
  if (body instanceof Readable) body.resume();
}
