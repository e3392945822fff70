/**
 * Golden tests: request frames captured from real Kafka clients (kcat/librdkafka, kafkajs,
 * the Apache Kafka Java client) by test/golden/capture. Every frame must decode at the
 * version in its header with nothing left over, and re-encode to exactly the same bytes;
 * a few values the capture scripts put in are checked per client.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  apiDefinition,
  consumerProtocolSubscriptionCodec,
  encodeRequestHeader,
  requestHeaderVersion,
  type ApiMessages,
} from '../../../../../lib/kafka/gen/index.js';
import type { ApiDefinition } from '../../../../../lib/kafka/protocol/codec-runtime.js';
import { Reader } from '../../../../../lib/kafka/protocol/reader.js';
import {
  decodeRequestFrame,
  encodeRequestFrame,
  readPreamble,
  type DecodedRequest,
} from '../../../../../lib/kafka/protocol/request-frame.js';
import { Writer } from '../../../../../lib/kafka/protocol/writer.js';

const GOLDEN = fileURLToPath(new URL('../../../../golden/', import.meta.url));
const TOPIC = 'golden-topic';
const GROUP = 'golden-group';

/** Minimum distinct (api, version) pairs per client, so that a lost fixture is noticed. */
const MIN_PAIRS: Record<string, number> = { kcat: 12, kafkajs: 16, java: 19 };

interface Fixture {
  readonly client: string;
  readonly file: string;
  readonly apiKey: number;
  readonly version: number;
  /** 1 for the first frame captured of this (api, version), 2 for the second, ... */
  readonly n: number;
  readonly frame: Buffer;
}

function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const client of Object.keys(MIN_PAIRS)) {
    for (const file of readdirSync(join(GOLDEN, client))) {
      const m = /^(\d{2})-[a-z-]+-v(\d+)(?:-(\d+))?\.hex$/.exec(file);
      if (m === null) continue;
      const hex = readFileSync(join(GOLDEN, client, file), 'utf8').trim();
      out.push({
        client,
        file,
        apiKey: Number(m[1]),
        version: Number(m[2]),
        n: Number(m[3] ?? 1),
        frame: Buffer.from(hex, 'hex'),
      });
    }
  }
  // In capture order per (api, version): the first frame, then -2, -3, ...
  return out.sort(
    (a, b) =>
      a.client.localeCompare(b.client) || a.apiKey - b.apiKey || a.version - b.version || a.n - b.n,
  );
}

const FIXTURES = loadFixtures();

function apiOf(f: Fixture): ApiDefinition {
  const api = apiDefinition(f.apiKey);
  if (api === undefined) throw new Error(`${f.file}: unknown api key ${f.apiKey}`);
  return api;
}

function decode(f: Fixture): DecodedRequest {
  return decodeRequestFrame(f.frame, apiOf(f), f.version);
}

function fixtures(client: string, apiKey: number): Fixture[] {
  const list = FIXTURES.filter((f) => f.client === client && f.apiKey === apiKey);
  if (list.length === 0) throw new Error(`no ${client} fixture for api ${apiKey}`);
  return list;
}

function bodies<K extends keyof ApiMessages>(
  client: string,
  apiKey: K,
): ApiMessages[K]['request'][] {
  return fixtures(client, apiKey).map((f) => decode(f).body as ApiMessages[K]['request']);
}

function headers(client: string): DecodedRequest['header'][] {
  return FIXTURES.filter((f) => f.client === client).map((f) => decode(f).header);
}

/** The raw v2 record batches of every partition of every Produce request of a client. */
function produceBatches(client: string, frame?: Buffer) {
  const out: { partition: number; records: Uint8Array; frame: Buffer }[] = [];
  for (const f of fixtures(client, 0)) {
    if (frame !== undefined && f.frame !== frame) continue;
    const body = decode(f).body as ApiMessages[0]['request'];
    for (const td of body.topicData) {
      for (const pd of td.partitionData) {
        if (pd.records !== null)
          out.push({ partition: pd.index, records: pd.records, frame: f.frame });
      }
    }
  }
  return out;
}

function batchView(records: Uint8Array): Buffer {
  return Buffer.from(records.buffer, records.byteOffset, records.byteLength);
}

/** True when the request header of this frame ends in an empty tagged-field section. */
function headerTaggedSectionIsEmpty(f: Fixture): boolean {
  const clientIdLength = f.frame.readInt16BE(8);
  const end = 10 + Math.max(clientIdLength, 0);
  return f.frame[end] === 0;
}

