/**
 * Notices when files change, by polling their size, modification time and inode (a
 * Kubernetes Secret update swaps a symlink, which fs.watch misses). Used for the TLS
 * certificate, key and CA files and the PLAIN users file, reloaded without a restart.
 */
import { stat } from 'node:fs/promises';

async function fingerprint(paths: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    paths.map(async (p) => {
      try {
        const s = await stat(p);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return 'missing';
      }
    }),
  );
  return parts.join('|');
}

export interface FileWatch {
  stop(): void;
}

/**
 * Calls `onChange` (never twice at once) whenever any of `paths` looks different from the
 * previous check; the first check happens `intervalMs` after the call.
 */
export async function watchFiles(
  paths: readonly string[],
  intervalMs: number,
  onChange: () => Promise<void> | void,
): Promise<FileWatch> {
  let last = await fingerprint(paths);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        const now = await fingerprint(paths);
        if (now !== last) {
          last = now;
          await onChange();
        }
      } finally {
        running = false;
      }
    })();
  }, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
    },
  };
}
