/**
 * A directory laid out as the kubelet lays out a Secret volume (its AtomicWriter): each
 * version of the files in a hidden timestamped directory, `..data` a symlink to the current
 * one, and every file a symlink through `..data`. An update writes a new version and swaps
 * `..data` with one rename, so a file's path never shows a half-written set, and its inode
 * (through the symlinks) changes: what the edge's file watch must notice.
 */
import { existsSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let versions = 0;

export function writeSecretVolume(
  dir: string,
  files: Readonly<Record<string, string | Buffer>>,
): void {
  mkdirSync(dir, { recursive: true });
  const version = `..${new Date().toISOString().replace(/[-:.]/g, '_')}_${versions++}`;
  mkdirSync(join(dir, version));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, version, name), content);
  const previous = join(dir, '..data');
  symlinkSync(version, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), previous);
  for (const name of Object.keys(files))
    if (!existsSync(join(dir, name))) symlinkSync(join('..data', name), join(dir, name));
}
