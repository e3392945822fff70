/**
 * plainUsersLine: the hashed line it makes reads back through the users-file parser and
 * verifies the password (and no other); names the file could not hold, an empty password
 * and iteration counts the parser would refuse are refused with a message saying which.
 */
import { describe, expect, it } from 'vitest';
import { PlainUsers } from '../../../../lib/security/plain/plain-users.js';
import { plainUsersLine } from '../../../../lib/security/plain/plain-users-line.js';

describe('plainUsersLine', () => {
  it('makes a hashed line the users file accepts, for that password only', async () => {
    const line = await plainUsersLine('alice', 'pa:ss $word', 1000);
    expect(line).toMatch(/^alice:\$pbkdf2-sha256\$1000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(line).not.toContain('pa:ss');
    const users = PlainUsers.parse(`${line}\n`);
    expect(await users.verify('alice', 'pa:ss $word')).toBe(true);
    expect(await users.verify('alice', 'pa:ss $word ')).toBe(false);
    expect(await users.verify('bob', 'pa:ss $word')).toBe(false);
  });

  it('salts each line differently', async () => {
    expect(await plainUsersLine('alice', 'same', 1000)).not.toBe(
      await plainUsersLine('alice', 'same', 1000),
    );
  });

  it('uses 100,000 iterations by default', async () => {
    expect(await plainUsersLine('alice', 'pw')).toMatch(/^alice:\$pbkdf2-sha256\$100000\$/);
  });

  it.each([
    ['', 'the user name is empty'],
    ['al:ice', 'cannot contain ":"'],
    ['al\nice', 'cannot contain a line break'],
    [' alice', 'cannot start or end with a space'],
    ['alice\t', 'cannot start or end with a space'],
    ['#alice', 'cannot start with "#"'],
  ])('refuses the user name %j', async (user, message) => {
    await expect(plainUsersLine(user, 'pw', 1000)).rejects.toThrow(message);
  });

  it('refuses an empty password', async () => {
    await expect(plainUsersLine('alice', '', 1000)).rejects.toThrow('the password is empty');
  });

  it.each([999, 10_000_001, 1500.5])('refuses %d iterations', async (iterations) => {
    await expect(plainUsersLine('alice', 'pw', iterations)).rejects.toThrow(
      'iterations must be an integer from 1000 to 10000000',
    );
  });

  it('accepts the bounds the parser accepts', async () => {
    const line = await plainUsersLine('alice', 'pw', 1000);
    expect(PlainUsers.parse(line).size).toBe(1);
  });
});
