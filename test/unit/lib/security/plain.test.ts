import { describe, expect, it } from 'vitest';
import {
  parsePlainMessage,
  PlainMessageError,
} from '../../../../lib/security/plain/plain-message.js';
import { PlainServer } from '../../../../lib/security/plain/plain-server.js';
import {
  hashPlainPassword,
  PlainUsers,
  PlainUsersError,
} from '../../../../lib/security/plain/plain-users.js';
import { SaslFailure } from '../../../../lib/security/sasl-server.js';

const msg = (s: string) => Buffer.from(s, 'utf8');

describe('PLAIN message', () => {
  it('splits authzid, user and password', () => {
    expect(parsePlainMessage(msg('\0alice\0pw'))).toEqual({
      authzid: '',
      username: 'alice',
      password: 'pw',
    });
    expect(parsePlainMessage(msg('alice\0alice\0p\u00e4ss'))).toEqual({
      authzid: 'alice',
      username: 'alice',
      password: 'päss',
    });
  });

  it.each(['alice\0pw', '\0\0pw', '\0alice\0', 'a\0b\0c\0d', ''])('refuses %j', (text) => {
    expect(() => parsePlainMessage(msg(text))).toThrow(PlainMessageError);
  });

  it('refuses invalid UTF-8 and oversized messages', () => {
    expect(() => parsePlainMessage(Buffer.from([0, 0x61, 0, 0xff]))).toThrow(PlainMessageError);
    expect(() => parsePlainMessage(Buffer.alloc(2000, 0x61))).toThrow(PlainMessageError);
  });
});

describe('PlainUsers', () => {
  it('checks clear and hashed passwords, and nothing for unknown users', async () => {
    const hashed = await hashPlainPassword('h-secret', 1000);
    const users = PlainUsers.parse(`# admins\nalice:a-secret:with-colon\n\nbob:${hashed}\n`);
    expect(users.size).toBe(2);
    expect(await users.verify('alice', 'a-secret:with-colon')).toBe(true);
    expect(await users.verify('alice', 'a-secret')).toBe(false);
    expect(await users.verify('bob', 'h-secret')).toBe(true);
    expect(await users.verify('bob', 'h-secreT')).toBe(false);
    expect(await users.verify('carol', 'a-secret:with-colon')).toBe(false);
  });

  it('names the bad line, never its content', () => {
    for (const text of ['Zq9nocolon', 'a:', 'a:Zq9x\na:Zq9y', 'a:$pbkdf2-sha256$10$Zq9A$BBBB']) {
      let message = '';
      try {
        PlainUsers.parse(text);
      } catch (e) {
        expect(e).toBeInstanceOf(PlainUsersError);
        message = (e as Error).message;
      }
      expect(message).toMatch(/^line \d/);
      expect(message).not.toMatch(/Zq9/);
    }
  });
});

describe('PlainServer', () => {
  const users = PlainUsers.parse('alice:pw');
  const kind = async (token: string) => {
    try {
      await new PlainServer(() => users).evaluate(msg(token));
      return 'ok';
    } catch (e) {
      expect(e).toBeInstanceOf(SaslFailure);
      return (e as SaslFailure).kind;
    }
  };

  it('authenticates, refuses wrong and unknown alike, and malformed as malformed', async () => {
    expect(await kind('\0alice\0pw')).toBe('ok');
    expect(await kind('\0alice\0nope')).toBe('credentials');
    expect(await kind('\0bob\0pw')).toBe('credentials');
    expect(await kind('bob\0alice\0pw')).toBe('credentials');
    expect(await kind('alice\0pw')).toBe('malformed');
  });
});
