/**
 * The console's HTTP server and JSON API over a fake AdminService (in-memory transport) and
 * a fake metrics endpoint: what each page's API returns, the 400s that name the bad value,
 * the admin token, the static files, and that a failing request never stops the server.
 */
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { request } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../../../../console/src/console-server.js';
import { MetricsSampler } from '../../../../console/src/metrics/metrics-sampler.js';
import { AdminService } from '../../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { grpcTransport } from '../../../../lib/grpc/service-transport.js';
import { fakeAdmin, type FakeAdmin } from './fake-admin.js';

const TOKEN = 'console-test-token-0123456789';
const log = pino({ level: 'silent' });

let fake: FakeAdmin;
let open: ConsoleServer; // read-only, no metrics endpoint
let admin: ConsoleServer; // admin actions enabled
let unreachable: ConsoleServer; // a controlplane nobody listens on

function serve(adminToken: string | undefined): Promise<ConsoleServer> {
  return startConsoleServer({
    listen: { host: '127.0.0.1', port: 0 },
    admin: createClient(
      AdminService,
      createRouterTransport((r) => r.service(AdminService, fake.impl)),
    ),
    metrics: new MetricsSampler({ urls: [] }),
    adminToken,
    version: '9.9.9',
    log,
  });
}

beforeAll(async () => {
  fake = fakeAdmin();
  open = await serve(undefined);
  admin = await serve(TOKEN);
  unreachable = await startConsoleServer({
    listen: { host: '127.0.0.1', port: 0 },
    admin: createClient(AdminService, grpcTransport('http://127.0.0.1:1')),
    metrics: new MetricsSampler({ urls: [] }),
    adminToken: undefined,
    version: '9.9.9',
    log,
  });
});

afterAll(async () => {
  await Promise.all([open.close(), admin.close(), unreachable.close()]);
});

async function get(server: ConsoleServer, path: string) {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { redirect: 'manual' });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, body: body as Record<string, unknown>, headers: res.headers, text };
}

