/**
 * `kafscale sasl-plain-hash` as a function over in-memory streams: the printed line, the
 * password taken from stdin with one trailing line break dropped, and bad input (no user, an
 * empty or multi-line password, a bad --iterations) refused with exit 2 and a message that
 * never repeats the password.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSaslPlainHash } from '../../../../lib/cli/sasl-plain-hash.js';
import { PlainUsers } from '../../../../lib/security/plain/plain-users.js';

async function run(args: string[], input: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runSaslPlainHash(args, { stdin: Readable.from([input]), stdout, stderr });
  return { code, out, err };
}

describe('kafscale sasl-plain-hash', () => {
  it('prints the hashed line for the password on stdin, without its line break', async () => {
    const { code, out, err } = await run(['alice', '--iterations', '1000'], 'Secret-1\r\n');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^alice:\$pbkdf2-sha256\$1000\$\S+\n$/);
    const users = PlainUsers.parse(out);
    expect(await users.verify('alice', 'Secret-1')).toBe(true);
    expect(await users.verify('alice', 'Secret-1\r')).toBe(false);
  });

  it('takes a password without a line break too', async () => {
    const { code, out } = await run(['alice', '--iterations', '1000'], 'Secret-2');
    expect(code).toBe(0);
    expect(await PlainUsers.parse(out).verify('alice', 'Secret-2')).toBe(true);
  });

  it.each([
    [[], 'Secret-3\n', 'expected one USER'],
    [['alice', 'Secret-3'], 'Secret-3\n', 'expected one USER'],
    [[''], 'Secret-3\n', 'the user name is empty'],
    [['alice'], '', 'the password is empty'],
    [['alice'], '\n', 'the password is empty'],
    [['alice'], 'Secret-3\nSecret-3\n', 'the password must be one line'],
    [['alice', '--iterations'], 'Secret-3\n', '--iterations needs a whole number'],
    [['alice', '--iterations', 'many'], 'Secret-3\n', '--iterations needs a whole number'],
    [['alice', '--iterations', '10'], 'Secret-3\n', 'iterations must be an integer from 1000'],
  ])('refuses %j with stdin %j', async (args, input, message) => {
    const { code, out, err } = await run(args, input);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`kafscale sasl-plain-hash: ${message}`);
    expect(err).not.toContain('Secret-3');
  });

  it('refuses more than 64 KiB on stdin', async () => {
    const { code, err } = await run(['alice'], 'x'.repeat(65 * 1024));
    expect(code).toBe(2);
    expect(err).toContain('stdin holds more than a password');
  });
});
