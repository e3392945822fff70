/**
 * The object-store port, shaped after S3 (the production adapter). Kafscale writes each
 * object once under a key no other writer uses, so the port needs no overwrite semantics
 * beyond "create only if absent".
 *
 * Guarantees every adapter gives:
 * - `put` is atomic and durable when it resolves: a reader sees the whole object or none.
 *   With `ifNoneMatch`, exactly one of several concurrent puts of one key succeeds; the
 *   others fail with ObjectExistsError and change nothing.
 * - `get` of a range returns exactly bytes [start, end] (inclusive, clamped to the object's
 *   size); a missing key fails with ObjectNotFoundError.
 * - `list` returns keys under a prefix in lexicographic (byte) order, paged.
 * - `delete` of a missing key succeeds.
 * - Keys are '/'-separated paths, and no key is also the folder of another ('p' and 'p/q'
 *   never both exist): MinIO silently drops such keys, and Kafscale's layout never needs them.
 * - Other failures are ObjectStoreError with `retriable` telling whether repeating the
 *   same call may succeed.
 */

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** When the object was written, by the store's clock (ms since the epoch). */
  readonly lastModifiedMs: number;
}

export interface ListPage {
  readonly objects: ObjectInfo[];
  /** Pass to the next call to continue; undefined on the last page. */
  readonly next: string | undefined;
}

export interface PutOptions {
  /** Create only if no object has this key (S3 `If-None-Match: *`). */
  readonly ifNoneMatch?: boolean;
}

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

export interface ObjectStore {
  /** Writes the concatenation of `body`'s parts (passed by reference, not joined first where the adapter can stream them). */
  put(key: string, body: Uint8Array | readonly Uint8Array[], options?: PutOptions): Promise<void>;
  get(key: string, range?: ByteRange): Promise<Buffer>;
  head(key: string): Promise<ObjectInfo | undefined>;
  list(
    prefix: string,
    options?: { readonly after?: string; readonly limit?: number },
  ): Promise<ListPage>;
  delete(keys: readonly string[]): Promise<void>;
}

export class ObjectStoreError extends Error {
  override readonly name: string = 'ObjectStoreError';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class ObjectExistsError extends ObjectStoreError {
  override readonly name = 'ObjectExistsError';
  constructor(readonly key: string) {
    super(`object ${key} already exists`, false);
  }
}

export class ObjectNotFoundError extends ObjectStoreError {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`object ${key} does not exist`, false);
  }
}
