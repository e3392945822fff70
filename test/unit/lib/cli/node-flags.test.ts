/**
 * Every launcher of the services carries SERVICE_NODE_FLAGS (lib/cli/node-flags.ts): the
 * `kafscale` command's shebang, `npm start`, the image's NODE_OPTIONS; and this Node
 * accepts them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../../../../lib/cli/node-flags.js';

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

  it('are the image’s NODE_OPTIONS', () => {
    const dockerfile = readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(/NODE_OPTIONS=(\S+|"[^"]*")/.exec(runtime)?.[1]?.replace(/"/g, '')).toBe(flags);
  });

  it('are accepted by this Node, in NODE_OPTIONS too', () => {
    expect(
      execFileSync(process.execPath, [...SERVICE_NODE_FLAGS, '-p', '1'], { encoding: 'utf8' }),
    ).toBe('1\n');
    expect(
      execFileSync(process.execPath, ['-p', '1'], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: flags },
      }),
    ).toBe('1\n');
    expect(() =>
      execFileSync(process.execPath, ['--max-semi-space-sise=64', '-p', '1'], { stdio: 'pipe' }),
    ).toThrow(/bad option/);
  });
});
