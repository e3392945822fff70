/**
 * The PLAIN user list (KAFSCALE_SASL_PLAIN_USERS_FILE), Kafscale's counterpart of the
 * `user_<name>="<password>"` entries of Kafka's PlainLoginModule JAAS section. One user a
 * line, `name:password` or `name:$pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`
 * (hashPlainPassword below makes the latter; `kafscale sasl-plain-hash` prints such a line);
 * blank lines and lines starting with `#` are skipped. Checking a password costs the same
 * whether the user exists or not, and the comparison is constant-time in both forms.
 */
import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export const HASHED_PREFIX = '$pbkdf2-sha256$';
const HASH_BYTES = 32;
export const DEFAULT_HASH_ITERATIONS = 100_000;
export const MIN_HASH_ITERATIONS = 1000;
export const MAX_HASH_ITERATIONS = 10_000_000;

export class PlainUsersError extends Error {
  override readonly name = 'PlainUsersError';
}

type Verifier =
  | { readonly kind: 'clear'; readonly digest: Buffer }
  | {
      readonly kind: 'hashed';
      readonly iterations: number;
      readonly salt: Buffer;
      readonly hash: Buffer;
    };

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

function hashedVerifier(text: string, line: number): Verifier {
  const [iterations, salt, hash, ...rest] = text.slice(HASHED_PREFIX.length).split('$');
  const n = Number(iterations);
  const saltBytes = Buffer.from(salt ?? '', 'base64');
  const hashBytes = Buffer.from(hash ?? '', 'base64');
  if (rest.length > 0 || !Number.isInteger(n) || n < MIN_HASH_ITERATIONS || n > MAX_HASH_ITERATIONS)
    throw new PlainUsersError(`line ${line}: bad iteration count in a hashed password`);
  if (saltBytes.length < 8 || hashBytes.length !== HASH_BYTES)
    throw new PlainUsersError(`line ${line}: bad salt or hash in a hashed password`);
  return { kind: 'hashed', iterations: n, salt: saltBytes, hash: hashBytes };
}

export class PlainUsers {
  /** A verifier no password matches, checked for unknown users so they cost the same. */
  private readonly decoy: Verifier = {
    kind: 'clear',
    digest: sha256(randomBytes(32).toString('base64')),
  };

  private constructor(private readonly users: ReadonlyMap<string, Verifier>) {}

  /** Parses the file's text; errors name the line, never its content. */
  static parse(text: string): PlainUsers {
    const users = new Map<string, Verifier>();
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new PlainUsersError(`line ${i + 1}: expected name:password`);
      const name = line.slice(0, colon);
      const secret = line.slice(colon + 1);
      if (secret === '') throw new PlainUsersError(`line ${i + 1}: empty password`);
      if (users.has(name)) throw new PlainUsersError(`line ${i + 1}: user listed twice`);
      users.set(
        name,
        secret.startsWith(HASHED_PREFIX)
          ? hashedVerifier(secret, i + 1)
          : { kind: 'clear', digest: sha256(secret) },
      );
    });
    return new PlainUsers(users);
  }

  get size(): number {
    return this.users.size;
  }

  /** Whether `password` is the user's; false for an unknown user, after the same work. */
  async verify(user: string, password: string): Promise<boolean> {
    const known = this.users.get(user);
    const verifier = known ?? this.decoy;
    let ok: boolean;
    if (verifier.kind === 'clear') {
      ok = timingSafeEqual(sha256(password), verifier.digest);
    } else {
      const derived = await pbkdf2Async(
        Buffer.from(password, 'utf8'),
        verifier.salt,
        verifier.iterations,
        HASH_BYTES,
        'sha256',
      );
      ok = timingSafeEqual(derived, verifier.hash);
    }
    return ok && known !== undefined;
  }
}

/** The hashed form of a password for the users file. */
export async function hashPlainPassword(
  password: string,
  iterations = DEFAULT_HASH_ITERATIONS,
): Promise<string> {
  const salt = randomBytes(16);
  const hash = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    salt,
    iterations,
    HASH_BYTES,
    'sha256',
  );
  return `${HASHED_PREFIX}${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
