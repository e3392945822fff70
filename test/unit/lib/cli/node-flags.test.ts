/**
 * Every launcher of the services carries SERVICE_NODE_FLAGS (lib/cli/node-flags.ts): the
 * `kafscale` command's shebang, `npm start`, the image's entrypoint, and the tests' one
 * way of running it from source; and this Node accepts them.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../../../../lib/cli/node-flags.js';
import { kafscaleSourceArgs } from '../../../fixtures/kafscale-source.js';
import { dockerfileArray, runtimeStage } from '../../../support/dockerfile.js';

const ROOT = join(import.meta.dirname, '../../../..');
const flags = SERVICE_NODE_FLAGS.join(' ');

describe('the services’ Node flags', () => {
  it('are in the kafscale command’s shebang', () => {
    const first = readFileSync(join(ROOT, 'bin/kafscale.js'), 'utf8').split('\n')[0];
    expect(first).toBe(`#!/usr/bin/env -S node ${flags}`);
  });

  it('are in npm start', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`node ${flags} bin/kafscale.js dev`);
  });

  it('are on the image’s entrypoint, and not in its NODE_OPTIONS (Node refuses them there)', () => {
    expect(dockerfileArray('ENTRYPOINT')).toEqual([
      'node',
      ...SERVICE_NODE_FLAGS,
      '/app/bin/kafscale.js',
    ]);
    expect(runtimeStage()).not.toContain('NODE_OPTIONS=');
  });

  it('start the tests’ command line for kafscale from source', () => {
    const args = kafscaleSourceArgs(['dev'], ['--cpu-prof']);
    expect(args.slice(0, SERVICE_NODE_FLAGS.length)).toEqual(SERVICE_NODE_FLAGS);
    expect(args.slice(SERVICE_NODE_FLAGS.length)).toEqual([
      '--cpu-prof',
      '--import',
      'tsx',
      join(ROOT, 'lib/cli/kafscale.ts'),
      'dev',
    ]);
  });

  it('are not bypassed: no test or bench file runs lib/cli/kafscale.ts but the fixture', () => {
    const launchers = [...sourceFiles(join(ROOT, 'test')), ...sourceFiles(join(ROOT, 'bench'))]
      .filter((file) => file !== import.meta.filename)
      .filter((file) => runsEntryWithTsx(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(launchers).toEqual(['test/fixtures/kafscale-source.ts']);
  });

  it('are accepted by this Node on its command line', () => {
    expect(
      execFileSync(process.execPath, [...SERVICE_NODE_FLAGS, '-p', '1'], { encoding: 'utf8' }),
    ).toBe('1\n');
    expect(() =>
      execFileSync(process.execPath, ['--max-semi-space-sise=64', '-p', '1'], { stdio: 'pipe' }),
    ).toThrow(/bad option/);
  });
});

/** The .ts files under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Whether a file's text puts tsx and the kafscale entry point on a command line. */
function runsEntryWithTsx(text: string): boolean {
  return text.includes("'tsx'") && text.includes("lib/cli/kafscale.ts'");
}
