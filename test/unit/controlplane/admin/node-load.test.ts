/**
 * readNodeLoad against real HTTP servers: a process's metrics server (the figures of its
 * registry), and the ways a process can fail to report (no address, nothing listening, no
 * answer in time, an answer that is not JSON), each named in the load's error.
 */
import { createServer, type Server } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { readNodeLoad } from '../../../../controlplane/src/admin/node-load.js';
import { listenHttp } from '../../../../lib/http/listen-http.js';
import { startMetricsServer } from '../../../../lib/metrics/metrics-server.js';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  const listening = await listenHttp(server, { host: '127.0.0.1', port: 0 });
  closers.push(() => {
    server.closeAllConnections();
    return listening.close();
  });
  return `127.0.0.1:${listening.port}`;
}

describe('readNodeLoad', () => {
  it("reports the figures of a process's registry, summed over labels", async () => {
    const registry = new Registry();
    new Gauge({ name: 'kafscale_kafka_connections', help: 'c', registers: [registry] }).set(3);
    const rps = new Gauge({
      name: 'kafscale_produce_rps',
      help: 'p',
      labelNames: ['edge'],
      registers: [registry],
    });
    rps.set({ edge: 'a' }, 10.5);
    rps.set({ edge: 'b' }, 2);
    new Gauge({ name: 'kafscale_storage_owned_partitions', help: 'o', registers: [registry] }).set(
      7,
    );
    const server = await startMetricsServer({ listen: { host: '127.0.0.1', port: 0 }, registry });
    closers.push(() => server.close());
    const load = await readNodeLoad(`127.0.0.1:${server.port}`);
    expect(load).toMatchObject({
      reported: true,
      error: '',
      metricsAddress: `127.0.0.1:${server.port}`,
      connections: 3n,
      produceRecordsPerSec: 12.5,
      ownedPartitions: 7n,
      fetchRecordsPerSec: 0,
      rssBytes: 0n,
    });
  });

  it('names a missing address, a closed port, a timeout and a bad answer', async () => {
    expect(await readNodeLoad(undefined)).toMatchObject({
      reported: false,
      error: 'the process registered no metrics address',
    });

    const closed = await serve((_req, res) => res.end());
    await closers.pop()?.();
    const refused = await readNodeLoad(closed);
    expect(refused.reported).toBe(false);
    expect(refused.error).toMatch(/^\/load failed: /);
    expect(refused.metricsAddress).toBe(closed);

    const silent = await serve(() => undefined);
    expect(await readNodeLoad(silent, 200)).toMatchObject({
      reported: false,
      error: 'no answer from /load within 200 ms',
    });

    const html = await serve((_req, res) => res.end('<html>'));
    expect((await readNodeLoad(html)).error).toMatch(/^\/load failed: .*JSON/);

    const array = await serve((_req, res) => res.end('[1]'));
    expect((await readNodeLoad(array)).error).toBe('/load did not answer a JSON object');

    const missing = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    expect((await readNodeLoad(missing)).error).toBe('/load answered HTTP 404');
  });
});
