/** The admin commands' argument parser, URL check and exit codes: bad input is named, never guessed. */
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../../../../lib/cli/admin/admin-cli.js';
import {
  bigintArg,
  integerArg,
  keyValues,
  parseArgs,
  positionals,
  UsageError,
} from '../../../../../lib/cli/admin/cli-args.js';
import { ExitCode, exitCodeOf } from '../../../../../lib/cli/admin/exit-codes.js';

describe('parseArgs', () => {
  const spec = { values: ['topic', 'to-offset'], repeated: ['topic'], flags: ['execute'] };

  it('reads positionals, flags, values in both spellings and repeated options', () => {
    const a = parseArgs(['g1', '--topic', 'a', '--topic=b', '--execute', '--to-offset=7'], spec);
    expect(a.positionals).toEqual(['g1']);
    expect(a.values.get('topic')).toEqual(['a', 'b']);
    expect(a.values.get('to-offset')).toEqual(['7']);
    expect(a.flags.has('execute')).toBe(true);
  });

  it('refuses unknown options, missing values, values on flags and repeats of single options', () => {
    expect(() => parseArgs(['--tpoic', 'a'], spec)).toThrow(/unknown option --tpoic/);
    expect(() => parseArgs(['--topic'], spec)).toThrow(/--topic needs a value/);
    expect(() => parseArgs(['--execute=yes'], spec)).toThrow(/--execute takes no value/);
    expect(() => parseArgs(['--to-offset', '1', '--to-offset', '2'], spec)).toThrow(
      /--to-offset is given more than once/,
    );
  });

  it('names missing and extra positionals', () => {
    expect(() => positionals(parseArgs(['t'], {}), ['TOPIC', 'PARTITION'])).toThrow(
      /missing PARTITION/,
    );
    expect(() => positionals(parseArgs(['t', 'x'], {}), ['TOPIC'])).toThrow(
      /unexpected argument 'x'/,
    );
  });

  it('checks numbers and key=value pairs', () => {
    expect(integerArg('--partitions', '3', 1, 10)).toBe(3);
    expect(() => integerArg('--partitions', 'three', 1, 10)).toThrow(/got 'three'/);
    expect(() => integerArg('--partitions', '0', 1, 10)).toThrow(/\[1, 10\], got 0/);
    expect(bigintArg('--to-offset', '9007199254740993')).toBe(9007199254740993n);
    expect(() => bigintArg('--to-offset', '-1')).toThrow(UsageError);
    expect(keyValues('--config', ['a=1', 'b=x=y'])).toEqual({ a: '1', b: 'x=y' });
    expect(() => keyValues('--config', ['a'])).toThrow(/takes key=value, got 'a'/);
    expect(() => keyValues('--config', ['a=1', 'a=2'])).toThrow(/sets 'a' twice/);
  });
});

describe('normalizeUrl', () => {
  it('accepts host:port and http URLs and refuses anything else by name', () => {
    expect(normalizeUrl('127.0.0.1:19094')).toBe('http://127.0.0.1:19094');
    expect(normalizeUrl('http://cp.example:8080/')).toBe('http://cp.example:8080');
    expect(normalizeUrl('http://cp.example')).toBe('http://cp.example');
    expect(() => normalizeUrl('https://cp:443')).toThrow(/'https:\/\/cp:443' must use http/);
    expect(() => normalizeUrl('cp.example')).toThrow(/'cp.example' needs a port/);
    expect(() => normalizeUrl('http://[bad')).toThrow(/not a URL/);
  });
});

describe('exitCodeOf', () => {
  it('gives scripts distinct codes for unreachable, not found and refused', () => {
    expect(exitCodeOf(Code.Unavailable)).toBe(ExitCode.UNREACHABLE);
    expect(exitCodeOf(Code.DeadlineExceeded)).toBe(ExitCode.UNREACHABLE);
    expect(exitCodeOf(Code.NotFound)).toBe(ExitCode.NOT_FOUND);
    expect(exitCodeOf(Code.FailedPrecondition)).toBe(ExitCode.REFUSED);
    expect(exitCodeOf(Code.AlreadyExists)).toBe(ExitCode.REFUSED);
    expect(exitCodeOf(Code.InvalidArgument)).toBe(ExitCode.USAGE);
    expect(exitCodeOf(Code.Internal)).toBe(ExitCode.FAILED);
  });
});
