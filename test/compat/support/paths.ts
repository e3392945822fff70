/** Where scripts/test-deps.sh puts the compatibility clients (outside the checkout). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const cacheDir = process.env.KAFSCALE_CACHE_DIR ?? join(homedir(), '.cache/kafscale');

/** Records per client run: KAFSCALE_COMPAT_RECORDS, else the given default. */
export function recordCount(fallback: number): number {
  const v = process.env.KAFSCALE_COMPAT_RECORDS;
  return v === undefined || v === '' ? fallback : Number(v);
}

/** Throws (never skips) when a client that scripts/test-deps.sh installs is missing. */
export function requireInstalled(path: string, what: string): string {
  if (!existsSync(path))
    throw new Error(`${what} is not installed at ${path}: run bash scripts/test-deps.sh`);
  return path;
}
