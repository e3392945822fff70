import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticClusterView } from '../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../edge/src/edge.js';
import { edgeMetrics } from '../../../edge/src/edge-metrics.js';
import { anyHandler } from '../../../edge/src/handlers/kafka-handler.js';
import { FixedStorageClients } from '../../../edge/src/routing/storage-clients.js';
import { InflightBudget } from '../../../edge/src/server/inflight-budget.js';
import { startKafkaServer, type KafkaServer } from '../../../edge/src/server/kafka-server.js';
import {
  apiVersionsApi,
  createTopicsApi,
  defaultApiVersionsRequest,
  defaultCreateTopicsRequest,
  defaultFetchResponse,
  defaultFetchResponseFetchableTopicResponse,
  defaultFetchResponsePartitionData,
  defaultMetadataRequest,
  defaultProduceRequest,
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  fetchApi,
  metadataApi,
  produceApi,
  type ApiVersionsResponse,
  type MetadataResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../../../lib/kafka/gen/index.js';
import { buildRecordBatchSync } from '../../../lib/kafka/record-batch/build-batch.js';
import { startMetricsServer, type MetricsServer } from '../../../lib/metrics/metrics-server.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';
import { sample, scrape } from '../../support/scrape-metrics.js';

const self = { nodeId: 0, host: '127.0.0.1', port: 0, rack: null };
const handlers = buildRegistry({
  cluster: new StaticClusterView('test-cluster', self),
  storage: new FixedStorageClients(new Map()),
});
// A handler that fails, to see a failed request counted (CreateTopics is served only with a
// controlplane, which this registry has not).
handlers.register(
  anyHandler({
    api: createTopicsApi,
    minVersion: 0,
    maxVersion: 1,
    handle: () => Promise.reject(new Error('injected handler failure')),
  }),
);
const registry = new Registry();
let kafka: KafkaServer;
let metrics: MetricsServer;
const read = () => scrape(metrics.port);

beforeAll(async () => {
  kafka = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    handlers,
    {
      maxRequestBytes: 64 * 1024,
      inflightBytes: 1024 * 1024,
      observer: edgeMetrics(registry, handlers),
    },
    pino({ level: 'silent' }),
  );
  self.port = kafka.port;
  metrics = await startMetricsServer({ listen: { host: '127.0.0.1', port: 0 }, registry });
});

afterAll(async () => {
  await kafka.close();
  await metrics.close();
});