describe('golden request fixtures', () => {
  it('are present for every client', () => {
    for (const client of Object.keys(MIN_PAIRS)) {
      expect(FIXTURES.some((f) => f.client === client)).toBe(true);
    }
  });

  it.each(FIXTURES.map((f) => [`${f.client}/${f.file}`, f] as const))(
    '%s decodes and re-encodes to the same bytes',
    (_name, f) => {
      const api = apiOf(f);
      const pre = readPreamble(f.frame);
      expect(pre.apiKey).toBe(f.apiKey);
      expect(pre.apiVersion).toBe(f.version);

      // Every captured request is read to its last byte.
      const decoded = decodeRequestFrame(f.frame, api, f.version);
      expect(decoded.trailingBytes).toBe(0);
      expect(decoded.header.requestApiKey).toBe(f.apiKey);
      expect(decoded.header.requestApiVersion).toBe(f.version);
      expect(decoded.header.correlationId).toBe(pre.correlationId);

      const w = new Writer();
      encodeRequestHeader(w, decoded.header, requestHeaderVersion(api, f.version));
      api.request.encode(w, decoded.body, f.version);
      expect(w.toBuffer().toString('hex')).toBe(f.frame.toString('hex'));

      if ((decoded.header._unknownTaggedFields ?? []).length === 0) {
        const framed = encodeRequestFrame(
          api,
          f.version,
          decoded.header.correlationId,
          decoded.header.clientId,
          decoded.body,
        );
        expect(framed.readInt32BE(0)).toBe(f.frame.length);
        expect(framed.subarray(4).toString('hex')).toBe(f.frame.toString('hex'));
      }

      // The body decoder reads exactly what is left after the header.
      const r = new Reader(f.frame);
      const header = { ...decoded.header };
      const hw = new Writer();
      encodeRequestHeader(hw, header, requestHeaderVersion(api, f.version));
      r.raw(hw.length);
      api.request.decode(r, f.version);
      expect(r.remaining()).toBe(0);
    },
  );

  it.each(Object.entries(MIN_PAIRS))('%s covers at least %i (api, version) pairs', (client, n) => {
    const pairs = new Set(
      FIXTURES.filter((f) => f.client === client).map((f) => `${f.apiKey}/${f.version}`),
    );
    expect(pairs.size).toBeGreaterThanOrEqual(n);
  });
});

describe('kcat (librdkafka 2.0.2)', () => {
  const client = 'kcat';

  it('sets the client id from -X client.id', () => {
    for (const h of headers(client)) expect(h.clientId).toBe('golden-kcat');
  });

  it('ApiVersions v3 is flexible (request header v2) and names librdkafka', () => {
    const f = fixtures(client, 18)[0];
    expect(f).toBeDefined();
    if (f === undefined) return;
    expect(f.version).toBe(3);
    expect(requestHeaderVersion(apiOf(f), f.version)).toBe(2);
    expect(headerTaggedSectionIsEmpty(f)).toBe(true);
    const body = decode(f).body as ApiMessages[18]['request'];
    expect(body.clientSoftwareName).toBe('librdkafka');
    expect(body.clientSoftwareVersion).toBe('2.0.2');
  });

  it('Metadata asks for the topic', () => {
    for (const b of bodies(client, 3)) expect(b.topics?.map((t) => t.name)).toEqual([TOPIC]);
  });

  it('Produce names the topic, acks -1, and its records are a view of the frame', () => {
    for (const b of bodies(client, 0)) {
      expect(b.acks).toBe(-1);
      expect(b.topicData.map((t) => t.name)).toEqual([TOPIC]);
    }
    const batches = produceBatches(client);
    expect(batches.length).toBeGreaterThan(0);
    for (const { records, frame } of batches) {
      expect(records.length).toBeGreaterThan(61);
      expect(records.buffer).toBe(frame.buffer);
      expect(records.byteOffset).toBeGreaterThanOrEqual(frame.byteOffset);
      expect(records.byteOffset + records.length).toBeLessThanOrEqual(
        frame.byteOffset + frame.length,
      );
      const batch = batchView(records);
      expect(batch.readInt8(16)).toBe(2); // magic
    }
    // -p 0 -k key: three records, uncompressed. -p 1 -z gzip: two records, which librdkafka
    // sent uncompressed (it drops compression that does not make a batch smaller).
    const p0 = batches.find((b) => b.partition === 0);
    const p1 = batches.find((b) => b.partition === 1);
    expect(p0 && batchView(p0.records).readInt32BE(57)).toBe(3);
    expect(p0 && batchView(p0.records).readInt16BE(21) & 7).toBe(0);
    expect(p0 && batchView(p0.records).includes('golden-1')).toBe(true);
    expect(p1 && batchView(p1.records).readInt32BE(57)).toBe(2);
    expect(p1 && batchView(p1.records).includes('gzip-2')).toBe(true);
  });

  it('Fetch names the topic by name', () => {
    for (const b of bodies(client, 1)) {
      expect(b.topics.map((t) => t.topic)).toEqual([TOPIC]);
      expect(b.maxWaitMs).toBe(500);
    }
  });

  it('ListOffsets asks for the earliest offset (-o beginning)', () => {
    for (const b of bodies(client, 2)) {
      expect(b.topics[0]?.name).toBe(TOPIC);
      expect(b.topics[0]?.partitions[0]?.timestamp).toBe(-2n);
    }
  });

  it('the group calls carry the group id and protocol type consumer', () => {
    const [first, second] = bodies(client, 11);
    expect(first?.groupId).toBe(GROUP);
    expect(first?.protocolType).toBe('consumer');
    expect(first?.memberId).toBe('');
    expect(second?.memberId).not.toBe('');
    expect(first?.protocols.map((p) => p.name)).toEqual(['range', 'roundrobin']);
    expect(bodies(client, 10)[0]?.key).toBe(GROUP);
    expect(bodies(client, 14)[0]?.groupId).toBe(GROUP);
    expect(bodies(client, 12)[0]?.groupId).toBe(GROUP);
    expect(bodies(client, 13)[0]?.groupId).toBe(GROUP);
    expect(bodies(client, 8)[0]?.topics[0]?.name).toBe(TOPIC);
  });

  it('OffsetFetch v7 is flexible with an empty header tagged section', () => {
    const f = fixtures(client, 9)[0];
    expect(f?.version).toBe(7);
    if (f === undefined) return;
    expect(requestHeaderVersion(apiOf(f), f.version)).toBe(2);
    expect(headerTaggedSectionIsEmpty(f)).toBe(true);
    const b = decode(f).body as ApiMessages[9]['request'];
    expect(b.groupId).toBe(GROUP);
    expect(b.topics?.[0]?.partitionIndexes).toEqual([0, 1, 2]);
  });
});

