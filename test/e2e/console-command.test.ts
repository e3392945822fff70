/**
 * `kafscale console` as its own process, next to `kafscale dev`: it prints its URL, reads
 * the controlplane at KAFSCALE_CONTROLPLANE_URL and the metrics endpoints named by
 * KAFSCALE_CONSOLE_BROKER_METRICS_URL (one of which is down and reported so), and is
 * read-only without KAFSCALE_CONSOLE_ADMIN_TOKEN.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevBroker, type DevBroker } from '../compat/support/dev-broker.js';

const root = join(import.meta.dirname, '../..');
let broker: DevBroker;
let consoleProcess: ChildProcess | undefined;
let banner = '';
let base = '';
let metricsPort = 0;
let closedPort = 0;

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

beforeAll(async () => {
  broker = await startDevBroker();
  const adminPort = /admin API on port (\d+)/.exec(broker.output())?.[1];
  metricsPort = Number(/metrics on port (\d+)/.exec(broker.output())?.[1]);
  closedPort = await freePort();
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'lib/cli/kafscale.ts'), 'console'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KAFSCALE_CONSOLE_ADDR: '127.0.0.1:0',
        KAFSCALE_CONTROLPLANE_URL: `127.0.0.1:${adminPort ?? ''}`,
        KAFSCALE_CONSOLE_BROKER_METRICS_URL: `http://127.0.0.1:${metricsPort}/metrics,http://127.0.0.1:${closedPort}/metrics`,
        KAFSCALE_CONSOLE_ADMIN_TOKEN: '',
      },
    },
  );
  consoleProcess = proc;
  let output = '';
  banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`kafscale console did not start: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /kafscale console: .*\n/.exec(output);
      if (line) {
        clearTimeout(timer);
        resolve(line[0]);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kafscale console exited with ${String(code)}: ${output}`));
    });
  });
  base = /console on (http:\/\/\S+\/ui\/)/.exec(banner)?.[1] ?? '';
});

afterAll(async () => {
  const proc = consoleProcess;
  if (proc?.exitCode === null) {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
  await broker.stop();
});

describe('kafscale console', () => {
  it('prints its URL, the controlplane and the metrics endpoints it reads', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ui\/$/);
    expect(banner).toContain('read-only');
    expect(banner).toContain(`http://127.0.0.1:${metricsPort}/metrics`);
  });

  it('shows the cluster of the controlplane it was pointed at', async () => {
    const cluster = (await (await fetch(`${base}api/cluster`)).json()) as Record<string, unknown>;
    expect(cluster).toMatchObject({ leaderId: 'dev-controlplane', healthy: true });
    expect(cluster.edges).toEqual([expect.objectContaining({ address: broker.bootstrap })]);
    const page = await fetch(base);
    expect(page.status).toBe(200);
  });

  it('reads the endpoints that answer and names the one that does not', async () => {
    const m = (await (await fetch(`${base}api/metrics`)).json()) as {
      sources: { url: string; ok: boolean; error: string | null }[];
      metadataStore: { txns: number | null };
      throughput: { produceRps: number | null };
    };
    expect(m.sources.map((s) => s.ok)).toEqual([true, false]);
    expect(m.sources[1]?.error).toMatch(/ECONNREFUSED/);
    expect(m.metadataStore.txns).toBeGreaterThan(0);
    expect(m.throughput.produceRps).toBe(0);
  });

  it('refuses admin actions without a token', async () => {
    const res = await fetch(`${base}api/topics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer whatever-it-is-long' },
      body: JSON.stringify({ name: 'nope' }),
    });
    expect(res.status).toBe(403);
  });
});
