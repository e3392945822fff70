/** The benchmark's tables go to a file as well as to the terminal (bench/output-file.ts). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBenchArgs } from '../../../bench/bench-args.js';
import { defaultOutputFile, teeConsoleLog } from '../../../bench/output-file.js';

const original = console.log;
const dirs: string[] = [];

afterEach(() => {
  console.log = original;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the benchmark output file', () => {
  it('is named by the start time and the mode, under bench-results/', () => {
    const at = new Date('2026-11-26T22:11:33.675Z');
    expect(defaultOutputFile(parseBenchArgs([]), at)).toMatch(
      /\/bench-results\/bench-2026-11-26T22-11-33Z\.txt$/,
    );
    expect(
      defaultOutputFile(
        parseBenchArgs(['--quick', '--s3-model', 's3-standard,put.slowDown=0.01']),
        at,
      ),
    ).toMatch(
      /\/bench-results\/bench-2026-11-26T22-11-33Z-quick-s3-standard_put.slowDown_0.01\.txt$/,
    );
    expect(defaultOutputFile(parseBenchArgs(['--producer-props', 'linger.ms=50']), at)).toMatch(
      /\/bench-results\/bench-2026-11-26T22-11-33Z-producer-props\.txt$/,
    );
  });

  it('receives every console.log line as printed, in a directory made for it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafscale-bench-out-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'table.txt');
    const printed: unknown[][] = [];
    console.log = vi.fn((...args: unknown[]) => printed.push(args));
    teeConsoleLog(file);
    console.log('phase  %s  %d', 'Kafka', 58282);
    console.log({ ratio: 0.21 });
    expect(printed).toEqual([['phase  %s  %d', 'Kafka', 58282], [{ ratio: 0.21 }]]);
    expect(readFileSync(file, 'utf8')).toBe('phase  Kafka  58282\n{ ratio: 0.21 }\n');
  });
});