const apiVersionsBody = {
  ...defaultApiVersionsRequest(),
  clientSoftwareName: 'test',
  clientSoftwareVersion: '1.0',
};

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('edge metrics', () => {
  it('counts requests by API and version, their latency, bytes, failures and connections', async () => {
    const client = await RawKafkaClient.connect(kafka.port);
    const second = await RawKafkaClient.connect(kafka.port);
    await until(async () => sample(await read(), 'kafscale_kafka_connections') === 2);
    expect(sample(await read(), 'kafscale_kafka_connections_opened_total')).toBe(2);

    let sent = 0;
    let received = 0;
    for (let i = 0; i < 2; i++) {
      const { bytes, correlationId } = client.frame(apiVersionsApi, 3, apiVersionsBody);
      client.write(bytes);
      sent += bytes.length;
      const frame = await client.nextFrame();
      received += frame.length + 4;
      expect(frame.readInt32BE(0)).toBe(correlationId);
    }
    const md = await client.request<MetadataResponse>(metadataApi, 12, {
      ...defaultMetadataRequest(),
      topics: null,
    });
    expect(md.brokers).toHaveLength(1);
    // A version no handler serves: answered at v0 with UNSUPPORTED_VERSION.
    const { bytes } = second.frame(apiVersionsApi, 3, apiVersionsBody);
    bytes.writeInt16BE(99, 6);
    second.write(bytes);
    received += (await second.nextFrame()).length + 4;
    // A handler that throws closes its connection.
    second.write(second.frame(createTopicsApi, 0, defaultCreateTopicsRequest()).bytes);
    await second.closed;

    let text = await read();
    const requests = (api: string, version: string) =>
      sample(text, 'kafscale_kafka_requests_total', { api, version });
    expect(requests('ApiVersions', '3')).toBe(2);
    expect(requests('Metadata', '12')).toBe(1);
    expect(requests('ApiVersions', 'unsupported')).toBe(1);
    expect(requests('CreateTopics', '0')).toBe(1);
    expect(sample(text, 'kafscale_kafka_request_errors_total', { api: 'ApiVersions' })).toBe(1);
    expect(sample(text, 'kafscale_kafka_request_errors_total', { api: 'CreateTopics' })).toBe(1);
    expect(sample(text, 'kafscale_kafka_request_errors_total', { api: 'Metadata' })).toBe(
      undefined,
    );
    const latencyCount = (api: string, version: string) =>
      sample(text, 'kafscale_kafka_request_duration_seconds_count', { api, version });
    expect(latencyCount('ApiVersions', '3')).toBe(2);
    expect(latencyCount('ApiVersions', 'unsupported')).toBe(1);
    expect(
      sample(text, 'kafscale_kafka_request_duration_seconds_bucket', {
        api: 'Metadata',
        version: '12',
        le: '10',
      }),
    ).toBe(1);
    expect(sample(text, 'kafscale_kafka_received_bytes_total', { api: 'ApiVersions' })).toBe(
      sent + bytes.length,
    );
    expect(sample(text, 'kafscale_kafka_sent_bytes_total', { api: 'Metadata' })).toBeGreaterThan(0);
    expect(sample(text, 'kafscale_kafka_sent_bytes_total', { api: 'CreateTopics' })).toBe(0);
    expect(sample(text, 'kafscale_kafka_sent_bytes_total', { api: 'ApiVersions' })).toBe(received);
    expect(sample(text, 'kafscale_kafka_requests_inflight')).toBe(0);
    expect(sample(text, 'kafscale_kafka_connections')).toBe(1);

    client.close();
    await until(async () => sample(await read(), 'kafscale_kafka_connections') === 0);
    text = await read();
    expect(sample(text, 'kafscale_kafka_connections')).toBe(0);
    expect(sample(text, 'kafscale_kafka_connections_opened_total')).toBe(2);
  });

  it('shares the metrics of one registry between observers and bounds the labels', async () => {
    const other = edgeMetrics(registry, handlers);
    other.requestStarted(apiVersionsApi.apiKey, 0, 10);
    other.requestFinished(apiVersionsApi.apiKey, 0, 2, 20, true);
    other.requestStarted(12345, 0, 10);
    other.requestFinished(12345, 0, 2, 0, false);
    const text = await read();
    expect(
      sample(text, 'kafscale_kafka_requests_total', { api: 'ApiVersions', version: '0' }),
    ).toBe(1);
    expect(
      sample(text, 'kafscale_kafka_requests_total', { api: 'unknown', version: 'unsupported' }),
    ).toBe(1);
    expect(text.match(/^# TYPE kafscale_kafka_requests_total /gm)).toHaveLength(1);
    const client = await RawKafkaClient.connect(kafka.port);
    const res = await client.request<ApiVersionsResponse>(apiVersionsApi, 0, apiVersionsBody);
    expect(res.errorCode).toBe(0);
    client.close();
  });

  it('reports the request bytes in flight of every edge budget on the registry', async () => {
    const own = new Registry();
    const budget = new InflightBudget(1024);
    edgeMetrics(own, handlers, { inflight: budget });
    const value = async () => sample(await own.metrics(), 'kafscale_kafka_inflight_bytes', {});
    expect(await value()).toBe(0);
    budget.take(300);
    expect(await value()).toBe(300);
    budget.give(300);
    expect(await value()).toBe(0);
  });

  it('counts the Kafka error codes of responses by API and error name', async () => {
    const client = await RawKafkaClient.connect(kafka.port);
    const res = await client.request<ProduceResponse>(produceApi, 9, produceOf(5, 'nowhere'));
    expect(res.responses[0]?.partitionResponses[0]?.errorCode).toBe(3);
    client.close();
    const text = await read();
    expect(
      sample(text, 'kafscale_kafka_response_errors_total', {
        api: 'Produce',
        error: 'UNKNOWN_TOPIC_OR_PARTITION',
      }),
    ).toBe(1);
    // Refused records are not produced ones.
    expect(sample(text, 'kafscale_produce_rps')).toBe(0);
  });

  it('reports records per second produced and fetched over the configured window', async () => {
    let now = 5_000_000_050;
    const own = new Registry();
    const observer = edgeMetrics(own, handlers, { throughputWindowSec: 5, now: () => now });
    const produce = produceOf(4, 't');
    const accepted = produceAnswer(0);
    const refused = produceAnswer(6);
    const fetched = fetchAnswerOf(2);
    // 2 s at 40 records/s produced (and 20 more refused) and 20 fetched.
    for (let i = 0; i < 20; i++) {
      now += 100;
      observer.requestAnswered?.(produceApi.apiKey, produce, accepted);
      observer.requestAnswered?.(produceApi.apiKey, produce, refused);
      observer.requestAnswered?.(fetchApi.apiKey, {}, fetched);
    }
    let text = await own.metrics();
    // The window (5 s) has not filled: the rates are over the 2 s since the observer started.
    expect(sample(text, 'kafscale_produce_rps')).toBeCloseTo(40, 6);
    expect(sample(text, 'kafscale_fetch_rps')).toBeCloseTo(20, 6);
    expect(text).toContain('until the edge has run that long, over the time since it started');
    // Idle for 3 s more: the 80 records are over the last 5 s (to within the oldest second's
    // share, counted as evenly spread).
    now += 3000;
    text = await own.metrics();
    expect(sample(text, 'kafscale_produce_rps')).toBeCloseTo(80 / 5, 0);
    now += 5000;
    expect(sample(await own.metrics(), 'kafscale_produce_rps')).toBe(0);
  });
});

function produceOf(records: number, topic: string): ProduceRequest {
  return {
    ...defaultProduceRequest(),
    acks: -1,
    timeoutMs: 1000,
    topicData: [
      {
        name: topic,
        partitionData: [
          {
            index: 0,
            records: buildRecordBatchSync({
              records: Array.from({ length: records }, () => ({
                key: null,
                value: Buffer.from('x'),
              })),
            }),
          },
        ],
      },
    ],
  };
}

function produceAnswer(errorCode: number): ProduceResponse {
  return {
    ...defaultProduceResponse(),
    responses: [
      {
        name: 't',
        partitionResponses: [
          { ...defaultProduceResponsePartitionProduceResponse(), index: 0, errorCode },
        ],
      },
    ],
  };
}

function fetchAnswerOf(records: number) {
  return {
    ...defaultFetchResponse(),
    responses: [
      {
        ...defaultFetchResponseFetchableTopicResponse(),
        partitions: [
          {
            ...defaultFetchResponsePartitionData(),
            records: buildRecordBatchSync({
              records: Array.from({ length: records }, () => ({ key: null, value: null })),
            }),
          },
        ],
      },
    ],
  };
}
