/**
 * `npm run bench` arguments: --quick, --s3-model, --out and --producer-props in both
 * spellings, and errors naming the bad value.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../../bench/bench-args.js';

describe('parseBenchArgs', () => {
  it('reads --quick and --s3-model MODEL or --s3-model=MODEL', () => {
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      s3Model: undefined,
      out: undefined,
      producerProps: [],
    });
    const a = parseBenchArgs(['--quick', '--s3-model', 's3-standard']);
    expect(a.quick).toBe(true);
    expect(a.s3Model?.name).toBe('s3-standard');
    expect(parseBenchArgs(['--s3-model=s3-express,put.slowDown=0.01']).s3Model?.name).toBe(
      's3-express,put.slowDown=0.01',
    );
  });

  it('reads --out FILE or --out=FILE', () => {
    expect(parseBenchArgs(['--out', 'run.txt']).out).toBe('run.txt');
    expect(parseBenchArgs(['--quick', '--out=/tmp/run.txt']).out).toBe('/tmp/run.txt');
    expect(() => parseBenchArgs(['--out'])).toThrow(/--out needs a file name/);
    expect(() => parseBenchArgs(['--out='])).toThrow(/--out needs a file name/);
  });

  it('reads --producer-props as key=value settings, refusing malformed ones and acks', () => {
    expect(
      parseBenchArgs(['--producer-props', 'linger.ms=50,batch.size=262144']).producerProps,
    ).toEqual(['linger.ms=50', 'batch.size=262144']);
    expect(parseBenchArgs(['--producer-props=compression.type=lz4']).producerProps).toEqual([
      'compression.type=lz4',
    ]);
    expect(() => parseBenchArgs(['--producer-props'])).toThrow(/needs key=value settings/);
    expect(() => parseBenchArgs(['--producer-props', 'linger.ms'])).toThrow(
      /"linger.ms" is not a key=value producer setting/,
    );
    expect(() => parseBenchArgs(['--producer-props', 'linger.ms=5,,batch.size=1'])).toThrow(
      /"" is not a key=value/,
    );
    expect(() => parseBenchArgs(['--producer-props', 'acks=1'])).toThrow(
      /always produces with acks=all/,
    );
  });

  it('refuses what it does not know, naming it', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
    expect(() => parseBenchArgs(['--s3-model'])).toThrow(/needs a model name/);
    expect(() => parseBenchArgs(['--s3-model', 's3-glacier'])).toThrow(
      /unknown preset "s3-glacier"/,
    );
  });
});
