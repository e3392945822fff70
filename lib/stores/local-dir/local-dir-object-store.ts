// ObjectStore over a local directory, for the embedded dev mode: data must survive kill -9
// (and, as far as fsync allows, a machine crash).
//
// - put writes the parts to a temp file ('.tmp-*') in the target's directory, fsyncs it,
//   then publishes it atomically: with ifNoneMatch by link(tmp, final) (EEXIST means
//   another put won; a hard link never replaces an existing name, so exactly one
//   concurrent put wins) and unlink(tmp), otherwise by rename (replaces). Then the
//   directory is fsynced, and so is every parent of a directory this process created or
//   first used, so the object's name is durable when put resolves.
// - Readers open the final name only, which always names a complete, fsynced file.
// - Temp files left by a crash are never listed and are removed by `open`.
// - Key to path mapping: see object-key.ts.
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import {
  link,
  mkdir,
  open,
  readdir,
  rename,
  rmdir,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';

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
import { hasCode, toObjectStoreError } from './fs-errors.js';
import { keyPath, parseEntryName, prefixPath, TEMP_PREFIX, type KeyPath } from './object-key.js';

const DEFAULT_LIST_LIMIT = 1000;
/** How often a put retries when a concurrent delete removed its (empty) directory. */
const MAX_DIR_RACES = 5;

export class LocalDirObjectStore implements ObjectStore {
  /** Directories (absolute paths) whose entry in their parent this process has fsynced. */
  readonly #durableDirs = new Set<string>();

  private constructor(readonly root: string) {}

  /** Opens (creating if needed) a store in `root` and removes temp files a crash left. */
  static async open(root: string): Promise<LocalDirObjectStore> {
    try {
      await mkdir(root, { recursive: true });
      await removeTempFiles(root);
    } catch (error) {
      throw toObjectStoreError(error, `opening object store in ${root}`);
    }
    return new LocalDirObjectStore(root);
  }

  async put(
    key: string,
    body: Uint8Array | readonly Uint8Array[],
    options: PutOptions = {},
  ): Promise<void> {
    const path = keyPath(key);
    const parts: readonly Uint8Array[] = body instanceof Uint8Array ? [body] : body;
    const dir = this.#dirOf(path);
    const final = join(dir, path.file);
    let tmp: string | undefined;
    try {
      tmp = await this.#writeTemp(path, parts);
      if (options.ifNoneMatch === true) {
        try {
          await link(tmp, final);
        } catch (error) {
          if (hasCode(error, 'EEXIST')) throw new ObjectExistsError(key);
          throw error;
        }
        const linked = tmp;
        tmp = undefined;
        await unlink(linked);
      } else {
        await rename(tmp, final);
        tmp = undefined;
      }
      await fsyncDir(dir);
    } catch (error) {
      if (tmp !== undefined) await unlink(tmp).catch(() => undefined);
      throw toObjectStoreError(error, `put ${key}`);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Buffer> {
    const path = keyPath(key);
    if (range !== undefined) checkRange(key, range);
    let handle: FileHandle;
    try {
      handle = await open(join(this.#dirOf(path), path.file), 'r');
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) throw new ObjectNotFoundError(key);
      throw toObjectStoreError(error, `get ${key}`);
    }
    try {
      const { size } = await handle.stat();
      let start = 0;
      let end = size - 1;
      if (range !== undefined) {
        if (range.start >= size) {
          throw new ObjectStoreError(
            `range [${range.start}, ${range.end}] not satisfiable for object ${key} of ${size} bytes`,
            false,
          );
        }
        start = range.start;
        end = Math.min(range.end, size - 1);
      }
      const out = Buffer.allocUnsafe(end - start + 1);
      let filled = 0;
      while (filled < out.length) {
        const { bytesRead } = await handle.read(out, filled, out.length - filled, start + filled);
        if (bytesRead === 0) {
          throw new ObjectStoreError(`object ${key} shrank while being read`, true);
        }
        filled += bytesRead;
      }
      return out;
    } catch (error) {
      throw toObjectStoreError(error, `get ${key}`);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const path = keyPath(key);
    try {
      const stats = await stat(join(this.#dirOf(path), path.file));
      return stats.isFile()
        ? { key, size: stats.size, lastModifiedMs: Math.floor(stats.mtimeMs) }
        : undefined;
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
      throw toObjectStoreError(error, `head ${key}`);
    }
  }

  async list(
    prefix: string,
    options: { readonly after?: string; readonly limit?: number } = {},
  ): Promise<ListPage> {
    const limit = checkLimit(options.limit);
    const start = prefixPath(prefix);
    if (start === undefined) return { objects: [], next: undefined };
    const walk = new SortedWalk(
      Buffer.from(prefix, 'utf8'),
      options.after === undefined ? undefined : Buffer.from(options.after, 'utf8'),
      limit + 1,
    );
    try {
      await walk.visit(join(this.root, ...start.dirs), start.base, start.partial);
      const objects: ObjectInfo[] = [];
      for (const found of walk.found.slice(0, limit)) {
        const stats = await fileStats(found.path);
        if (stats !== undefined)
          objects.push({
            key: found.key,
            size: stats.size,
            lastModifiedMs: Math.floor(stats.mtimeMs),
          });
      }
      const last = objects.at(-1);
      const more = walk.found.length > limit && last !== undefined;
      return { objects, next: more ? last.key : undefined };
    } catch (error) {
      throw toObjectStoreError(error, `list ${prefix}`);
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    const paths = keys.map((key) => ({ key, path: keyPath(key) }));
    const dirs = new Set<string>();
    try {
      for (const { path } of paths) {
        const dir = this.#dirOf(path);
        try {
          await unlink(join(dir, path.file));
          dirs.add(dir);
        } catch (error) {
          if (!hasCode(error, 'ENOENT', 'ENOTDIR')) throw error;
        }
      }
      for (const dir of dirs) await fsyncDir(dir);
      for (const dir of dirs) await this.#removeEmptyDirs(dir);
    } catch (error) {
      throw toObjectStoreError(error, `delete ${keys.length} objects`);
    }
  }

  #dirOf(path: KeyPath): string {
    return join(this.root, ...path.dirs);
  }

  /** Writes and fsyncs a temp file in the key's directory (created if needed); returns its path. */
  async #writeTemp(path: KeyPath, parts: readonly Uint8Array[]): Promise<string> {
    const dir = this.#dirOf(path);
    for (let attempt = 1; ; attempt++) {
      await this.#ensureDir(path.dirs);
      const tmp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
      let handle: FileHandle;
      try {
        handle = await open(tmp, 'wx');
      } catch (error) {
        // A concurrent delete removed the directory after it emptied it: create it again.
        if (hasCode(error, 'ENOENT') && attempt < MAX_DIR_RACES) {
          this.#forgetDirs(dir);
          continue;
        }
        throw error;
      }
      try {
        await writeAll(handle, parts);
        await handle.sync();
      } catch (error) {
        await handle.close().catch(() => undefined);
        await unlink(tmp).catch(() => undefined);
        throw error;
      }
      await handle.close();
      return tmp;
    }
  }

  /** Creates the directories of `dirs` under root and makes their names durable. */
  async #ensureDir(dirs: readonly string[]): Promise<void> {
    let parent = this.root;
    for (const name of dirs) {
      const dir = join(parent, name);
      if (!this.#durableDirs.has(dir)) {
        try {
          await mkdir(dir);
        } catch (error) {
          if (!hasCode(error, 'EEXIST')) throw error;
        }
        // Also when it existed: its creator may not have fsynced the parent yet.
        await fsyncDir(parent);
        this.#durableDirs.add(dir);
      }
      parent = dir;
    }
  }

  #forgetDirs(dir: string): void {
    for (const known of this.#durableDirs) {
      if (known === dir || known.startsWith(dir + '/')) this.#durableDirs.delete(known);
    }
  }

  /** Removes `dir` and its ancestors below root while they are empty. */
  async #removeEmptyDirs(dir: string): Promise<void> {
    let current = dir;
    while (current !== this.root && current.startsWith(this.root)) {
      try {
        await rmdir(current);
      } catch (error) {
        if (hasCode(error, 'ENOTEMPTY', 'EEXIST', 'ENOENT', 'EBUSY')) return;
        throw error;
      }
      this.#forgetDirs(current);
      current = join(current, '..');
    }
  }
}

/**
 * Depth-first walk that visits directory entries in the byte order of the keys they hold,
 * so it can stop after `want` keys. A file contributes its segment, a directory its segment
 * plus '/': sorting entries by that gives the byte order of whole keys (no key segment
 * contains '/'), whatever order the file system returns them in.
 */
class SortedWalk {
  readonly found: { key: string; path: string }[] = [];

  constructor(
    readonly prefix: Buffer,
    readonly after: Buffer | undefined,
    readonly want: number,
  ) {}

  /** Visits `dir`, which holds the keys `base` + ...; only names starting with `partial`. */
  async visit(dir: string, base: string, partial: string): Promise<void> {
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return;
      throw error;
    }
    const entries: { name: string; rest: string; isDirectory: boolean; order: Buffer }[] = [];
    for (const dirent of dirents) {
      const parsed = parseEntryName(dirent.name, dirent.isDirectory());
      if (!parsed?.segment.startsWith(partial)) continue;
      if (!parsed.isDirectory && !dirent.isFile()) continue;
      const rest = parsed.isDirectory ? parsed.segment + '/' : parsed.segment;
      entries.push({
        name: dirent.name,
        rest,
        isDirectory: parsed.isDirectory,
        order: Buffer.from(rest, 'utf8'),
      });
    }
    entries.sort((a, b) => Buffer.compare(a.order, b.order));
    for (const entry of entries) {
      if (this.found.length >= this.want) return;
      const key = base + entry.rest;
      const keyBytes = Buffer.from(key, 'utf8');
      if (entry.isDirectory) {
        if (this.#allBeforeAfter(keyBytes)) continue;
        await this.visit(join(dir, entry.name), key, '');
      } else if (this.after === undefined || Buffer.compare(keyBytes, this.after) > 0) {
        this.found.push({ key, path: join(dir, entry.name) });
      }
    }
  }

  /** True when every key starting with `dirKey` (which ends in '/') sorts at or before `after`. */
  #allBeforeAfter(dirKey: Buffer): boolean {
    const { after } = this;
    if (after === undefined) return false;
    const isPrefixOfAfter =
      after.length >= dirKey.length &&
      after.compare(dirKey, 0, dirKey.length, 0, dirKey.length) === 0;
    return !isPrefixOfAfter && Buffer.compare(dirKey, after) < 0;
  }
}

async function writeAll(handle: FileHandle, parts: readonly Uint8Array[]): Promise<void> {
  let pending = parts.filter((p) => p.length > 0);
  let position = 0;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending, position);
    position += bytesWritten;
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const part of pending) {
      if (skip >= part.length) skip -= part.length;
      else {
        rest.push(skip > 0 ? part.subarray(skip) : part);
        skip = 0;
      }
    }
    if (bytesWritten === 0 && rest.length > 0) throw new Error('writev wrote nothing');
    pending = rest;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return; // removed by a concurrent delete: nothing to persist
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fileStats(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined; // deleted since the walk saw it
    throw error;
  }
}

/** Removes every temp file under `dir` (leftovers of puts a crash interrupted). */
async function removeTempFiles(dir: string): Promise<void> {
  const dirents = await readdir(dir, { withFileTypes: true });
  for (const dirent of dirents) {
    const path = join(dir, dirent.name);
    if (dirent.isDirectory()) await removeTempFiles(path);
    else if (dirent.name.startsWith(TEMP_PREFIX)) await unlink(path).catch(() => undefined);
  }
}

function checkRange(key: string, range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new ObjectStoreError(`invalid range [${start}, ${end}] for object ${key}`, false);
  }
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ObjectStoreError(`list limit must be a positive integer, got ${limit}`, false);
  }
  return limit;
}
