/**
 * `kafscale sasl-plain-hash USER [--iterations N]`: reads a password from stdin (never from
 * the command line, where `ps` and shell histories would see it) and prints the line of the
 * PLAIN users file (KAFSCALE_SASL_PLAIN_USERS_FILE) that lets USER in with it, the password
 * hashed: `USER:$pbkdf2-sha256$<iterations>$<salt>$<hash>`. Stdin holds the password alone;
 * one line break at its end is dropped. Bad input (no user, a name the file cannot hold, an
 * empty or multi-line password) exits 2 with a message that never contains the password.
 */
import { PlainUsersError } from '../security/plain/plain-users.js';
import { plainUsersLine } from '../security/plain/plain-users-line.js';

export const SASL_PLAIN_HASH_USAGE = `  sasl-plain-hash USER [--iterations N]
                         read a password from stdin and print USER's line of the PLAIN
                         users file (KAFSCALE_SASL_PLAIN_USERS_FILE) with it hashed
                         (PBKDF2-HMAC-SHA-256, N iterations, 100000 by default)
`;

/** More than any password; stdin beyond it is refused rather than buffered. */
const MAX_INPUT_BYTES = 64 * 1024;

export interface SaslPlainHashIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

class InputError extends Error {}

function parseArgs(args: readonly string[]): { user: string; iterations?: number } {
  const rest = [...args];
  let iterations: number | undefined;
  const at = rest.indexOf('--iterations');
  if (at >= 0) {
    const value = rest[at + 1];
    if (value === undefined || !/^\d+$/.test(value))
      throw new InputError('--iterations needs a whole number');
    iterations = Number(value);
    rest.splice(at, 2);
  }
  if (rest.length !== 1 || rest[0]?.startsWith('--') === true)
    throw new InputError('expected one USER (the password is read from stdin)');
  return { user: rest[0] ?? '', ...(iterations === undefined ? {} : { iterations }) };
}

async function readPassword(stdin: SaslPlainHashIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_INPUT_BYTES) throw new InputError('stdin holds more than a password');
    chunks.push(bytes);
  }
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (/[\r\n]/.test(password)) throw new InputError('the password must be one line');
  return password;
}

export async function runSaslPlainHash(
  args: readonly string[],
  io: SaslPlainHashIo,
): Promise<number> {
  try {
    const { user, iterations } = parseArgs(args);
    if (io.stdin.isTTY === true) io.stderr.write(`password for ${user} (then Ctrl-D): `);
    const password = await readPassword(io.stdin);
    io.stdout.write(`${await plainUsersLine(user, password, iterations)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof InputError || e instanceof PlainUsersError)) throw e;
    io.stderr.write(`kafscale sasl-plain-hash: ${e.message}\nusage:\n${SASL_PLAIN_HASH_USAGE}`);
    return 2;
  }
}