describe('kafkajs 2.2.4', () => {
  const client = 'kafkajs';

  it('sets the client id', () => {
    for (const h of headers(client)) expect(h.clientId).toBe('golden-kafkajs');
  });

  it('sends ApiVersions v2 and no flexible version', () => {
    expect(fixtures(client, 18).map((f) => f.version)).toEqual([2]);
    for (const f of FIXTURES.filter((x) => x.client === client)) {
      expect(requestHeaderVersion(apiOf(f), f.version)).toBe(1);
    }
  });

  it('CreateTopics creates the topic with 3 partitions', () => {
    const [b] = bodies(client, 19);
    expect(b?.topics[0]).toMatchObject({ name: TOPIC, numPartitions: 3, replicationFactor: 1 });
  });

  it('Metadata lists the topic (and asks for all topics once)', () => {
    const all = bodies(client, 3);
    expect(all.some((b) => b.topics === null)).toBe(true);
    expect(all.some((b) => b.topics?.some((t) => t.name === TOPIC))).toBe(true);
  });

  it('Produce: acks -1, a gzip batch with keys and headers as a view of the frame', () => {
    for (const b of bodies(client, 0)) {
      expect(b.acks).toBe(-1);
      expect(b.topicData[0]?.name).toBe(TOPIC);
    }
    const batches = produceBatches(client);
    for (const { records, frame } of batches) expect(records.buffer).toBe(frame.buffer);
    const gz = batches.find((b) => b.partition === 0);
    expect(gz && batchView(gz.records).readInt16BE(21) & 7).toBe(1);
    expect(gz && batchView(gz.records).readInt32BE(57)).toBe(2);
    const plain = batches.find((b) => b.partition === 1);
    expect(plain && batchView(plain.records).includes('key-3')).toBe(true);
    expect(plain && batchView(plain.records).includes('h3')).toBe(true);
  });

  it('JoinGroup carries the group id, protocol type consumer and a subscription', () => {
    const [first] = bodies(client, 11);
    expect(first?.groupId).toBe(GROUP);
    expect(first?.protocolType).toBe('consumer');
    expect(first?.protocols[0]?.name).toBe('RoundRobinAssigner');
    const meta = first?.protocols[0]?.metadata ?? new Uint8Array(0);
    const r = new Reader(batchView(meta));
    const v = r.int16();
    expect(consumerProtocolSubscriptionCodec.decode(r, v).topics).toEqual([TOPIC]);
  });

  it('Fetch names the topic; commits and group admin calls carry the group', () => {
    for (const b of bodies(client, 1)) expect(b.topics[0]?.topic).toBe(TOPIC);
    for (const b of bodies(client, 8)) expect(b.groupId).toBe(GROUP);
    expect(bodies(client, 15)[0]?.groups).toEqual([GROUP]);
    expect(bodies(client, 20)[0]?.topicNames).toEqual(['golden-topic-to-delete']);
  });
});

