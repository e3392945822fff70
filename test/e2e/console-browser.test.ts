/**
 * The console in a real browser: headless Chromium (Debian's, through playwright-core)
 * against `kafscale dev` as a process, carrying real traffic from kafkajs (a producer and
 * a consumer group). Every page is loaded, the figures it shows are checked against what
 * the admin API and the metrics endpoint report at the same moment, and a screenshot of
 * each goes to test-results/console/. Then 1,000 topics are created through the admin API
 * and the topics page still lists them, a page at a time, quickly. Last, an admin action
 * from the page is refused without the token and done with it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@connectrpc/connect';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService } from '../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { grpcTransport } from '../../lib/grpc/service-transport.js';
import { startDevBroker, type DevBroker } from '../compat/support/dev-broker.js';
import { launchChromium, type Chromium } from '../support/chromium.js';
import { sample, scrape } from '../support/scrape-metrics.js';

const SHOTS = join(import.meta.dirname, '../../test-results/console');
const TOKEN = 'console-browser-test-token';
const TOPIC = 'console-e2e';
const GROUP = 'console-e2e-group';
const PARTITIONS = 3;

let broker: DevBroker;
let browser: Chromium;
let page: Page;
let consoleUrl = '';
let metricsPort = 0;
let admin: ReturnType<typeof createClient<typeof AdminService>>;
let kafka: Kafka;
let producer: Producer;
let consumer: Consumer;

function fromBanner(pattern: RegExp): string {
  const m = pattern.exec(broker.output());
  if (m?.[1] === undefined) throw new Error(`not in the start-up line: ${broker.output()}`);
  return m[1];
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [broker, browser] = await Promise.all([
    startDevBroker({
      env: {
        KAFSCALE_THROUGHPUT_WINDOW_SEC: '5',
        KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFSCALE_CONSOLE_ADMIN_TOKEN: TOKEN,
      },
    }),
    launchChromium(),
  ]);
  consoleUrl = fromBanner(/console on (http:\/\/\S+\/ui\/)/);
  metricsPort = Number(fromBanner(/metrics on port (\d+)/));
  admin = createClient(
    AdminService,
    grpcTransport(`http://127.0.0.1:${fromBanner(/admin API on port (\d+)/)}`),
  );
  page = await browser.context.newPage();
  kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: false });
  consumer = kafka.consumer({ groupId: GROUP, heartbeatInterval: 500 });
  await admin.createTopic({ name: TOPIC, partitions: PARTITIONS });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ eachMessage: () => Promise.resolve() });
});

afterAll(async () => {
  await consumer.disconnect().catch(() => undefined);
  await producer.disconnect().catch(() => undefined);
  await browser.close();
  await broker.stop();
});

/** Goes to a page of the console and waits until it has shown its data. */
async function open(route: string): Promise<void> {
  await page.goto(`${consoleUrl}#/${route}`);
  await page.waitForSelector('main[data-loaded="true"]', { timeout: 10_000 });
}

