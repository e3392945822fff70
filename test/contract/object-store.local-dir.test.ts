import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { LocalDirObjectStore } from '../../lib/stores/local-dir/local-dir-object-store.js';
import { InvalidObjectKeyError } from '../../lib/stores/local-dir/object-key.js';
import { ObjectStoreError } from '../../lib/stores/object-store.js';
import { objectStoreContract } from './object-store.contract.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kafscale-objects-'));
}

objectStoreContract('local-dir', async () => {
  const dir = await tempDir();
  return {
    store: await LocalDirObjectStore.open(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('LocalDirObjectStore', () => {
  const dirs: string[] = [];
  const newDir = async (): Promise<string> => {
    const dir = await tempDir();
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('does not list a temp file a crash left, and removes it on reopen', async () => {
    const dir = await newDir();
    const store = await LocalDirObjectStore.open(dir);
    await store.put('topic/p0/seg', Buffer.from('kept'));
    const [topicDir] = await readdir(dir);
    const [partitionDir] = await readdir(join(dir, topicDir ?? ''));
    const segDir = join(dir, topicDir ?? '', partitionDir ?? '');
    const leftover = join(segDir, '.tmp-deadbeefdeadbeef');
    await writeFile(leftover, 'half-written');
    await writeFile(join(dir, '.tmp-0123456789abcdef'), 'half-written');
    expect((await store.list('')).objects).toMatchObject([{ key: 'topic/p0/seg', size: 4 }]);

    await LocalDirObjectStore.open(dir);
    expect(await readdir(segDir)).toEqual(['seg']);
    expect(await readdir(dir)).toEqual([topicDir]);
  });

  it('keeps objects written before a simulated crash (a new instance on the same dir)', async () => {
    const dir = await newDir();
    const before = await LocalDirObjectStore.open(dir);
    const big = Buffer.alloc(1024 * 1024, 7);
    await before.put('a/b/big', [big.subarray(0, 1000), big.subarray(1000)], { ifNoneMatch: true });
    await before.put('a/small', Buffer.from('small'));
    // No close: the first instance is simply abandoned, as after kill -9.
    const after = await LocalDirObjectStore.open(dir);
    expect((await after.get('a/b/big')).equals(big)).toBe(true);
    expect((await after.get('a/small')).toString()).toBe('small');
    expect((await after.list('a/')).objects.map((o) => o.key)).toEqual(['a/b/big', 'a/small']);
    await expect(after.put('a/small', Buffer.from('x'), { ifNoneMatch: true })).rejects.toThrow(
      /already exists/,
    );
  });

  it.each([
    ['', /empty/],
    ['/abs', /absolute/],
    ['a//b', /empty path segment/],
    ['a/', /empty path segment/],
    ['../escape', /'\.\.' path segment/],
    ['a/../../etc/passwd', /'\.\.' path segment/],
    ['a/./b', /'\.' path segment/],
    ['nul\0byte', /NUL/],
    ['x'.repeat(1025), /longer than 1024 bytes/],
    ['A'.repeat(100), /too long once escaped/],
    ['\ud800', /Unicode/],
  ])('refuses the bad key %j with a clear error', async (key, message) => {
    const store = await LocalDirObjectStore.open(await newDir());
    for (const call of [
      () => store.put(key, Buffer.from('x')),
      () => store.get(key),
      () => store.head(key),
      () => store.delete([key]),
    ]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidObjectKeyError);
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect((error as ObjectStoreError).retriable).toBe(false);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('keeps every file inside its directory and escapes names', async () => {
    const dir = await newDir();
    const store = await LocalDirObjectStore.open(dir);
    await store.put('Topic A/..x/seg.log', Buffer.from('x'));
    expect(await readdir(dir)).toEqual(['%54opic%20%41@']);
    expect(await readdir(join(dir, '%54opic%20%41@'))).toEqual(['%2E.x@']);
    expect((await store.list('Topic')).objects.map((o) => o.key)).toEqual(['Topic A/..x/seg.log']);
  });

  it('holds a key and keys under it as a "directory" (as S3 does; MinIO does not)', async () => {
    const store = await LocalDirObjectStore.open(await newDir());
    for (const key of ['p/q/r', 'p', 'p/q']) await store.put(key, Buffer.from(key));
    expect((await store.list('')).objects.map((o) => o.key)).toEqual(['p', 'p/q', 'p/q/r']);
    expect((await store.get('p/q')).toString()).toBe('p/q');
  });

  it('removes directories a delete empties', async () => {
    const dir = await newDir();
    const store = await LocalDirObjectStore.open(dir);
    await store.put('x/y/z', Buffer.from('1'));
    await store.put('x/w', Buffer.from('2'));
    await store.delete(['x/y/z']);
    expect(await readdir(join(dir, 'x@'))).toEqual(['w']);
    await store.delete(['x/w']);
    expect(await readdir(dir)).toEqual([]);
    await store.put('x/y/z', Buffer.from('3'));
    expect((await store.get('x/y/z')).toString()).toBe('3');
  });

  it('survives puts racing deletes that empty their directory', async () => {
    const store = await LocalDirObjectStore.open(await newDir());
    for (let i = 0; i < 50; i++) {
      await Promise.all([
        store.put(`r/d/k${i}`, Buffer.from('v')),
        store.delete([`r/d/k${i - 1}`]),
      ]);
    }
    expect((await store.list('r/')).objects.map((o) => o.key)).toEqual(['r/d/k49']);
  });
});