describe('Apache Kafka Java client 3.9.1', () => {
  const client = 'java';

  it('sets the client ids of the program', () => {
    const ids = new Set(headers(client).map((h) => h.clientId));
    for (const id of [
      'golden-java-admin',
      'golden-java-producer',
      'golden-java-idempotent',
      'golden-java-consumer',
    ]) {
      expect(ids.has(id)).toBe(true);
    }
  });

  it('ApiVersions v4 (request header v2) names apache-kafka-java', () => {
    for (const f of fixtures(client, 18)) {
      expect(f.version).toBe(4);
      expect(requestHeaderVersion(apiOf(f), f.version)).toBe(2);
      expect(headerTaggedSectionIsEmpty(f)).toBe(true);
      const b = decode(f).body as ApiMessages[18]['request'];
      expect(b.clientSoftwareName).toBe('apache-kafka-java');
      expect(b.clientSoftwareVersion).toBe('3.9.1');
    }
  });

  it('uses the newest flexible versions', () => {
    const versions = new Map(
      FIXTURES.filter((f) => f.client === client).map((f) => [f.apiKey, f.version]),
    );
    expect(versions.get(0)).toBe(11);
    expect(versions.get(1)).toBe(17);
    expect(versions.get(3)).toBe(12);
    for (const f of FIXTURES.filter((x) => x.client === client)) {
      expect(requestHeaderVersion(apiOf(f), f.version)).toBe(2);
    }
  });

  it('Metadata lists the topic', () => {
    expect(bodies(client, 3).some((b) => b.topics?.some((t) => t.name === TOPIC))).toBe(true);
  });

  it('Produce v11: topic, acks -1, records as a view; the idempotent batch has the producer id', () => {
    for (const b of bodies(client, 0)) {
      expect(b.acks).toBe(-1);
      expect(b.topicData[0]?.name).toBe(TOPIC);
    }
    const plainFrame = fixtures(client, 0).find(
      (f) => decode(f).header.clientId === 'golden-java-producer',
    )?.frame;
    const idemFrame = fixtures(client, 0).find(
      (f) => decode(f).header.clientId === 'golden-java-idempotent',
    )?.frame;
    expect(plainFrame).toBeDefined();
    expect(idemFrame).toBeDefined();
    const [plain] = produceBatches(client, plainFrame);
    const [idem] = produceBatches(client, idemFrame);
    expect(plain?.records.buffer).toBe(plainFrame?.buffer);
    expect(plain && batchView(plain.records).readBigInt64BE(43)).toBe(-1n);
    expect(plain && batchView(plain.records).readInt32BE(57)).toBe(3);
    expect(plain && batchView(plain.records).includes('golden-java-producer-1')).toBe(true);
    // The capture broker's InitProducerId answered producer id 1000, epoch 0.
    expect(idem && batchView(idem.records).readBigInt64BE(43)).toBe(1000n);
    expect(idem && batchView(idem.records).readInt16BE(51)).toBe(0);
    expect(idem && batchView(idem.records).readInt32BE(53)).toBe(0); // base sequence
    expect(idem && batchView(idem.records).readInt16BE(21) & 7).toBe(1); // gzip
  });

  it('InitProducerId asks for a new idempotent producer id', () => {
    const [b] = bodies(client, 22);
    expect(b).toMatchObject({ transactionalId: null, producerId: -1n, producerEpoch: -1 });
  });

  it('Fetch v17 names the topic by id, not by name', () => {
    for (const b of bodies(client, 1)) {
      expect(b.topics[0]?.topic).toBe('');
      expect(b.topics[0]?.topicId).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
    }
  });

  it('the group calls carry the group id and protocol type consumer', () => {
    const [first, second] = bodies(client, 11);
    expect(first).toMatchObject({ groupId: GROUP, protocolType: 'consumer', memberId: '' });
    expect(second?.memberId.startsWith('golden-java-consumer-')).toBe(true);
    expect(first?.protocols.map((p) => p.name)).toEqual(['range', 'cooperative-sticky']);
    expect(bodies(client, 10)[0]?.coordinatorKeys).toEqual([GROUP]);
    expect(bodies(client, 14)[0]).toMatchObject({ groupId: GROUP, protocolType: 'consumer' });
    expect(bodies(client, 8)[0]?.groupId).toBe(GROUP);
    expect(bodies(client, 9).every((b) => b.groups[0]?.groupId === GROUP)).toBe(true);
    expect(bodies(client, 13)[0]?.members[0]?.reason).toBe('the consumer is being closed');
  });

  it('admin: CreateTopics, DescribeCluster, DeleteTopics', () => {
    expect(bodies(client, 19)[0]?.topics[0]).toMatchObject({ name: TOPIC, numPartitions: 3 });
    expect(bodies(client, 60)[0]?.endpointType).toBe(1);
    expect(bodies(client, 20)[0]?.topics[0]?.name).toBe('golden-topic-to-delete');
  });
});
