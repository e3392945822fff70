/**
 * The PLAIN users file (KAFSCALE_SASL_PLAIN_USERS_FILE), loaded at start-up (a bad file stops
 * it) and reloaded when it changes; a changed file that does not parse is refused with an
 * error line naming the bad line (never its content) and the previous list stays in use.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../../lib/log/logger.js';
import { PlainUsers } from '../../../lib/security/plain/plain-users.js';
import { watchFiles, type FileWatch } from '../../../lib/security/watched-files.js';

export class PlainUsersFile {
  private watch: FileWatch | undefined;

  private constructor(private users: PlainUsers) {}

  static async open(path: string, reloadIntervalMs: number, log: Logger): Promise<PlainUsersFile> {
    const file = new PlainUsersFile(PlainUsers.parse(await readFile(path, 'utf8')));
    file.watch = await watchFiles([path], reloadIntervalMs, async () => {
      try {
        file.users = PlainUsers.parse(await readFile(path, 'utf8'));
        log.info({ path, users: file.users.size }, 'PLAIN users file reloaded');
      } catch (err) {
        log.error(
          { path, error: err instanceof Error ? err.message : String(err) },
          'PLAIN users file changed but does not load; keeping the previous users',
        );
      }
    });
    return file;
  }

  current(): PlainUsers {
    return this.users;
  }

  stop(): void {
    this.watch?.stop();
  }
}
