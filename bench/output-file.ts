/**
 * The benchmark writes what it prints to a file as well as to the terminal: every
 * `console.log` line from the start of the run, appended as it is printed, so a run cut
 * short keeps the tables it finished. The default file is under bench-results/ (ignored by
 * git), named by the run's start time and mode.
 */
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { SOURCE_ROOT } from '../test/fixtures/kafscale-source.js';
import type { BenchArgs } from './bench-args.js';

/**
 * bench-results/bench-2026-11-26T22-11-33Z[-quick][-s3-standard][-producer-props].txt for a
 * run started at `now`.
 */
export function defaultOutputFile(args: BenchArgs, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  const model = args.s3Model === undefined ? '' : `-${args.s3Model.name.replace(/[^\w.-]+/g, '_')}`;
  return join(
    SOURCE_ROOT,
    'bench-results',
    `bench-${stamp}${args.quick ? '-quick' : ''}${model}${args.producerProps.length === 0 ? '' : '-producer-props'}.txt`,
  );
}

/**
 * From now on, `console.log` writes each line to `file` too (created empty, its directory
 * made; opened once and left for the process's exit to close).
 */
export function teeConsoleLog(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  const print = console.log.bind(console);
  console.log = (...args: unknown[]): void => {
    print(...args);
    writeSync(fd, `${format(...args)}\n`);
  };
}
