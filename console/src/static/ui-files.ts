/**
 * The console's pages: files of console/ui served under /ui/. Only files inside that
 * folder, with a known type, are served; everything is read from the package, nothing
 * from the internet.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export interface UiFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * The console/ui folder: found from this module upwards, so that it is the same from the
 * sources (console/src/static) and from the build (dist/console/src/static).
 */
export function findUiDirectory(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'console', 'ui');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`console/ui/index.html not found above ${from}`);
  }
}

/** The file for a path below /ui/ ('' is index.html), or undefined when there is none. */
export async function readUiFile(uiDir: string, relative: string): Promise<UiFile | undefined> {
  const name = relative === '' ? 'index.html' : relative;
  const contentType = TYPES[extname(name)];
  if (contentType === undefined || name.includes('\0')) return undefined;
  const root = resolve(uiDir);
  const path = resolve(root, name);
  if (!path.startsWith(root + sep)) return undefined;
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return { body: await readFile(path), contentType };
  } catch {
    return undefined;
  }
}
