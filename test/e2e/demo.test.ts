/**
 * `npm run demo` (scripts/demo.ts) against a real etcd and MinIO, as the README promises
 * when KAFSCALE_ETCD_ENDPOINTS and the S3 variables are set: it starts, its sample orders
 * reach S3 objects and etcd, the console and the metrics answer, its consumer group reads,
 * and Ctrl+C (SIGINT) stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdFixture } from '../fixtures/etcd.js';
import { startMinio, type MinioFixture } from '../fixtures/minio.js';
import { waitUntil } from '../fixtures/processes.js';
import { etcdGetPrefix } from '../support/etcdctl.js';
import { httpGet } from '../support/scrape-metrics.js';

const ROOT = join(import.meta.dirname, '../..');
let etcd: EtcdFixture;
let minio: MinioFixture;
let demo: ChildProcess | undefined;

beforeAll(async () => {
  [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('demo');
});

afterAll(async () => {
  demo?.kill('SIGKILL');
  await Promise.all([etcd.stop(), minio.stop()]);
});

describe('npm run demo', () => {
  it('runs on real etcd and S3, shows live data and stops cleanly on Ctrl+C', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/demo.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        KAFSCALE_ETCD_ENDPOINTS: etcd.endpoints.join(','),
        KAFSCALE_S3_ENDPOINT: minio.endpoint,
        KAFSCALE_S3_BUCKET: 'demo',
        KAFSCALE_S3_REGION: minio.region,
        KAFSCALE_S3_ACCESS_KEY: minio.accessKey,
        KAFSCALE_S3_SECRET_KEY: minio.secretKey,
        KAFSCALE_DEMO_KAFKA_PORT: '0',
        KAFSCALE_CONTROLPLANE_ADDR: '127.0.0.1:0',
        KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
        KAFSCALE_CONSOLE_ADDR: '127.0.0.1:0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo = proc;
    let output = '';
    proc.stdout.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));

    await waitUntil(() => output.includes('Ctrl+C stops everything'), {
      timeoutMs: 60_000,
      what: 'the demo to start',
      details: () => output,
    });
    expect(output).toMatch(/kafscale demo: etcd http:\/\/127\.0\.0\.1:\d+ and S3 bucket demo/);
    const metricsPort = Number(/metrics: +http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(output)?.[1]);
    const consolePort = Number(/console: +http:\/\/127\.0\.0\.1:(\d+)\/ui\//.exec(output)?.[1]);

    // The trickle reaches S3 and etcd, and the group reads it.
    await waitUntil(
      async () =>
        ((await minio.client().send(new ListObjectsV2Command({ Bucket: 'demo', Prefix: 'data/' })))
          .KeyCount ?? 0) > 0,
      { timeoutMs: 30_000, what: 'flushed objects in the bucket' },
    );
    expect(await etcdGetPrefix(etcd, '/kafscale/topics/demo-orders')).toMatch(/demo-orders/);
    await waitUntil(
      async () => {
        const text = (await httpGet(metricsPort, '/metrics')).body;
        const rps = Number(/^kafscale_fetch_rps (\S+)$/m.exec(text)?.[1] ?? 0);
        return rps > 0;
      },
      { timeoutMs: 30_000, what: 'the consumer group to read' },
    );
    const cluster = await httpGet(consolePort, '/ui/api/cluster');
    expect(cluster.status).toBe(200);
    expect((JSON.parse(cluster.body) as { topicCount: number }).topicCount).toBe(1);

    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    const consumed = Number(/stopping \((\d+) records consumed\)/.exec(output)?.[1] ?? -1);
    expect(consumed).toBeGreaterThan(0);
    expect(output).not.toMatch(/a send failed/);
  }, 150_000);
});
