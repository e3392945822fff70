// In-process ObjectStore for unit tests: objects live in a Map, keys are kept sorted by
// their UTF-8 bytes so `list` pages in the same order as S3. Bytes are copied on the way in
// and on the way out, so a caller mutating its buffers never changes a stored object.
import {
  ObjectExistsError,
  ObjectNotFoundError,
  ObjectStoreError,
  type ByteRange,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
} from '../object-store.js';

const DEFAULT_LIST_LIMIT = 1000;

interface Entry {
  readonly key: string;
  /** UTF-8 bytes of the key: the sort key. */
  readonly keyBytes: Buffer;
  readonly data: Buffer;
  readonly lastModifiedMs: number;
}

export class MemoryObjectStore implements ObjectStore {
  readonly #objects = new Map<string, Entry>();
  /** Every entry, ascending by `keyBytes`. */
  readonly #sorted: Entry[] = [];

  /** `now` stamps each put (tests pass a clock they control). */
  constructor(private readonly now: () => number = Date.now) {}

  put(
    key: string,
    body: Uint8Array | readonly Uint8Array[],
    options: PutOptions = {},
  ): Promise<void> {
    return settle(() => {
      checkKey(key);
      const parts: readonly Uint8Array[] = body instanceof Uint8Array ? [body] : body;
      const data = Buffer.concat(parts);
      const existing = this.#objects.get(key);
      if (existing !== undefined && options.ifNoneMatch === true) throw new ObjectExistsError(key);
      const entry: Entry = {
        key,
        keyBytes: Buffer.from(key, 'utf8'),
        data,
        lastModifiedMs: this.now(),
      };
      this.#objects.set(key, entry);
      const at = this.#lowerBound(entry.keyBytes);
      if (existing === undefined) this.#sorted.splice(at, 0, entry);
      else this.#sorted[at] = entry;
    });
  }

  get(key: string, range?: ByteRange): Promise<Buffer> {
    return settle(() => {
      if (range !== undefined) checkRange(key, range);
      const entry = this.#objects.get(key);
      if (entry === undefined) throw new ObjectNotFoundError(key);
      if (range === undefined) return Buffer.from(entry.data);
      const size = entry.data.length;
      if (range.start >= size) throw unsatisfiableRange(key, range, size);
      return Buffer.from(entry.data.subarray(range.start, range.end + 1));
    });
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    const entry = this.#objects.get(key);
    return Promise.resolve(entry === undefined ? undefined : info(entry));
  }

  list(
    prefix: string,
    options: { readonly after?: string; readonly limit?: number } = {},
  ): Promise<ListPage> {
    return settle(() => this.#list(prefix, options));
  }

  #list(prefix: string, options: { readonly after?: string; readonly limit?: number }): ListPage {
    const limit = checkLimit(options.limit);
    const prefixBytes = Buffer.from(prefix, 'utf8');
    let from = this.#lowerBound(prefixBytes);
    if (options.after !== undefined) {
      const afterBytes = Buffer.from(options.after, 'utf8');
      from = Math.max(from, this.#upperBound(afterBytes));
    }
    const objects: ObjectInfo[] = [];
    let i = from;
    for (; i < this.#sorted.length && objects.length < limit; i++) {
      const entry = this.#sorted[i];
      if (entry === undefined || !startsWith(entry.keyBytes, prefixBytes)) break;
      objects.push(info(entry));
    }
    const following = this.#sorted[i];
    const more = following !== undefined && startsWith(following.keyBytes, prefixBytes);
    const last = objects.at(-1);
    return { objects, next: more && last !== undefined ? last.key : undefined };
  }

  delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const entry = this.#objects.get(key);
      if (entry === undefined) continue;
      this.#objects.delete(key);
      this.#sorted.splice(this.#lowerBound(entry.keyBytes), 1);
    }
    return Promise.resolve();
  }

  /** Index of the first entry whose key bytes are >= `bytes`. */
  #lowerBound(bytes: Buffer): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.#sorted[mid];
      if (entry !== undefined && Buffer.compare(entry.keyBytes, bytes) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first entry whose key bytes are > `bytes`. */
  #upperBound(bytes: Buffer): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.#sorted[mid];
      if (entry !== undefined && Buffer.compare(entry.keyBytes, bytes) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Runs `fn` now and turns its result or its throw into a promise. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(fn());
  });
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return (
    bytes.length >= prefix.length && bytes.compare(prefix, 0, prefix.length, 0, prefix.length) === 0
  );
}

function checkKey(key: string): void {
  if (key === '') throw new ObjectStoreError('object key must not be empty', false);
}

function checkRange(key: string, range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new ObjectStoreError(`invalid range [${start}, ${end}] for object ${key}`, false);
  }
}

function info(entry: Entry): ObjectInfo {
  return { key: entry.key, size: entry.data.length, lastModifiedMs: entry.lastModifiedMs };
}

function unsatisfiableRange(key: string, range: ByteRange, size: number): ObjectStoreError {
  return new ObjectStoreError(
    `range [${range.start}, ${range.end}] not satisfiable for object ${key} of ${size} bytes`,
    false,
  );
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ObjectStoreError(`list limit must be a positive integer, got ${limit}`, false);
  }
  return limit;
}
