/**
 * The tokens that authenticate calls to the controlplane's AdminService
 * (KAFSCALE_ADMIN_TOKENS_FILE): one `name:token` a line, the principal being `User:<name>`;
 * blank lines and lines starting with `#` are skipped. Tokens are kept only as SHA-256
 * digests, and a presented token is looked up by its digest. A bad line is named by its
 * number, never by its content.
 */
import { createHash } from 'node:crypto';

/** As the console's KAFSCALE_CONSOLE_ADMIN_TOKEN: long enough not to be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class AdminTokens {
  private constructor(private readonly principals: ReadonlyMap<string, string>) {}

  static parse(text: string): AdminTokens {
    const principals = new Map<string, string>();
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const colon = line.indexOf(':');
      const name = colon < 0 ? '' : line.slice(0, colon);
      const token = colon < 0 ? '' : line.slice(colon + 1);
      if (name === '' || /\s/.test(name))
        throw new Error(`line ${i + 1}: expected name:token with a name and no spaces`);
      if (token.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(token))
        throw new Error(
          `line ${i + 1}: the token of ${name} must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without whitespace`,
        );
      const key = digest(token);
      if (principals.has(key)) throw new Error(`line ${i + 1}: the token of ${name} is used twice`);
      principals.set(key, `User:${name}`);
    });
    return new AdminTokens(principals);
  }

  /** The principal a token authenticates, or undefined. */
  principalOf(token: string): string | undefined {
    return this.principals.get(digest(token));
  }

  get size(): number {
    return this.principals.size;
  }
}
