/**
 * Quotas on a real edge connection (KIP-219): a produce that takes a client over its
 * producer_byte_rate is answered at once with throttle_time_ms, and the connection is not
 * read again until that time has passed; another client id is not throttled; the per-edge
 * share shrinks with more live edges; a quota change reaches open connections. Windows are
 * 11 × 100 ms so that throttles last a fraction of a second.
 */
import { create } from '@bufbuild/protobuf';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientQuotaSchema } from '../../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import {
  apiVersionsApi,
  defaultApiVersionsRequest,
  produceApi,
  type ApiVersionsResponse,
  type ProduceResponse,
} from '../../../../lib/kafka/gen/index.js';
import { decodeResponseFrame } from '../../../../lib/kafka/protocol/request-frame.js';
import { entityMessage } from '../../../../lib/quota/quota-messages.js';
import { StaticClusterView } from '../../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../../edge/src/edge.js';
import { ClientQuotaCache } from '../../../../edge/src/quota/client-quota-cache.js';
import { ClientQuotas } from '../../../../edge/src/quota/client-quotas.js';
import { FixedStorageClients } from '../../../../edge/src/routing/storage-clients.js';
import { startKafkaServer, type KafkaServer } from '../../../../edge/src/server/kafka-server.js';
import { RawKafkaClient } from '../../../support/raw-kafka-client.js';

const self = { nodeId: 0, host: '127.0.0.1', port: 0, rack: null };
const registry = buildRegistry({
  cluster: new StaticClusterView('test-cluster', self),
  storage: new FixedStorageClients(new Map()),
});
const BOUND = 100_000;
const RECORDS = 150_000;

let server: KafkaServer | undefined;
let client: RawKafkaClient | undefined;

afterEach(async () => {
  client?.close();
  await server?.close();
});

function quotaFor(cache: ClientQuotaCache, clientId: string, bound: number): void {
  cache.setEntity(
    create(ClientQuotaSchema, {
      entity: entityMessage({ user: undefined, clientId }),
      values: { producer_byte_rate: bound },
    }),
  );
}

async function start(edges: { count: number }, throttles: number[]) {
  const cache = new ClientQuotaCache();
  quotaFor(cache, 'slow', BOUND);
  const quotas = new ClientQuotas(
    cache,
    { samples: 11, windowMs: 100 },
    () => edges.count,
    (_kind, ms) => throttles.push(ms),
  );
  server = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    registry,
    { maxRequestBytes: 1 << 20, inflightBytes: 4 << 20, quotas },
    pino({ level: 'silent' }),
  );
  client = await RawKafkaClient.connect(server.port);
  return { cache, c: client };
}

const produceBody = {
  transactionalId: null,
  acks: 1,
  timeoutMs: 1000,
  topicData: [{ name: 'nowhere', partitionData: [{ index: 0, records: new Uint8Array(RECORDS) }] }],
};

async function produce(c: RawKafkaClient, clientId: string): Promise<ProduceResponse> {
  c.write(c.frame(produceApi, 9, produceBody, clientId).bytes);
  return decodeResponseFrame(await c.nextFrame(), produceApi, 9).body as ProduceResponse;
}

/**
 * Sends a produce, and once it is answered an ApiVersions (as a client that ignored the
 * throttle would); times both answers from when each was sent.
 */
async function produceThenPing(c: RawKafkaClient, clientId: string) {
  let started = performance.now();
  const produced = await produce(c, clientId);
  const producedMs = performance.now() - started;
  started = performance.now();
  c.write(
    c.frame(apiVersionsApi, 3, {
      ...defaultApiVersionsRequest(),
      clientSoftwareName: 'test',
      clientSoftwareVersion: '1',
    }).bytes,
  );
  const pinged = decodeResponseFrame(await c.nextFrame(), apiVersionsApi, 3)
    .body as ApiVersionsResponse;
  return { produced, producedMs, pinged, pingedMs: performance.now() - started };
}

describe('client quotas on a connection', () => {
  it('answers over-quota produce at once with throttle_time_ms and mutes the connection', async () => {
    const throttles: number[] = [];
    const { c } = await start({ count: 1 }, throttles);
    const r = await produceThenPing(c, 'slow');
    // 150,000 + framing bytes over a 1 s window against 100,000/s: about half the window.
    expect(r.produced.throttleTimeMs).toBeGreaterThanOrEqual(500);
    expect(r.produced.throttleTimeMs).toBeLessThan(560);
    expect(r.producedMs).toBeLessThan(400);
    // A request sent after the answer is not read until the mute is over.
    expect(r.pingedMs).toBeGreaterThanOrEqual(r.produced.throttleTimeMs - 30);
    expect(r.pinged.errorCode).toBe(0);
    expect(throttles).toEqual([r.produced.throttleTimeMs]);
  });

  it('does not throttle another client id, and enforces a per-edge share', async () => {
    const edges = { count: 1 };
    const throttles: number[] = [];
    const { c } = await start(edges, throttles);
    const free = await produceThenPing(c, 'fast');
    expect(free.produced.throttleTimeMs).toBe(0);
    expect(free.pingedMs).toBeLessThan(300);
    edges.count = 3;
    // A third of the quota on this edge: (450,000 - 100,000) / 100,000 × 1 s, roughly.
    expect((await produce(c, 'slow')).throttleTimeMs).toBeGreaterThan(3400);
    expect(throttles).toHaveLength(1);
  });

  it('applies a quota change to an open connection', async () => {
    const throttles: number[] = [];
    const { cache, c } = await start({ count: 1 }, throttles);
    quotaFor(cache, 'slow', 10_000_000);
    expect((await produce(c, 'slow')).throttleTimeMs).toBe(0);
    quotaFor(cache, 'slow', 1000);
    // 300,000 bytes against 1,000/s over 1 s: about 299 s.
    expect((await produce(c, 'slow')).throttleTimeMs).toBeGreaterThan(290_000);
  });
});
