// The one contract suite of the ObjectStore port (lib/stores/object-store.ts): every
// guarantee stated there, run against every adapter (memory, local-dir, S3 on MinIO).
// Each test works under its own key prefix so one store instance serves the whole suite.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ObjectExistsError,
  ObjectNotFoundError,
  ObjectStoreError,
  type ObjectInfo,
  type ObjectStore,
} from '../../lib/stores/object-store.js';

export interface OpenedStore {
  readonly store: ObjectStore;
  cleanup(): Promise<void>;
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight. */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Every page of `prefix`, following `next`. */
export async function listAll(
  store: ObjectStore,
  prefix: string,
  limit?: number,
): Promise<{ objects: ObjectInfo[]; pages: number }> {
  const objects: ObjectInfo[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await store.list(prefix, { after, limit });
    pages++;
    objects.push(...page.objects);
    if (page.next === undefined) return { objects, pages };
    expect(page.objects.length).toBeGreaterThan(0);
    after = page.next;
  }
}

function byteOrder(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export function objectStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    let prefixes = 0;
    const store = (): ObjectStore => {
      if (opened === undefined) throw new Error('store not opened');
      return opened.store;
    };
    /** A prefix no other test uses. */
    const fresh = (): string => `t${++prefixes}-${randomBytes(3).toString('hex')}/`;

    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    describe('put and get', () => {
      it('round-trips a single buffer', async () => {
        const key = `${fresh()}one`;
        const data = Buffer.from('hello, object store');
        await store().put(key, data);
        expect(await store().get(key)).toEqual(data);
      });

      it('writes the concatenation of a multi-part body', async () => {
        const key = `${fresh()}parts`;
        const parts = [randomBytes(100), new Uint8Array(0), randomBytes(70_000), Buffer.from('x')];
        await store().put(key, parts);
        expect(await store().get(key)).toEqual(Buffer.concat(parts));
      });

      it('round-trips an empty object', async () => {
        const key = `${fresh()}empty`;
        await store().put(key, new Uint8Array(0));
        expect((await store().get(key)).length).toBe(0);
        expect(await store().head(key)).toMatchObject({ key, size: 0 });
      });

      it('round-trips a 5 MiB object (single and multi-part)', async () => {
        const prefix = fresh();
        const data = randomBytes(5 * 1024 * 1024);
        await store().put(`${prefix}big`, data);
        const got = await store().get(`${prefix}big`);
        expect(got.length).toBe(data.length);
        expect(got.equals(data)).toBe(true);
        const parts = [
          data.subarray(0, 1_000_001),
          data.subarray(1_000_001, 4_000_000),
          data.subarray(4_000_000),
        ];
        await store().put(`${prefix}big-parts`, parts);
        expect((await store().get(`${prefix}big-parts`)).equals(data)).toBe(true);
      });

      it('keeps what was written when the caller reuses its buffers after put', async () => {
        const key = `${fresh()}reuse`;
        const data = Buffer.from('original');
        await store().put(key, data);
        data.fill(0);
        expect((await store().get(key)).toString()).toBe('original');
      });

      it('returns a buffer the caller may modify without changing the object', async () => {
        const key = `${fresh()}mutate`;
        await store().put(key, Buffer.from('abc'));
        const first = await store().get(key);
        first.fill(0);
        expect((await store().get(key)).toString()).toBe('abc');
      });

      // Not covered: a key that is also another key's "directory" ('p' and 'p/q'). S3 allows
      // it, MinIO does not (it drops one of them), so Kafscale's key layout must avoid it.
      it('stores keys with unusual characters', async () => {
        const prefix = fresh();
        const keys = [
          `${prefix}p/q`,
          `${prefix}p-q/r`,
          `${prefix}Upper Case+sign=%41`,
          `${prefix}ünïcødé/日本`,
          `${prefix}.hidden`,
          `${prefix}trailing.`,
        ];
        for (const [i, key] of keys.entries()) await store().put(key, Buffer.from(`v${i}`));
        for (const [i, key] of keys.entries()) {
          expect((await store().get(key)).toString()).toBe(`v${i}`);
        }
        const listed = (await listAll(store(), prefix)).objects.map((o) => o.key);
        expect(listed).toEqual(byteOrder(keys));
      });
    });

    describe('ranged get', () => {
      const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      let key = '';
      beforeAll(async () => {
        key = `${fresh()}ranged`;
        await store().put(key, [data.subarray(0, 300), data.subarray(300)]);
      });

      it('returns the first byte', async () => {
        expect(await store().get(key, { start: 0, end: 0 })).toEqual(data.subarray(0, 1));
      });

      it('returns the last byte', async () => {
        expect(await store().get(key, { start: 999, end: 999 })).toEqual(data.subarray(999));
      });

      it('returns a middle range, both ends inclusive', async () => {
        expect(await store().get(key, { start: 123, end: 456 })).toEqual(data.subarray(123, 457));
      });

      it('clamps an end beyond the size', async () => {
        expect(await store().get(key, { start: 990, end: 5000 })).toEqual(data.subarray(990));
        expect(await store().get(key, { start: 0, end: 1_000_000 })).toEqual(data);
      });

      it('refuses a start at or beyond the size (not retriable, not "not found")', async () => {
        const error = await rejection(store().get(key, { start: 1000, end: 1010 }));
        expect(error).toBeInstanceOf(ObjectStoreError);
        expect(error).not.toBeInstanceOf(ObjectNotFoundError);
        expect((error as ObjectStoreError).retriable).toBe(false);
      });

      it('refuses an inverted or negative range', async () => {
        for (const range of [
          { start: 10, end: 9 },
          { start: -1, end: 5 },
          { start: 1.5, end: 5 },
        ]) {
          const error = await rejection(store().get(key, range));
          expect(error).toBeInstanceOf(ObjectStoreError);
          expect((error as ObjectStoreError).retriable).toBe(false);
        }
      });

      it('reads a range of a large object', async () => {
        const bigKey = `${fresh()}big-ranged`;
        const big = randomBytes(3 * 1024 * 1024);
        await store().put(bigKey, big);
        const got = await store().get(bigKey, { start: 2_000_000, end: 2_100_000 });
        expect(got.equals(big.subarray(2_000_000, 2_100_001))).toBe(true);
      });
    });

    describe('missing keys', () => {
      it('get fails with ObjectNotFoundError (not retriable)', async () => {
        const key = `${fresh()}missing`;
        const error = await rejection(store().get(key));
        expect(error).toBeInstanceOf(ObjectNotFoundError);
        expect((error as ObjectNotFoundError).key).toBe(key);
        expect((error as ObjectNotFoundError).retriable).toBe(false);
      });

      it('a ranged get fails with ObjectNotFoundError', async () => {
        const error = await rejection(store().get(`${fresh()}missing`, { start: 0, end: 10 }));
        expect(error).toBeInstanceOf(ObjectNotFoundError);
      });

      it('head returns undefined', async () => {
        expect(await store().head(`${fresh()}missing`)).toBeUndefined();
      });

      it('list of an unused prefix is one empty page', async () => {
        expect(await store().list(fresh())).toEqual({ objects: [], next: undefined });
      });
    });

    describe('ifNoneMatch', () => {
      it('creates an absent object', async () => {
        const key = `${fresh()}created`;
        await store().put(key, Buffer.from('first'), { ifNoneMatch: true });
        expect((await store().get(key)).toString()).toBe('first');
      });

      it('fails with ObjectExistsError on an existing key and changes nothing', async () => {
        const key = `${fresh()}exists`;
        await store().put(key, Buffer.from('first'));
        const error = await rejection(
          store().put(key, Buffer.from('second!'), { ifNoneMatch: true }),
        );
        expect(error).toBeInstanceOf(ObjectExistsError);
        expect((error as ObjectExistsError).key).toBe(key);
        expect((error as ObjectExistsError).retriable).toBe(false);
        expect((await store().get(key)).toString()).toBe('first');
        expect(await store().head(key)).toMatchObject({ key, size: 5 });
      });

      it('lets exactly one of 8 concurrent puts win, and the object holds its bytes', async () => {
        for (let round = 0; round < 3; round++) {
          const key = `${fresh()}race`;
          const bodies = Array.from({ length: 8 }, (_, i) => [
            Buffer.from(`writer ${i} `),
            randomBytes(64 * 1024 + i),
          ]);
          const results = await Promise.allSettled(
            bodies.map((body) => store().put(key, body, { ifNoneMatch: true })),
          );
          const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
          expect(winners).toHaveLength(1);
          for (const result of results) {
            if (result.status === 'rejected')
              expect(result.reason).toBeInstanceOf(ObjectExistsError);
          }
          const winner = winners[0] ?? -1;
          expect((await store().get(key)).equals(Buffer.concat(bodies[winner] ?? []))).toBe(true);
          const listed = await store().list(key);
          expect(listed.objects).toMatchObject([
            { key, size: 64 * 1024 + winner + `writer ${winner} `.length },
          ]);
        }
      });
    });

    describe('head', () => {
      it('returns key, size and when it was written', async () => {
        const key = `${fresh()}headed`;
        const before = Date.now();
        await store().put(key, [randomBytes(10), randomBytes(20)]);
        const after = Date.now();
        const info = await store().head(key);
        expect(info).toEqual({ key, size: 30, lastModifiedMs: info?.lastModifiedMs });
        // S3 reports whole seconds (and the server's clock): allow both.
        expect(info?.lastModifiedMs).toBeGreaterThanOrEqual(before - 5_000);
        expect(info?.lastModifiedMs).toBeLessThanOrEqual(after + 5_000);
        // HEAD's Last-Modified is an HTTP date (whole seconds); a listing may be finer.
        const [listed] = (await store().list(key)).objects;
        expect(listed).toMatchObject({ key, size: 30 });
        expect(Math.abs((listed?.lastModifiedMs ?? 0) - (info?.lastModifiedMs ?? 0))).toBeLessThan(
          1000,
        );
      });
    });

    describe('list', () => {
      it('orders keys by their bytes, not by path components', async () => {
        const prefix = fresh();
        // As bytes: '-' (0x2d) < '/' (0x2f) < '0' (0x30); a path-wise walk would put 'a/...' first or last.
        const keys = [
          'a/b',
          'a-c',
          'a/c',
          'a0',
          'a/b-/c',
          'a/bb/c',
          'a/b.',
          'B',
          'a.b',
          'é',
          'z',
          'a/b0',
        ].map((k) => prefix + k);
        for (const key of byteOrder(keys).reverse()) await store().put(key, Buffer.from(key));
        const page = await store().list(prefix);
        expect(page.next).toBeUndefined();
        expect(page.objects.map((o) => o.key)).toEqual(byteOrder(keys));
        for (const object of page.objects) expect(object.size).toBe(Buffer.byteLength(object.key));
      });

      it('filters by a prefix that ends inside a segment or at a slash', async () => {
        const prefix = fresh();
        const keys = ['a/b', 'a-c', 'a/c', 'a0', 'ab/x', 'b'].map((k) => prefix + k);
        for (const key of keys) await store().put(key, Buffer.from('x'));
        const keysOf = async (p: string): Promise<string[]> =>
          (await store().list(p)).objects.map((o) => o.key.slice(prefix.length));
        expect(await keysOf(`${prefix}a`)).toEqual(['a-c', 'a/b', 'a/c', 'a0', 'ab/x']);
        expect(await keysOf(`${prefix}a/`)).toEqual(['a/b', 'a/c']);
        expect(await keysOf(`${prefix}a/c`)).toEqual(['a/c']);
        expect(await keysOf(`${prefix}ab`)).toEqual(['ab/x']);
        expect(await keysOf(`${prefix}c`)).toEqual([]);
      });

      it('pages with limit and after, and continues after a key that does not exist', async () => {
        const prefix = fresh();
        const keys = Array.from(
          { length: 23 },
          (_, i) => `${prefix}k${String(i * 2).padStart(3, '0')}`,
        );
        await forEachBounded(keys, 8, (key) => store().put(key, Buffer.from('v')));
        const { objects, pages } = await listAll(store(), prefix, 5);
        expect(pages).toBe(5);
        expect(objects.map((o) => o.key)).toEqual(keys);
        const first = await store().list(prefix, { limit: 5 });
        expect(first.objects).toHaveLength(5);
        expect(first.next).toBe(keys[4]);
        const last = await store().list(prefix, { after: keys[19], limit: 3 });
        expect(last.objects.map((o) => o.key)).toEqual(keys.slice(20));
        expect(last.next).toBeUndefined();
        const between = await store().list(prefix, { after: `${prefix}k011`, limit: 2 });
        expect(between.objects.map((o) => o.key)).toEqual([`${prefix}k012`, `${prefix}k014`]);
        const fromStart = await store().list(prefix, { after: prefix, limit: 1 });
        expect(fromStart.objects.map((o) => o.key)).toEqual(keys.slice(0, 1));
        const afterAll = await store().list(prefix, { after: `${prefix}z` });
        expect(afterAll).toEqual({ objects: [], next: undefined });
      });

      it('lists 2,500 keys in pages of 1000 and in one call, then deletes them in one call', async () => {
        const prefix = fresh();
        const keys = Array.from({ length: 2500 }, (_, i) => {
          const n = String(i).padStart(4, '0');
          return `${prefix}${n.slice(0, 2)}/${n}`;
        });
        await forEachBounded(keys, 16, (key) => store().put(key, Buffer.from(key.slice(-4))));
        const paged = await listAll(store(), prefix, 1000);
        expect(paged.pages).toBe(3);
        expect(paged.objects.map((o) => o.key)).toEqual(keys);
        expect(paged.objects.every((o) => o.size === 4)).toBe(true);
        const whole = await store().list(prefix, { limit: 2500 });
        expect(whole.objects.map((o) => o.key)).toEqual(keys);
        expect(whole.next).toBeUndefined();
        const missing = [`${prefix}none-1`, `${prefix}99/none`];
        await store().delete([...keys.slice(0, 1700), ...missing, ...keys.slice(1700)]);
        expect(await store().list(prefix)).toEqual({ objects: [], next: undefined });
        expect(await store().head(keys[1234] ?? '')).toBeUndefined();
      });
    });

    describe('delete', () => {
      it('deletes existing keys and ignores missing ones', async () => {
        const prefix = fresh();
        await store().put(`${prefix}a`, Buffer.from('a'));
        await store().put(`${prefix}b/c`, Buffer.from('c'));
        await store().put(`${prefix}keep`, Buffer.from('k'));
        await store().delete([
          `${prefix}a`,
          `${prefix}missing`,
          `${prefix}b/c`,
          `${prefix}b/missing`,
        ]);
        await expect(store().get(`${prefix}a`)).rejects.toBeInstanceOf(ObjectNotFoundError);
        expect(await store().head(`${prefix}b/c`)).toBeUndefined();
        expect((await store().list(prefix)).objects.map((o) => o.key)).toEqual([`${prefix}keep`]);
      });

      it('accepts an empty list and only missing keys', async () => {
        await store().delete([]);
        await store().delete([`${fresh()}never`]);
      });

      it('lets a key be created again after delete, also with ifNoneMatch', async () => {
        const key = `${fresh()}again/x`;
        await store().put(key, Buffer.from('one'), { ifNoneMatch: true });
        await store().delete([key]);
        await store().put(key, Buffer.from('two'), { ifNoneMatch: true });
        expect((await store().get(key)).toString()).toBe('two');
      });
    });
  });
}
