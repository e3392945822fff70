import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeSource, scrapeUrl } from '../../../../console/src/metrics/scrape-source.js';

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end('# TYPE kafscale_a_total counter\nkafscale_produce_rps 12.5\n');
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late 1\n'), 2_000);
    } else {
      res.statusCode = 500;
      res.end('broken');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('scrapeSource', () => {
  it('reads and parses an exposition; a URL without a path means /metrics', async () => {
    expect(scrapeUrl(base)).toBe(`${base}/metrics`);
    const r = await scrapeSource(base, 1_000);
    expect(r.ok).toBe(true);
    expect(r.samples).toEqual([{ name: 'kafscale_produce_rps', labels: {}, value: 12.5 }]);
    expect(r.counters).toEqual(['kafscale_a_total']);
  });

  it('reports an HTTP error, a timeout and a refused connection as reasons', async () => {
    // (Port 1 would not do: fetch refuses it as a "bad port" before connecting.)
    const broken = await scrapeSource(`${base}/other`, 1_000);
    expect(broken).toMatchObject({ ok: false, error: 'HTTP 500', samples: [] });
    const slow = await scrapeSource(`${base}/slow`, 100);
    expect(slow.ok).toBe(false);
    expect(slow.error).toMatch(/timeout|abort/i);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await scrapeSource(`http://127.0.0.1:${port}/metrics`, 1_000);
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});
