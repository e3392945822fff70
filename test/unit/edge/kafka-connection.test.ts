import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  apiVersionsApi,
  defaultApiVersionsRequest,
  defaultMetadataRequest,
  metadataApi,
  joinGroupApi,
  defaultJoinGroupRequest,
  type ApiVersionsResponse,
  type MetadataResponse,
} from '../../../lib/kafka/gen/index.js';
import { decodeResponseFrame } from '../../../lib/kafka/protocol/request-frame.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { FixedStorageClients } from '../../../edge/src/routing/storage-clients.js';
import { StaticClusterView } from '../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../edge/src/edge.js';
import { startKafkaServer, type KafkaServer } from '../../../edge/src/server/kafka-server.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';

let server: KafkaServer;
const self = { nodeId: 0, host: '127.0.0.1', port: 0, rack: null };
const registry = buildRegistry({
  cluster: new StaticClusterView('test-cluster', self),
  storage: new FixedStorageClients(new Map()),
});

beforeAll(async () => {
  server = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    registry,
    { maxRequestBytes: 64 * 1024, inflightBytes: 1024 * 1024 },
    pino({ level: 'silent' }),
  );
  self.port = server.port;
});

afterAll(async () => {
  await server.close();
});

const apiVersionsBody = {
  ...defaultApiVersionsRequest(),
  clientSoftwareName: 'test',
  clientSoftwareVersion: '1.0',
};

describe('edge connection', () => {
  it('answers ApiVersions at every supported version with exactly the registered handlers', async () => {
    const client = await RawKafkaClient.connect(server.port);
    for (let v = 0; v <= 4; v++) {
      const res = await client.request<ApiVersionsResponse>(apiVersionsApi, v, apiVersionsBody);
      expect(res.errorCode).toBe(0);
      expect(res.apiKeys.map((k) => [k.apiKey, k.minVersion, k.maxVersion])).toEqual(
        registry.all().map((h) => [h.api.apiKey, h.minVersion, h.maxVersion]),
      );
    }
    client.close();
  });

  it('answers an ApiVersions version it does not know at v0 with UNSUPPORTED_VERSION', async () => {
    const client = await RawKafkaClient.connect(server.port);
    const { bytes, correlationId } = client.frame(apiVersionsApi, 3, apiVersionsBody);
    bytes.writeInt16BE(99, 6); // the request's api version, after the size prefix and api key
    client.write(bytes);
    const res = decodeResponseFrame(await client.nextFrame(), apiVersionsApi, 0);
    expect(res.correlationId).toBe(correlationId);
    const body = res.body as ApiVersionsResponse;
    expect(body.errorCode).toBe(KafkaError.UNSUPPORTED_VERSION);
    expect(body.apiKeys.find((k) => k.apiKey === 18)?.maxVersion).toBe(4);
    client.close();
  });

  it('answers ApiVersions v3 with INVALID_REQUEST when the client software name is malformed', async () => {
    const client = await RawKafkaClient.connect(server.port);
    const res = await client.request<ApiVersionsResponse>(apiVersionsApi, 3, {
      ...apiVersionsBody,
      clientSoftwareName: 'bad name!',
    });
    expect(res.errorCode).toBe(KafkaError.INVALID_REQUEST);
    client.close();
  });

  it('answers pipelined requests in request order', async () => {
    const client = await RawKafkaClient.connect(server.port);
    const sent = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? { api: apiVersionsApi, version: 2, ...client.frame(apiVersionsApi, 2, apiVersionsBody) }
        : {
            api: metadataApi,
            version: 12,
            ...client.frame(metadataApi, 12, { ...defaultMetadataRequest(), topics: null }),
          },
    );
    client.write(Buffer.concat(sent.map((s) => s.bytes)));
    for (const s of sent) {
      const res = decodeResponseFrame(await client.nextFrame(), s.api, s.version);
      expect(res.correlationId).toBe(s.correlationId);
    }
    client.close();
  });

  it('lists itself and no topics in Metadata, and reports requested topics as unknown', async () => {
    const client = await RawKafkaClient.connect(server.port);
    for (const v of [0, 1, 4, 9, 12]) {
      const all = await client.request<MetadataResponse>(metadataApi, v, {
        ...defaultMetadataRequest(),
        topics: v === 0 ? [] : null,
      });
      expect(all.brokers).toEqual([
        { nodeId: 0, host: '127.0.0.1', port: server.port, rack: null },
      ]);
      expect(all.topics).toEqual([]);
    }
    const one = await client.request<MetadataResponse>(metadataApi, 12, {
      ...defaultMetadataRequest(),
      topics: [{ name: 'nope', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    });
    expect(one.clusterId).toBe('test-cluster');
    expect(one.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['nope', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    client.close();
  });

  it('closes the connection on an API key it has no handler for, and other connections carry on', async () => {
    const bystander = await RawKafkaClient.connect(server.port);
    const client = await RawKafkaClient.connect(server.port);
    client.write(client.frame(joinGroupApi, 5, defaultJoinGroupRequest()).bytes);
    await client.closed;
    const res = await bystander.request<ApiVersionsResponse>(apiVersionsApi, 0, apiVersionsBody);
    expect(res.errorCode).toBe(0);
    bystander.close();
  });

  it('closes the connection on a malformed request body', async () => {
    const client = await RawKafkaClient.connect(server.port);
    const { bytes } = client.frame(metadataApi, 1, {
      ...defaultMetadataRequest(),
      topics: [{ name: 'x', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    });
    bytes.writeInt32BE(bytes.length - 4 - 2, 0); // cut the last two bytes: the topic name is short
    client.write(bytes.subarray(0, bytes.length - 2));
    await client.closed;
  });

  it('closes the connection on a frame larger than the maximum, before reading it', async () => {
    const client = await RawKafkaClient.connect(server.port);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(64 * 1024 + 1);
    client.write(prefix);
    await client.closed;
  });

  it('closes the connection on a frame too short for a request header', async () => {
    const client = await RawKafkaClient.connect(server.port);
    client.write(Buffer.from([0, 0, 0, 3, 0, 18, 0]));
    await client.closed;
  });
});
