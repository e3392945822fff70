/** The ControlPlaneService over a real HTTP/2 gRPC server, on a started controlplane. */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from '@connectrpc/connect';
import { connectNodeAdapter, createGrpcTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ControlPlaneService,
  type WatchMetadataResponse,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { topicIdFromBytes } from '../../../../lib/metadata/topic-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { startControlplane, type Controlplane } from '../../../../controlplane/src/controlplane.js';
import { claimOwner, registerNode, waitFor } from '../helpers.js';

let store: MemoryMetadataStore;
let cp: Controlplane;
let server: http2.Http2Server;
let client: Client<typeof ControlPlaneService>;
const sessions = new Set<http2.ServerHttp2Session>();

beforeAll(async () => {
  store = new MemoryMetadataStore();
  await registerNode(store, 'storage', 's1', undefined, 7001);
  await registerNode(store, 'edge', '1', undefined, 9092);
  cp = await startControlplane({
    replicaId: 'cp-1',
    metadata: store,
    clusterId: 'test-cluster',
    defaultPartitions: 2,
    leaseTtlSeconds: 5,
    assignDebounceMs: 5,
  });
  server = http2.createServer(
    connectNodeAdapter({ routes: (r) => r.service(ControlPlaneService, cp.service) }),
  );
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = createClient(
    ControlPlaneService,
    createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }),
  );
});

afterAll(async () => {
  await cp.stop();
  for (const s of sessions) s.destroy();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await store.close();
});

describe('ControlPlaneService', () => {
  it('creates topics with per-topic Kafka errors as data', async () => {
    const res = await client.createTopics({
      topics: [
        {
          name: 'svc-a',
          numPartitions: -1,
          replicationFactor: 3,
          configs: { 'cleanup.policy': 'compact' },
        },
        { name: 'bad/name', numPartitions: 1, replicationFactor: 1, configs: {} },
        { name: 'svc-b', numPartitions: 1, replicationFactor: 1, configs: { 'no.such': 'x' } },
      ],
      validateOnly: false,
      timeoutMs: 1000,
    });
    expect(res.topics.map((t) => [t.name, t.errorCode, t.numPartitions, t.topicId.length])).toEqual(
      [
        ['svc-a', 0, 2, 16],
        ['bad/name', KafkaError.INVALID_TOPIC_EXCEPTION, -1, 0],
        ['svc-b', KafkaError.INVALID_CONFIG, -1, 0],
      ],
    );
    expect(res.topics[2]?.errorMessage).toContain('no.such');
    const again = await client.createTopics({
      topics: [{ name: 'svc-a', numPartitions: 1, replicationFactor: 1, configs: {} }],
    });
    expect(again.topics[0]?.errorCode).toBe(KafkaError.TOPIC_ALREADY_EXISTS);
  });

  it('streams a snapshot, then updates for a create, an owner claim and a delete', async () => {
    await waitFor('svc-a assigned', () => {
      const t = cp.view.topicByName('svc-a');
      return t !== undefined && cp.view.assignmentsOf(t.record.topicId).size === 2;
    });
    const abort = new AbortController();
    const stream = client.watchMetadata({ watcherId: 'edge-1' }, { signal: abort.signal });
    const it = stream[Symbol.asyncIterator]();
    const next = async (): Promise<WatchMetadataResponse> => {
      const r = await it.next();
      if (r.done === true) throw new Error('stream ended');
      return r.value;
    };

    const first = await next();
    if (first.event.case !== 'snapshot') throw new Error('expected a snapshot first');
    const snap = first.event.value;
    expect(snap.clusterId).toBe('test-cluster');
    expect(snap.edges.map((e) => [e.nodeId, e.port])).toEqual([[1, 9092]]);
    expect(snap.storageNodes.map((s) => [s.nodeId, s.port])).toEqual([['s1', 7001]]);
    const a = snap.topics.find((t) => t.name === 'svc-a');
    expect(a?.configs).toEqual({ 'cleanup.policy': 'compact' });
    expect(a?.partitions.map((p) => [p.partition, p.storageNodeId, p.leaderEpoch])).toEqual([
      [0, 's1', -1],
      [1, 's1', -1],
    ]);

    const created = await client.createTopics({
      topics: [{ name: 'svc-c', numPartitions: 1, replicationFactor: 1, configs: {} }],
    });
    const cId = created.topics[0]?.topicId ?? new Uint8Array();
    let seen: WatchMetadataResponse | undefined;
    let revision = first.revision;
    while (seen === undefined) {
      const m = await next();
      expect(m.revision).toBeGreaterThan(revision);
      revision = m.revision;
      if (m.event.case === 'update' && m.event.value.topics.some((t) => t.name === 'svc-c'))
        seen = m;
    }

    const topicId = topicIdFromBytes(cId) ?? '';
    await claimOwner(store, topicId, 0, 's9', 3);
    for (;;) {
      const m = await next();
      const pa = m.event.case === 'update' ? m.event.value.partitionAssignments : [];
      const p0 = pa.find((t) => topicIdFromBytes(t.topicId) === topicId)?.partitions[0];
      if (p0?.storageNodeId === 's9') {
        expect(p0.leaderEpoch).toBe(3);
        break;
      }
    }

    const deleted = await client.deleteTopics({
      topics: [{ topic: { case: 'name', value: 'svc-c' } }],
    });
    expect(deleted.topics.map((t) => [t.name, t.errorCode])).toEqual([['svc-c', 0]]);
    for (;;) {
      const m = await next();
      if (
        m.event.case === 'update' &&
        m.event.value.deletedTopicIds.some((id) => Buffer.from(id).equals(cId))
      )
        break;
    }
    abort.abort();
  });

  it('deletes by topic id and reports unknown names and ids', async () => {
    const created = await client.createTopics({
      topics: [{ name: 'svc-d', numPartitions: 1, replicationFactor: 1, configs: {} }],
    });
    const id = created.topics[0]?.topicId ?? new Uint8Array();
    const res = await client.deleteTopics({
      topics: [
        { topic: { case: 'topicId', value: id } },
        { topic: { case: 'name', value: 'nope' } },
        { topic: { case: 'topicId', value: new Uint8Array(16) } },
        { topic: { case: undefined } },
      ],
    });
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['svc-d', 0],
      ['nope', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['', KafkaError.UNKNOWN_TOPIC_ID],
      ['', KafkaError.INVALID_REQUEST],
    ]);
  });
});
