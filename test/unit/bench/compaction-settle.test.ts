/**
 * The cold read's wait for compaction: it ends once the storage node's merge counter stayed
 * put for two compaction intervals, counting the merges it saw; a counter that keeps moving
 * ends the wait at the time limit, unsettled. The node is a small HTTP server answering
 * /metrics with a counter the test moves.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { settleCompaction } from '../../../bench/kafka-perf/compaction-settle.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A /metrics endpoint whose kafscale_storage_compactions_total is `count()` at each scrape. */
async function metricsServer(count: () => number): Promise<number> {
  const server = createServer((_req, res) => {
    res.end(
      `# TYPE kafscale_storage_compactions_total counter\nkafscale_storage_compactions_total ${count()}\n`,
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('settleCompaction', () => {
  it('waits out the merges, then two quiet intervals', async () => {
    // From the first scrape on, a merge every 200 ms until there are 6.
    let firstScrape: number | undefined;
    const port = await metricsServer(() => {
      firstScrape ??= Date.now();
      return Math.min(6, Math.floor((Date.now() - firstScrape) / 200));
    });
    const settled = await settleCompaction(port, 300, 10_000);
    expect(settled.settled).toBe(true);
    expect(settled.merges).toBe(6);
    // The last merge at 1.2 s, then at least 600 ms without one.
    expect(settled.waitedMs).toBeGreaterThanOrEqual(1800);
  });

  it('gives up at the time limit while merges go on', async () => {
    let count = 0;
    const port = await metricsServer(() => count++);
    const settled = await settleCompaction(port, 1000, 1500);
    expect(settled.settled).toBe(false);
    expect(settled.waitedMs).toBeGreaterThanOrEqual(1500);
    expect(settled.merges).toBeGreaterThan(0);
  });
});
