/**
 * A file parsed at start-up (a bad file stops it) and parsed again whenever it changes; a
 * changed file that does not parse is refused with an error line (the parser's message,
 * which must never carry the file's secrets) and the previous value stays in use.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from '../log/logger.js';
import { watchFiles, type FileWatch } from './watched-files.js';

export class ReloadingFile<T> {
  private watch: FileWatch | undefined;

  private constructor(private value: T) {}

  /** `what` names the file in log lines ("PLAIN users file"). */
  static async open<T>(
    path: string,
    parse: (text: string) => T,
    reloadIntervalMs: number,
    log: Logger,
    what: string,
  ): Promise<ReloadingFile<T>> {
    const file = new ReloadingFile(parse(await readFile(path, 'utf8')));
    file.watch = await watchFiles([path], reloadIntervalMs, async () => {
      try {
        file.value = parse(await readFile(path, 'utf8'));
        log.info({ path }, `${what} reloaded`);
      } catch (err) {
        log.error(
          { path, error: err instanceof Error ? err.message : String(err) },
          `${what} changed but does not load; keeping the previous one`,
        );
      }
    });
    return file;
  }

  current(): T {
    return this.value;
  }

  stop(): void {
    this.watch?.stop();
  }
}
