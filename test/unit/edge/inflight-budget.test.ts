/**
 * The edge-wide bound on request bytes in flight: once one connection's requests use the
 * whole budget, other connections are not read until responses go out.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HandlerRegistry } from '../../../edge/src/handlers/handler-registry.js';
import { anyHandler } from '../../../edge/src/handlers/kafka-handler.js';
import { InflightBudget } from '../../../edge/src/server/inflight-budget.js';
import { startKafkaServer, type KafkaServer } from '../../../edge/src/server/kafka-server.js';
import {
  defaultMetadataRequest,
  defaultMetadataResponse,
  metadataApi,
  type MetadataRequest,
  type MetadataResponse,
} from '../../../lib/kafka/gen/index.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';
import { deferred } from '../../support/storage-harness.js';

let server: KafkaServer;
const gate = deferred();
const handled: string[] = [];
const budget = new InflightBudget(1000);

beforeAll(async () => {
  const registry = new HandlerRegistry();
  registry.register(
    anyHandler<MetadataRequest, MetadataResponse>({
      api: metadataApi,
      minVersion: 0,
      maxVersion: 12,
      async handle(request) {
        const name = request.topics?.[0]?.name ?? '';
        handled.push(name);
        if (name.startsWith('big')) await gate.promise;
        return defaultMetadataResponse();
      },
    }),
  );
  server = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    registry,
    { maxRequestBytes: 1 << 20, inflightBytes: 1 << 20, edgeBudget: budget },
    pino({ level: 'silent' }),
  );
});

afterAll(async () => {
  await server.close();
});

const ask = (name: string) => ({
  ...defaultMetadataRequest(),
  topics: [{ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
});

it('stops reading other connections while the edge budget is used up, and resumes after', async () => {
  const a = await RawKafkaClient.connect(server.port);
  const b = await RawKafkaClient.connect(server.port);
  const big = a.request<MetadataResponse>(metadataApi, 1, ask(`big-${'x'.repeat(1500)}`));
  await new Promise((r) => setTimeout(r, 50));
  expect(budget.exhausted).toBe(true);
  const small = b.request<MetadataResponse>(metadataApi, 1, ask('small'));
  await new Promise((r) => setTimeout(r, 100));
  expect(handled).toEqual([`big-${'x'.repeat(1500)}`]); // b's request waits unread
  gate.resolve();
  await big;
  await small;
  expect(handled.at(-1)).toBe('small');
  expect(budget.bytes).toBe(0);
  a.close();
  b.close();
});
