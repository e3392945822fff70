/**
 * KAFSCALE_TRACE_KAFKA: with tracing on, the edge logs each Kafka request and response at
 * debug level with the API, version, correlation id, client id, sizes, latency and the
 * Kafka errors the response carries; with it off, nothing per request.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StaticClusterView } from '../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../edge/src/edge.js';
import { FixedStorageClients } from '../../../edge/src/routing/storage-clients.js';
import { startKafkaServer, type KafkaServer } from '../../../edge/src/server/kafka-server.js';
import {
  defaultMetadataRequest,
  metadataApi,
  type MetadataResponse,
} from '../../../lib/kafka/gen/index.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';

let server: KafkaServer | undefined;
afterEach(async () => {
  await server?.close();
});

/** Starts an edge whose debug log lines are collected as parsed JSON. */
async function tracedEdge(
  traceKafka: boolean,
): Promise<{ port: number; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const self = { nodeId: 0, host: '127.0.0.1', port: 0, rack: null };
  server = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    buildRegistry({
      cluster: new StaticClusterView('trace-cluster', self),
      storage: new FixedStorageClients(new Map()),
    }),
    { maxRequestBytes: 64 * 1024, inflightBytes: 1024 * 1024, traceKafka },
    pino({ level: 'debug' }, sink),
  );
  self.port = server.port;
  return { port: server.port, lines };
}

async function askForMissingTopic(port: number): Promise<void> {
  const client = await RawKafkaClient.connect(port);
  await client.request<MetadataResponse>(metadataApi, 12, {
    ...defaultMetadataRequest(),
    topics: [{ name: 'nope', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
  });
  client.close();
}

describe('Kafka request tracing', () => {
  it('logs the request and the response with sizes, latency and error names', async () => {
    const { port, lines } = await tracedEdge(true);
    await askForMissingTopic(port);
    const request = lines.find((l) => l.msg === 'kafka request');
    const response = lines.find((l) => l.msg === 'kafka response');
    expect(request).toMatchObject({
      level: 20,
      api: 'Metadata',
      apiVersion: 12,
      apiKey: 3,
      clientId: 'raw-test',
      correlationId: expect.any(Number) as unknown,
      bytes: expect.any(Number) as unknown,
    });
    expect(response).toMatchObject({
      level: 20,
      api: 'Metadata',
      apiVersion: 12,
      correlationId: request?.correlationId,
      clientId: 'raw-test',
      errors: ['UNKNOWN_TOPIC_OR_PARTITION'],
      ms: expect.any(Number) as unknown,
    });
    expect(response?.bytes).toBeGreaterThan(0);
  });

  it('logs nothing per request when tracing is off', async () => {
    const { port, lines } = await tracedEdge(false);
    await askForMissingTopic(port);
    expect(lines.filter((l) => l.msg === 'kafka request' || l.msg === 'kafka response')).toEqual(
      [],
    );
  });
});
