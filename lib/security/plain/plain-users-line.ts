/**
 * One line of the PLAIN users file (KAFSCALE_SASL_PLAIN_USERS_FILE) with the password hashed:
 * `name:$pbkdf2-sha256$<iterations>$<salt>$<hash>`, what `kafscale sasl-plain-hash` prints.
 * The user name must read back as itself from the file: not empty, no `:` (it ends the
 * name), no line break, no space at either end (lines are trimmed), not starting with `#`
 * (a comment).
 */
import {
  DEFAULT_HASH_ITERATIONS,
  hashPlainPassword,
  MAX_HASH_ITERATIONS,
  MIN_HASH_ITERATIONS,
  PlainUsersError,
} from './plain-users.js';

/** Why `user` cannot be a name in the users file, or undefined when it can. */
export function badPlainUserName(user: string): string | undefined {
  if (user === '') return 'the user name is empty';
  if (user.includes(':')) return 'a user name cannot contain ":"';
  if (/[\r\n]/.test(user)) return 'a user name cannot contain a line break';
  if (user.trim() !== user) return 'a user name cannot start or end with a space';
  if (user.startsWith('#')) return 'a user name cannot start with "#" (a comment)';
  return undefined;
}

export async function plainUsersLine(
  user: string,
  password: string,
  iterations = DEFAULT_HASH_ITERATIONS,
): Promise<string> {
  const badName = badPlainUserName(user);
  if (badName !== undefined) throw new PlainUsersError(badName);
  if (password === '') throw new PlainUsersError('the password is empty');
  if (
    !Number.isInteger(iterations) ||
    iterations < MIN_HASH_ITERATIONS ||
    iterations > MAX_HASH_ITERATIONS
  )
    throw new PlainUsersError(
      `iterations must be an integer from ${MIN_HASH_ITERATIONS} to ${MAX_HASH_ITERATIONS}`,
    );
  return `${user}:${await hashPlainPassword(password, iterations)}`;
}
