/**
 * `kafscale console` as its own process, next to `kafscale dev`: it prints its URL, reads
 * the controlplane at KAFSCALE_CONTROLPLANE_URL and the metrics endpoints named by
 * KAFSCALE_CONSOLE_BROKER_METRICS_URL (one of which is down and reported so), and is
 * read-only without KAFSCALE_CONSOLE_ADMIN_TOKEN. It serves its own /metrics, /healthz and
 * /readyz on KAFSCALE_METRICS_ADDR, ready only while the controlplane answers.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevBroker, type DevBroker } from '../compat/support/dev-broker.js';
import { startConsoleProcess, stopProcess } from '../support/console-process.js';

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

/** The console's own metrics endpoint, from its start-up line. */
function ownMetricsBase(line: string): string {
  return `http://127.0.0.1:${/own metrics on port (\d+)/.exec(line)?.[1] ?? ''}`;
}

/** Polls `url` until it answers `status` (the probe runs every few seconds). */
async function untilStatus(url: string, status: number): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(url);
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  broker = await startDevBroker();
  const adminPort = /admin API on port (\d+)/.exec(broker.output())?.[1];
  metricsPort = Number(/metrics on port (\d+)/.exec(broker.output())?.[1]);
  closedPort = await freePort();
  const started = await startConsoleProcess({
    KAFSCALE_CONTROLPLANE_URL: `127.0.0.1:${adminPort ?? ''}`,
    KAFSCALE_CONSOLE_BROKER_METRICS_URL: `http://127.0.0.1:${metricsPort}/metrics,http://127.0.0.1:${closedPort}/metrics`,
  });
  consoleProcess = started.proc;
  banner = started.banner;
  base = /console on (http:\/\/\S+\/ui\/)/.exec(banner)?.[1] ?? '';
});

afterAll(async () => {
  await stopProcess(consoleProcess);
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
    expect(cluster.edges).toEqual([
      expect.objectContaining({
        address: broker.bootstrap,
        load: expect.objectContaining({ reported: true, error: null }) as unknown,
      }),
    ]);
    const [edge] = cluster.edges as { load: { rssBytes: string; connections: string } }[];
    expect(Number(edge?.load.rssBytes)).toBeGreaterThan(10 * 1024 * 1024);
    expect(Number(edge?.load.connections)).toBeGreaterThanOrEqual(0);
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

describe("the console's own endpoints", () => {
  it('serves /healthz, /readyz once the controlplane answered, and its metrics', async () => {
    const own = ownMetricsBase(banner);
    expect((await fetch(`${own}/healthz`)).status).toBe(200);
    const ready = await untilStatus(`${own}/readyz`, 200);
    expect(await ready.text()).toBe('ready\n');
    await fetch(`${base}api/cluster`);
    await fetch(`${new URL(base).origin}/no-such-page`);
    const text = await (await fetch(`${own}/metrics`)).text();
    expect(text).toMatch(/kafscale_console_http_requests_total\{route="api",code="200"\} [1-9]/);
    expect(text).toMatch(/kafscale_console_http_requests_total\{route="other",code="404"\} [1-9]/);
    expect(text).toMatch(/kafscale_console_controlplane_up 1\n/);
    expect(text).toContain('kafscale_process_resident_memory_bytes');
  });

  it('is not ready, naming why, while its controlplane does not answer', async () => {
    const unreachable = await startConsoleProcess({
      KAFSCALE_CONTROLPLANE_URL: `127.0.0.1:${closedPort}`,
    });
    try {
      const own = ownMetricsBase(unreachable.banner);
      expect((await fetch(`${own}/healthz`)).status).toBe(200);
      const notReady = await untilStatus(`${own}/readyz`, 503);
      expect(notReady.status).toBe(503);
      expect(await notReady.text()).toMatch(/controlplane does not answer/);
      const text = await (await fetch(`${own}/metrics`)).text();
      expect(text).toMatch(/kafscale_console_controlplane_up 0\n/);
    } finally {
      await stopProcess(unreachable.proc);
    }
  });
});
