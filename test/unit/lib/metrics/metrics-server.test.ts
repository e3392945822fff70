import { connect } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startMetricsServer,
  type MetricsServer,
  type Readiness,
} from '../../../../lib/metrics/metrics-server.js';
import { httpGet, sample, scrape } from '../../../support/scrape-metrics.js';

const servers: MetricsServer[] = [];

async function start(
  ready?: () => Readiness,
): Promise<{ server: MetricsServer; registry: Registry }> {
  const registry = new Registry();
  const server = await startMetricsServer({
    listen: { host: '127.0.0.1', port: 0 },
    registry,
    ...(ready ? { ready } : {}),
  });
  servers.push(server);
  return { server, registry };
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('metrics server', () => {
  it("serves the registry's exposition on /metrics with the registry's content type", async () => {
    const { server, registry } = await start();
    const c = new Counter({ name: 'kafscale_test_total', help: 'test', registers: [registry] });
    c.inc(3);
    const answer = await httpGet(server.port, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(registry.contentType);
    expect(answer.body).toContain('# HELP kafscale_test_total test');
    expect(sample(answer.body, 'kafscale_test_total')).toBe(3);
    c.inc();
    expect(sample(await scrape(server.port), 'kafscale_test_total')).toBe(4);
  });

  it('answers /healthz with 200 and an unknown path with 404', async () => {
    const { server } = await start(() => false);
    expect(await httpGet(server.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await httpGet(server.port, '/healthz?verbose=1')).status).toBe(200);
    expect((await httpGet(server.port, '/nope')).status).toBe(404);
    expect((await httpGet(server.port, '/metrics/extra')).status).toBe(404);
  });

  it('flips /readyz from 503 with the reason to 200 when ready() turns true', async () => {
    let state: Readiness = 'no partitions assigned yet';
    const { server } = await start(() => state);
    expect(await httpGet(server.port, '/readyz')).toMatchObject({
      status: 503,
      body: 'no partitions assigned yet\n',
    });
    state = false;
    expect(await httpGet(server.port, '/readyz')).toMatchObject({
      status: 503,
      body: 'not ready\n',
    });
    state = true;
    expect(await httpGet(server.port, '/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
  });

  it('is ready without a ready() callback and not ready when the callback throws', async () => {
    const { server: always } = await start();
    expect((await httpGet(always.port, '/readyz')).status).toBe(200);
    const { server: broken } = await start(() => {
      throw new Error('store closed');
    });
    expect(await httpGet(broken.port, '/readyz')).toMatchObject({
      status: 503,
      body: 'readiness check failed: store closed\n',
    });
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const { server } = await start();
    expect(await httpGet(server.port, '/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await httpGet(server.port, '/metrics', 'POST')).status).toBe(405);
    expect((await httpGet(server.port, '/readyz', 'DELETE')).status).toBe(405);
  });

  it('answers a request that announces a body without reading it, and closes the connection', async () => {
    const { server } = await start();
    const socket = connect(server.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    const closed = new Promise<void>((resolve) =>
      socket.on('close', () => {
        resolve();
      }),
    );
    // Announces a gigabyte and sends a few bytes of it: the answer must not wait for the rest.
    socket.write(
      'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\nsome bytes',
    );
    await closed;
    const text = Buffer.concat(received).toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 405 /);
    expect(text.toLowerCase()).toContain('connection: close');
  });

  it('closes promptly while a client holds an idle keep-alive connection', async () => {
    const { server } = await start();
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const socketClosed = new Promise<void>((resolve) =>
      socket.on('close', () => {
        resolve();
      }),
    );
    await server.close();
    await socketClosed;
    servers.splice(0);
  });
});
