/**
 * DeleteRecords with a real client (kafkajs admin) against the embedded broker:
 * deleteTopicRecords moves the earliest offset, and a group consumer reading from the
 * beginning starts there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevBroker } from '../../../lib/cli/dev.js';
import { loadConfig } from '../../../lib/config/config.js';
import { createLogger } from '../../../lib/log/logger.js';

let dir: string;
let broker: DevBroker;
let kafka: Kafka;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafscale-delete-records-'));
  broker = await startDev(
    { dataDir: dir, kafkaHost: '127.0.0.1', kafkaPort: 0 },
    loadConfig({
      KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
      KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    }),
    createLogger('test', 'silent'),
  );
  kafka = new Kafka({
    brokers: [`127.0.0.1:${broker.port}`],
    clientId: 'delete-records',
    logLevel: logLevel.NOTHING,
  });
}, 60_000);

afterAll(async () => {
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('DeleteRecords with kafkajs', () => {
  it('moves the earliest offset; a consumer from the beginning starts there', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'trimmed', numPartitions: 1 }],
      waitForLeaders: true,
    });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 10; i++)
      await producer.send({ topic: 'trimmed', acks: -1, messages: [{ value: `v${i}` }] });
    await producer.disconnect();
    // kafkajs finds partition leaders in the metadata its admin has cached.
    await admin.fetchTopicMetadata({ topics: ['trimmed'] });
    await admin.deleteTopicRecords({
      topic: 'trimmed',
      partitions: [{ partition: 0, offset: '6' }],
    });
    const offsets = await admin.fetchTopicOffsets('trimmed');
    expect(offsets[0]).toMatchObject({ partition: 0, low: '6', high: '10' });

    const consumer = kafka.consumer({ groupId: 'trimmed-reader' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'trimmed', fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      eachMessage: ({ message }) => {
        seen.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + 20_000;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.disconnect();
    await admin.disconnect();
    expect(seen).toEqual(['v6', 'v7', 'v8', 'v9']);
  }, 60_000);
});