async function post(server: ConsoleServer, path: string, body: unknown, token?: string) {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A request with a path exactly as given (fetch would normalize `..`). */
function rawGet(server: ConsoleServer, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console JSON API: reads', () => {
  it('GET /ui/api/console says whether actions are enabled', async () => {
    expect((await get(open, '/ui/api/console')).body).toEqual({
      version: '9.9.9',
      adminActions: false,
      metricsSources: [],
    });
    expect((await get(admin, '/ui/api/console')).body.adminActions).toBe(true);
  });

  it('GET /ui/api/cluster gives the status with the problems spelled out', async () => {
    const { status, body } = await get(open, '/ui/api/cluster');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      clusterId: 'cluster-1',
      leaderId: 'cp-1',
      healthy: false,
      problems: ['1 partition(s) are held by no storage node'],
      edges: [{ brokerId: 0, address: '10.0.0.2:9092', rack: null, startedAtMs: 1 }],
      storageNodes: [{ id: 'node-a', assignedPartitions: 3, ownedPartitions: 2, draining: false }],
    });
    expect((body.controlplanes as { startedAtMs: number }[])[0]?.startedAtMs).toBe(
      1_700_000_000_000,
    );
  });

  it('GET /ui/api/topics pages the listing and sums each listed topic', async () => {
    const { body } = await get(open, '/ui/api/topics');
    expect(body).toMatchObject({ total: 3, offset: 0, limit: 50, filter: '' });
    const items = body.items as Record<string, unknown>[];
    expect(items.map((t) => t.name)).toEqual(['a/b', 'gone', 'orders']);
    expect(items[2]).toEqual({
      name: 'orders',
      topicId: 'id-orders',
      partitions: 2,
      configs: { 'retention.ms': '1000' },
      retained: 340,
      bytes: 12288,
      highWatermarks: 350,
      unownedPartitions: 1,
    });
    // Deleted between the listing and its description: listed, figures unavailable.
    expect(items[1]).toMatchObject({ name: 'gone', retained: null, bytes: null });
    // An int64 beyond 2^53 is a string, never a rounded number.
    expect(items[0]?.highWatermarks).toBe((2n ** 60n).toString());

    const page = await get(open, '/ui/api/topics?offset=1&limit=1');
    expect((page.body.items as { name: string }[]).map((t) => t.name)).toEqual(['gone']);
    const filtered = await get(open, '/ui/api/topics?filter=ORD');
    expect(filtered.body).toMatchObject({ total: 1, filter: 'ORD' });
  });

  it('describes only the topics of the page asked for', async () => {
    fake.calls.length = 0;
    await get(open, '/ui/api/topics?offset=2&limit=1');
    expect(fake.calls).toEqual(['describeTopic orders']);
  });

  it('answers bad paging values with a 400 naming them', async () => {
    for (const [query, words] of [
      ['limit=0', 'limit="0" is not between 1 and 500'],
      ['limit=abc', 'limit="abc" is not an integer'],
      ['offset=-1', 'offset="-1" is not between 0'],
      ['limit=501', 'limit="501"'],
    ]) {
      const { status, body } = await get(open, `/ui/api/topics?${query}`);
      expect(status).toBe(400);
      expect(body.error).toContain(words);
    }
  });

  it('GET /ui/api/topics/NAME decodes the name and passes NOT_FOUND on as 404', async () => {
    const t = await get(open, '/ui/api/topics/a%2Fb');
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ name: 'a/b', partitionCount: 1 });
    const orders = await get(open, '/ui/api/topics/orders');
    expect((orders.body.partitions as unknown[])[1]).toEqual({
      partition: 1,
      assignedNode: 'node-a',
      owner: null,
      leaderEpoch: 3,
      logStartOffset: 10,
      highWatermark: 250,
      retained: 240,
      bytes: 8192,
      indexEntries: 7,
      pinned: false,
    });
    const missing = await get(open, '/ui/api/topics/nope');
    expect(missing).toMatchObject({ status: 404, body: { error: "topic 'nope' does not exist" } });
    const bad = await get(open, '/ui/api/topics/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('%E0%A4%A');
  });

  it('GET /ui/api/groups and /groups/ID give members, assignments and lag', async () => {
    const list = await get(open, '/ui/api/groups');
    expect(list.body.items).toEqual([
      { groupId: 'billing', state: 'Stable', protocolType: 'consumer', members: 1, totalLag: 10 },
      { groupId: 'empty', state: 'Empty', protocolType: 'consumer', members: 0, totalLag: 10 },
    ]);
    const g = await get(open, '/ui/api/groups/billing');
    expect(g.body).toMatchObject({
      groupId: 'billing',
      protocol: 'range',
      totalLag: 10,
      members: [{ memberId: 'm-1', groupInstanceId: null, assigned: ['orders:0', 'orders:1'] }],
      partitions: [
        { topic: 'orders', partition: 0, committedOffset: 90, highWatermark: 100, lag: 10 },
        // -1 from the API (unknown, nothing committed) is null, never a number.
        { topic: 'orders', partition: 1, committedOffset: null, lag: null, memberId: null },
      ],
    });
    expect((await get(open, '/ui/api/groups/nobody')).status).toBe(404);
  });

  it('GET /ui/api/metrics without an endpoint: every live figure unavailable', async () => {
    const { body } = await get(open, '/ui/api/metrics');
    expect(body).toMatchObject({
      configured: false,
      sources: [],
      throughput: { produceRps: null, fetchRps: null },
      objectStore: { requests: null, errors: null },
      metadataStore: { txns: null },
    });
  });

  it('answers 503 naming the controlplane when it cannot be reached', async () => {
    const { status, body } = await get(unreachable, '/ui/api/cluster');
    expect(status).toBe(503);
    expect(body.error).toMatch(/^the controlplane: /);
  });

  it('answers unknown APIs with 404 and other methods with 405', async () => {
    expect((await get(open, '/ui/api/nothing')).status).toBe(404);
    expect((await get(open, '/ui/api/cluster/x')).status).toBe(404);
    expect((await get(open, '/ui/api/topics/a/b')).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${open.port}/ui/api/cluster`, { method: 'DELETE' });
    expect(res.status).toBe(405);
  });
});

describe('console JSON API: admin actions', () => {
  it('refuses every action with 403 when no token is configured', async () => {
    const r = await post(open, '/ui/api/topics', { name: 'x' }, TOKEN);
    expect(r.status).toBe(403);
    expect(r.body.error).toContain('KAFSCALE_CONSOLE_ADMIN_TOKEN');
  });

  it('refuses an action without the token, or with another, before reading it', async () => {
    fake.calls.length = 0;
    expect((await post(admin, '/ui/api/topics', { name: 'x' })).status).toBe(403);
    expect((await post(admin, '/ui/api/topics', { name: 'x' }, 'wrong-token')).status).toBe(403);
    expect((await post(admin, '/ui/api/topics', 'not json', 'wrong-token')).status).toBe(403);
    expect((await post(admin, '/ui/api/nodes/node-a/drain', {})).status).toBe(403);
    expect(fake.calls).toEqual([]);
  });

  it('creates a topic with the token', async () => {
    const r = await post(admin, '/ui/api/topics', { name: 'fresh', partitions: 4 }, TOKEN);
    expect(r).toEqual({ status: 200, body: { name: 'fresh', topicId: 'id-new', partitions: 4 } });
  });

  it('answers bad action bodies with a 400 naming the bad value', async () => {
    for (const [body, words] of [
      ['{not json', 'the body is not JSON'],
      ['[1]', 'the body must be a JSON object, not "[1]"'],
      [{ name: '' }, 'name must be a non-empty string, not ""'],
      [
        { name: 'x', partitions: 'three' },
        'partitions must be an integer between 0 and 1000000, not "three"',
      ],
      [{ name: 'x', partitions: 1.5 }, 'not "1.5"'],
      [
        { name: 'x', configs: { 'retention.ms': 5 } },
        'configs.retention.ms must be a string, not "5"',
      ],
      [{ name: 'has space' }, "topic name 'has space' has characters"],
    ] as const) {
      const r = await post(admin, '/ui/api/topics', body, TOKEN);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toContain(words);
    }
    const exists = await post(admin, '/ui/api/topics', { name: 'orders' }, TOKEN);
    expect(exists).toMatchObject({ status: 409, body: { error: "topic 'orders' already exists" } });
    const res = await fetch(`http://127.0.0.1:${admin.port}/ui/api/topics`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${TOKEN}` },
      body: 'x',
    });
    expect(res.status).toBe(400);
  });

  it('resets a group offsets and answers with the offsets committed', async () => {
    const r = await post(
      admin,
      '/ui/api/groups/empty/reset-offsets',
      { topics: ['orders'], to: 'offset', offset: 0 },
      TOKEN,
    );
    expect(r).toEqual({
      status: 200,
      body: {
        groupId: 'empty',
        dryRun: false,
        offsets: [
          { topic: 'orders', partition: 0, previousOffset: 90, offset: 0 },
          { topic: 'orders', partition: 1, previousOffset: null, offset: 10 },
        ],
      },
    });
    expect(fake.calls).toContain('reset empty orders offset=0 dry=false');
    const refused = await post(
      admin,
      '/ui/api/groups/billing/reset-offsets',
      { topics: ['orders'], to: 'earliest' },
      TOKEN,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain('has members');
  });

  it('answers bad reset requests with a 400 naming the value', async () => {
    for (const [body, words] of [
      [{ topics: ['orders'], to: 'yesterday' }, 'not "yesterday"'],
      [{ topics: ['orders'] }, 'to must be one of earliest, latest, offset, timestamp, not "null"'],
      [{ topics: [], to: 'latest' }, 'topics must be a non-empty list'],
      [{ topics: ['orders'], to: 'offset' }, 'to=offset needs offset'],
      [{ topics: ['orders'], to: 'timestamp', timestampMs: -5 }, 'not "-5"'],
      [
        { topics: ['orders'], to: 'latest', dryRun: 'yes' },
        'dryRun must be true or false, not "yes"',
      ],
    ] as const) {
      const r = await post(admin, '/ui/api/groups/empty/reset-offsets', body, TOKEN);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toContain(words);
    }
  });

  it('starts a drain, answers with its first report and leaves the stream', async () => {
    const started = Date.now();
    const r = await post(admin, '/ui/api/nodes/node-a/drain', undefined, TOKEN);
    expect(r).toEqual({
      status: 200,
      body: { node: 'node-a', total: 2, remaining: 2, done: false },
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    await expect.poll(() => fake.drainCancelled).toBe(true);
    expect((await post(admin, '/ui/api/nodes/ghost/drain', undefined, TOKEN)).status).toBe(404);
    const resumed = await post(admin, '/ui/api/nodes/node-a/resume', undefined, TOKEN);
    expect(resumed).toEqual({ status: 200, body: { node: 'node-a', draining: false } });
  });
});

describe('console pages', () => {
  it('redirects / to /ui/ and serves the page and its modules', async () => {
    const root = await get(open, '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/ui/');
    const page = await get(open, '/ui/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.text).toContain('<script type="module" src="/ui/js/app.js">');
    const js = await get(open, '/ui/js/app.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await get(open, '/ui/console.css')).status).toBe(200);
  });

  it('serves nothing outside console/ui', async () => {
    expect(await rawGet(open, '/ui/../package.json')).toBe(404);
    expect(await rawGet(open, '/ui/%2e%2e/%2e%2e/package.json')).toBe(404);
    expect(await rawGet(open, '/ui/..%2f..%2fpackage.json')).toBe(404);
    expect(await rawGet(open, '/ui/js/')).toBe(404);
    expect(await rawGet(open, '/ui/nothing.js')).toBe(404);
    expect(await rawGet(open, '/metrics')).toBe(404);
  });

  it('keeps serving after malformed requests', async () => {
    const { Socket } = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const s = new Socket();
      let got = '';
      s.on('data', (d: Buffer) => {
        got += d.toString();
      });
      s.on('close', () => {
        resolve(got);
      });
      s.connect(open.port, '127.0.0.1', () => s.end('GARBAGE\r\n\r\n'));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawGet(open, '/ui/%')).toBe(400);
    expect((await get(open, '/ui/api/cluster')).status).toBe(200);
  });
});