/** Waits for the next refresh of the page to finish. */
async function nextRefresh(): Promise<void> {
  const refreshes = async () => Number(await page.getAttribute('body', 'data-refreshes'));
  const before = await refreshes();
  await expect.poll(refreshes, { timeout: 10_000 }).toBeGreaterThan(before);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function figure(id: string): Promise<string> {
  return (await page.locator(`[data-figure="${id}"] .value`).textContent()) ?? '';
}

function number(text: string): number {
  const n = Number(text.replace(/,/g, ''));
  if (Number.isNaN(n)) throw new Error(`'${text}' is not a number`);
  return n;
}

/** The texts of one column of a table, row by row. */
async function column(table: string, col: string): Promise<string[]> {
  return page.locator(`[data-table="${table}"] td[data-col="${col}"]`).allTextContents();
}

async function produce(records: number, partition?: number): Promise<void> {
  await producer.send({
    topic: TOPIC,
    messages: Array.from({ length: records }, (_, i) => ({ partition, value: `record-${i}` })),
  });
}

describe('the console in a browser', () => {
  it('shows what the admin API and the metrics endpoint report, on every page', async () => {
    // A steady trickle, about 200 records/s, that goes on while the page is read: the
    // 5 s window of the rate gauges must be full of it.
    const stopTrickle = new AbortController();
    const trickle = (async () => {
      while (!stopTrickle.signal.aborted) {
        await produce(20);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 6_000));
      await open('throughput');
      await nextRefresh();
      const shownRps = number(await figure('produce-rps'));
      const exportedRps = sample(await scrape(metricsPort), 'kafscale_produce_rps') ?? NaN;
      expect(shownRps).toBeGreaterThan(50);
      expect(Math.abs(shownRps - exportedRps)).toBeLessThanOrEqual(exportedRps * 0.1);
      expect(number(await figure('fetch-rps'))).toBeGreaterThan(0);
      await nextRefresh();
      await expect.poll(() => page.locator('.chart polyline').count()).toBeGreaterThanOrEqual(2);
    } finally {
      stopTrickle.abort();
      await trickle;
    }
    await shot('throughput');

    // Let the group catch up, then pause it (still a member) and leave it 30 records behind
    // in partition 0: settled figures that both sides must show alike.
    await expect
      .poll(async () => (await admin.describeGroup({ groupId: GROUP })).totalLag, {
        timeout: 15_000,
      })
      .toBe(0n);
    consumer.pause([{ topic: TOPIC }]);
    await produce(30, 0);
    await expect
      .poll(async () => (await admin.describeGroup({ groupId: GROUP })).totalLag, {
        timeout: 10_000,
      })
      .toBe(30n);

    const status = await admin.getClusterStatus({});
    await open('cluster');
    expect(await figure('leader')).toBe(status.leaderId);
    expect(number(await figure('edge-count'))).toBe(status.edges.length);
    expect(status.edges.length).toBe(1);
    expect(number(await figure('topic-count'))).toBe(status.topicCount);
    expect(number(await figure('partition-count'))).toBe(status.partitionCount);
    expect(await column('edges', 'address')).toEqual([broker.bootstrap]);
    expect(await column('storage-nodes', 'owned')).toEqual(
      status.storageNodes.map((n) => String(n.ownedPartitions)),
    );
    expect(await page.locator('[data-figure="health"]').textContent()).toContain('Healthy');
    await shot('cluster');

    const described = await admin.describeTopic({ name: TOPIC });
    const hwms = described.partitions.map((p) => p.highWatermark);
    const hwmSum = hwms.reduce((a, b) => a + b, 0n);
    await open('topics');
    expect(await column('topics', 'name')).toContain(TOPIC);
    const row = page.locator('[data-table="topics"] tr', { hasText: TOPIC });
    expect(await row.locator('td[data-col="partitions"]').textContent()).toBe(String(PARTITIONS));
    expect(number((await row.locator('td[data-col="high-watermarks"]').textContent()) ?? '')).toBe(
      Number(hwmSum),
    );
    await shot('topics');

    await open(`topics/${TOPIC}`);
    expect(number(await figure('partition-count'))).toBe(PARTITIONS);
    expect((await column('partitions', 'high-watermark')).map(number)).toEqual(hwms.map(Number));
    expect(await column('partitions', 'owner')).toEqual(described.partitions.map((p) => p.owner));
    await shot('topic');

    const group = await admin.describeGroup({ groupId: GROUP });
    await open('groups');
    const groupRow = page.locator('[data-table="groups"] tr', { hasText: GROUP });
    expect(await groupRow.locator('td[data-col="state"]').textContent()).toBe(group.group?.state);
    expect(await groupRow.locator('td[data-col="members"]').textContent()).toBe('1');
    expect(await groupRow.locator('td[data-col="total-lag"]').textContent()).toBe('30');
    await shot('groups');

    await open(`groups/${GROUP}`);
    expect(number(await figure('total-lag'))).toBe(Number(group.totalLag));
    expect(await column('lag', 'lag')).toEqual(group.partitions.map((p) => p.lag.toString()));
    expect(await column('lag', 'committed')).toEqual(
      group.partitions.map((p) => p.committedOffset.toString()),
    );
    expect(await column('members', 'member')).toEqual(group.members.map((m) => m.memberId));
    expect((await column('members', 'assigned'))[0]?.split(', ').sort()).toEqual(
      [0, 1, 2].map((p) => `${TOPIC}:${p}`),
    );
    await page.waitForSelector('.chart rect.bar');
    await shot('group');

    // Counters keep counting (flushes, compaction, group commits): the page's figure is
    // at most the endpoint's a moment later, and close to it.
    await open('s3');
    await nextRefresh();
    const s3Shown = number(await figure('s3-requests'));
    const exposition = await scrape(metricsPort);
    const s3Exported = sumOf(exposition, 'kafscale_s3_requests_total');
    expect(s3Shown).toBeGreaterThan(0);
    expect(s3Shown).toBeLessThanOrEqual(s3Exported);
    expect(s3Exported - s3Shown).toBeLessThanOrEqual(Math.max(10, s3Exported * 0.1));
    expect(await figure('s3-errors')).toBe('0');
    expect(await figure('s3-p50')).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    expect(await figure('s3-p99')).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    expect(await column('s3-operations', 'op')).toContain('put');
    await shot('s3');

    await open('etcd');
    await nextRefresh();
    const txnsShown = number(await figure('etcd-txns'));
    const txnsExported = sumOf(await scrape(metricsPort), 'kafscale_etcd_txns_total');
    expect(txnsShown).toBeGreaterThan(0);
    expect(txnsShown).toBeLessThanOrEqual(txnsExported);
    expect(txnsExported - txnsShown).toBeLessThanOrEqual(Math.max(20, txnsExported * 0.1));
    expect(await figure('etcd-p99')).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    await shot('etcd');
    consumer.resume([{ topic: TOPIC }]);
  });

  it('lists 1,000 topics a page at a time, quickly', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    const created = Date.now();
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((name) => admin.createTopic({ name })));
    }
    const createMs = Date.now() - created;
    const total = (await admin.listTopics({})).topics.length;
    expect(total).toBeGreaterThanOrEqual(1001);

    const started = Date.now();
    await open('topics');
    const loadMs = Date.now() - started;
    expect(await page.locator('[data-figure="topic-range"]').textContent()).toBe(
      `1–50 of ${total.toLocaleString('en-US')} topics`,
    );
    expect(await column('topics', 'name')).toEqual(names.slice(0, 50));
    expect(loadMs).toBeLessThan(5_000);
    await shot('topics-1000');

    await page.click('[data-button="next-page"]');
    await page.waitForSelector('main[data-loaded="true"]');
    await expect
      .poll(() => page.locator('[data-figure="topic-range"]').textContent())
      .toBe(`51–100 of ${total.toLocaleString('en-US')} topics`);
    expect((await column('topics', 'name'))[0]).toBe('bulk-0050');

    await page.fill('[data-input="topic-filter"]', 'bulk-0999');
    await page.press('[data-input="topic-filter"]', 'Enter');
    await expect.poll(() => column('topics', 'name')).toEqual(['bulk-0999']);

    await open('cluster');
    expect(number(await figure('topic-count'))).toBe(total);
    console.log(`1,000 topics: created in ${createMs} ms; topics page shown in ${loadMs} ms`);
  });

  it('says so on the page when what it shows does not exist', async () => {
    await page.goto(`${consoleUrl}#/topics/no-such-topic`);
    await page.waitForSelector('#page-error:not([hidden])', { timeout: 10_000 });
    expect(await page.locator('#page-error').textContent()).toBe(
      "topic 'no-such-topic' does not exist",
    );
    await open('cluster');
    expect(await page.locator('#page-error').isHidden()).toBe(true);
  });

  it('does an admin action from the page only with the token', async () => {
    await open('topics');
    await page.fill('form[data-action="create-topic"] input[name="name"]', 'from-the-page');
    await page.fill('form[data-action="create-topic"] input[name="partitions"]', '2');
    await page.click('form[data-action="create-topic"] button[type="submit"]');
    const message = page.locator('[data-action-message="create-topic"]');
    await expect.poll(() => message.textContent()).toContain('needs the admin token');

    await page.fill('#admin-token', TOKEN);
    await page.dispatchEvent('#admin-token', 'change');
    await page.click('form[data-action="create-topic"] button[type="submit"]');
    await expect
      .poll(() => message.textContent())
      .toBe('created from-the-page with 2 partition(s)');
    const made = await admin.describeTopic({ name: 'from-the-page' });
    expect(made.partitions).toHaveLength(2);
    await shot('create-topic');
  });
});

function sumOf(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
