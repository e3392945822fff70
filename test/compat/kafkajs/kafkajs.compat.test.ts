/**
 * kafkajs 2.2.4 against `kafscale dev`, in-process. kafkajs ships gzip only; snappy, lz4 and
 * zstd are registered here as kafkajs codec plugins built on the npm packages the project
 * already has (snappy: one raw block out, xerial or raw in; lz4: the LZ4 frame format; zstd).
 * kafkajs has no group-less consumer (its Consumer always joins a group), so the records are
 * read back with kafkajs' own Broker.fetch through its internal Cluster, which is the code its
 * consumer uses underneath; ListOffsets goes through Admin.fetchTopicOffsets and
 * fetchTopicOffsetsByTimestamp. Producer: idempotence off (the kafkajs default), acks=-1,
 * explicit partition and CreateTime, one run per codec, sends of 2,000 records awaited in turn
 * (so the acknowledged base offsets give every record's offset).
 * Records: KAFSCALE_COMPAT_RECORDS (default 100,000) plus the 1 MiB record.
 */
import { compressFrame, decompressFrame } from 'lz4-napi';
import snappy from 'snappy';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';
import {
  CompressionCodecs,
  CompressionTypes,
  Kafka,
  logLevel,
  type IHeaders,
  type Message,
} from 'kafkajs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker } from '../support/broker.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectScenarioPassed } from '../support/expect-result.js';
import { recordCount } from '../support/paths.js';
import {
  addMismatch,
  bigValue,
  CODECS,
  headersOf,
  keyOf,
  placement,
  valueOf,
  type Codec,
  type CompatResult,
  type PartitionResult,
} from '../support/scenario.js';

const N = recordCount(100_000);
const TOPIC_A = 'compat-kafkajs-a';
const TOPIC_B = 'compat-kafkajs-b';
const SEND_SIZE = 2000;

interface KjsEncoder {
  buffer: Buffer;
}
interface KjsCodec {
  compress(encoder: KjsEncoder): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

const snappyCodec = (): KjsCodec => ({
  compress: async (e) => snappy.compress(e.buffer),
  decompress: async (b) => {
    if (b.length < 16 || !b.subarray(0, 8).equals(XERIAL_MAGIC))
      return (await snappy.uncompress(b, { asBuffer: true })) as Buffer;
    const parts: Buffer[] = [];
    for (let at = 16; at + 4 <= b.length;) {
      const len = b.readUInt32BE(at);
      parts.push(
        (await snappy.uncompress(b.subarray(at + 4, at + 4 + len), { asBuffer: true })) as Buffer,
      );
      at += 4 + len;
    }
    return Buffer.concat(parts);
  },
});
const lz4Codec = (): KjsCodec => ({
  compress: (e) => compressFrame(e.buffer),
  decompress: (b) => decompressFrame(b),
});
const zstdCodec = (): KjsCodec => ({
  compress: (e) => Promise.resolve(zstdCompress(e.buffer)),
  decompress: (b) => Promise.resolve(zstdDecompress(b)),
});
const codecs = CompressionCodecs as unknown as Record<number, () => KjsCodec>;
codecs[CompressionTypes.Snappy] = snappyCodec;
codecs[CompressionTypes.LZ4] = lz4Codec;
codecs[CompressionTypes.ZSTD] = zstdCodec;

const KJS_CODEC: Record<Codec, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** The parts of kafkajs' internal Cluster and Broker used to fetch without a group. */
interface KjsFetchedMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}
interface KjsFetchResponse {
  responses: {
    topicName: string;
    partitions: {
      partition: number;
      errorCode: number;
      highWatermark: string;
      messages: KjsFetchedMessage[];
    }[];
  }[];
}
interface KjsBroker {
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: {
      topic: string;
      partitions: { partition: number; fetchOffset: string; maxBytes: number }[];
    }[];
  }): Promise<KjsFetchResponse>;
}
interface KjsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<KjsBroker>;
}

function createCluster(kafka: Kafka): KjsCluster {
  const sym = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (sym === undefined) throw new Error('kafkajs internals changed: no createCluster');
  const create = (kafka as unknown as Record<symbol, (o: object) => KjsCluster>)[sym];
  if (create === undefined) throw new Error('kafkajs internals changed: no createCluster');
  return create({});
}

interface ExpectedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, string][];
  timestamp: number;
}

function expectedRecord(i: number, t0: number): ExpectedRecord {
  if (i === N)
    return {
      key: Buffer.from('big'),
      value: bigValue(),
      headers: [['h-big', '1']],
      timestamp: t0 + N,
    };
  const k = keyOf(i);
  const v = valueOf(i);
  return {
    key: k === null ? null : Buffer.from(k),
    value: v === null ? null : Buffer.from(v),
    headers: headersOf(i),
    timestamp: t0 + i,
  };
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

function headerPairs(h: IHeaders): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const [k, v] of Object.entries(h)) {
    for (const one of Array.isArray(v) ? v : [v])
      out.push([k, one === undefined ? null : one.toString()]);
  }
  return out;
}

let broker: DevBroker;

beforeAll(async () => {
  broker = await startCompatBroker();
});

afterAll(async () => {
  await broker.stop();
});

describe('kafkajs compatibility', () => {
  it('produces every codec with keys, nulls, headers and a 1 MiB record; reads all back; ListOffsets', async () => {
    const started = Date.now();
    const kafka = new Kafka({
      brokers: [broker.bootstrap],
      clientId: 'compat-kafkajs',
      logLevel: process.env.KAFSCALE_COMPAT_DEBUG === undefined ? logLevel.NOTHING : logLevel.DEBUG,
    });
    const timings: Record<string, number> = {};
    const mismatches: string[] = [];
    const all = [
      [TOPIC_A, 0],
      [TOPIC_A, 1],
      [TOPIC_A, 2],
      [TOPIC_A, 3],
      [TOPIC_B, 0],
    ] as const;
    const tpKey = (t: string, p: number) => `${t}/${p}`;

    let t = Date.now();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: TOPIC_A, numPartitions: 4 },
        // b carries the 1 MiB record: above Kafka's default max.message.bytes (1048588).
        {
          topic: TOPIC_B,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: '2097152' }],
        },
      ],
      waitForLeaders: true,
    });
    timings.createTopics = Date.now() - t;

    const t0 = Date.now() - 10 * N - 60_000;
    // acked.get(tp)[offset] = record number (N is the big record)
    const acked = new Map<string, number[]>(all.map(([tp, p]) => [tpKey(tp, p), []]));
    t = Date.now();
    for (const [c, codec] of CODECS.entries()) {
      const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
      await producer.connect();
      const from = Math.floor((c * N) / CODECS.length);
      const to = Math.floor(((c + 1) * N) / CODECS.length);
      const numbers = Array.from({ length: to - from }, (_, k) => from + k);
      if (c === CODECS.length - 1) numbers.push(N);
      for (let s = 0; s < numbers.length; s += SEND_SIZE) {
        const chunk = numbers.slice(s, s + SEND_SIZE);
        const byTopic = new Map<string, { nums: number[]; messages: Message[] }>();
        for (const i of chunk) {
          const pl = i === N ? { topic: 'b', partition: 0 } : placement(i);
          const topic = pl.topic === 'a' ? TOPIC_A : TOPIC_B;
          const e = expectedRecord(i, t0);
          const entry = byTopic.get(topic) ?? { nums: [], messages: [] };
          entry.nums.push(i);
          entry.messages.push({
            partition: pl.partition,
            key: e.key,
            value: e.value,
            headers: Object.fromEntries(e.headers),
            timestamp: String(e.timestamp),
          });
          byTopic.set(topic, entry);
        }
        const meta = await producer.sendBatch({
          acks: -1,
          compression: KJS_CODEC[codec],
          topicMessages: [...byTopic].map(([topic, { messages }]) => ({ topic, messages })),
        });
        // Within one send, a partition's records get consecutive offsets from its baseOffset.
        for (const [topic, { nums, messages }] of byTopic) {
          const perPartition = new Map<number, number[]>();
          messages.forEach((m, k) => {
            const p = m.partition ?? -1;
            perPartition.set(p, [...(perPartition.get(p) ?? []), nums[k] ?? -1]);
          });
          for (const [p, ns] of perPartition) {
            const md = meta.find((r) => r.topicName === topic && r.partition === p);
            const list = acked.get(tpKey(topic, p));
            if (md?.baseOffset === undefined || list === undefined) {
              addMismatch(mismatches, `${topic}/${p}: no acknowledgement`);
              continue;
            }
            if (Number(md.baseOffset) !== list.length)
              addMismatch(
                mismatches,
                `${topic}/${p}: base offset ${md.baseOffset}, expected ${list.length}`,
              );
            list.push(...ns);
          }
        }
      }
      await producer.disconnect();
    }
    timings.produce = Date.now() - t;

    t = Date.now();
    const partitions: PartitionResult[] = [];
    const watermarks = new Map<string, { low: number; high: number }>();
    const byTs = new Map<string, PartitionResult['byTimestamp']>();
    for (const topic of [TOPIC_A, TOPIC_B]) {
      for (const o of await admin.fetchTopicOffsets(topic))
        watermarks.set(tpKey(topic, o.partition), { low: Number(o.low), high: Number(o.high) });
    }
    for (const [topic, p] of all) {
      const list = acked.get(tpKey(topic, p)) ?? [];
      if (list.length < 2) continue;
      const m = Math.floor(list.length / 2);
      const timestamp = expectedRecord(list[m - 1] ?? 0, t0).timestamp + 1;
      const answer = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
      const got = answer.find((a) => a.partition === p);
      byTs.set(tpKey(topic, p), {
        timestamp,
        offset: got === undefined ? -2 : Number(got.offset),
        expected: m,
      });
    }
    await admin.disconnect();
    timings.listOffsets = Date.now() - t;

    t = Date.now();
    const cluster = createCluster(kafka);
    await cluster.connect();
    const consumed = new Map<string, number>();
    for (const [topic, p] of all) {
      const key = tpKey(topic, p);
      const list = acked.get(key) ?? [];
      const high = watermarks.get(key)?.high ?? 0;
      await cluster.addTargetTopic(topic);
      const leader = Object.keys(cluster.findLeaderForPartitions(topic, [p]))[0];
      if (leader === undefined) {
        addMismatch(mismatches, `${key}: no leader in metadata`);
        continue;
      }
      const b = await cluster.findBroker({ nodeId: leader });
      let next = 0;
      const deadline = Date.now() + 120_000;
      while (next < high && Date.now() < deadline) {
        const res = await b.fetch({
          isolationLevel: 0,
          maxWaitTime: 500,
          minBytes: 1,
          maxBytes: 10 << 20,
          topics: [
            { topic, partitions: [{ partition: p, fetchOffset: String(next), maxBytes: 1 << 20 }] },
          ],
        });
        const part = res.responses[0]?.partitions[0];
        if (part?.errorCode !== 0) {
          addMismatch(mismatches, `${key}: fetch at ${next}: error ${String(part?.errorCode)}`);
          break;
        }
        for (const msg of part.messages) {
          const o = Number(msg.offset);
          if (o < next) continue; // kafkajs returns whole batches
          if (o !== next) addMismatch(mismatches, `${key}: got offset ${o}, expected ${next}`);
          next = o + 1;
          const i = list[o];
          if (i === undefined) {
            addMismatch(mismatches, `${key}@${o}: not an acknowledged offset`);
            continue;
          }
          const e = expectedRecord(i, t0);
          if (!sameBytes(msg.key, e.key))
            addMismatch(mismatches, `${key}@${o}: key ${String(msg.key)} != ${String(e.key)}`);
          if (!sameBytes(msg.value, e.value))
            addMismatch(
              mismatches,
              `${key}@${o}: value (${msg.value?.length ?? -1} bytes) != (${e.value?.length ?? -1} bytes)`,
            );
          const h = JSON.stringify(headerPairs(msg.headers));
          if (h !== JSON.stringify(e.headers))
            addMismatch(mismatches, `${key}@${o}: headers ${h} != ${JSON.stringify(e.headers)}`);
          if (Number(msg.timestamp) !== e.timestamp)
            addMismatch(mismatches, `${key}@${o}: timestamp ${msg.timestamp} != ${e.timestamp}`);
        }
      }
      consumed.set(key, next);
      partitions.push({
        topic,
        partition: p,
        acked: list.length,
        consumed: next,
        earliest: watermarks.get(key)?.low ?? -1,
        latest: high,
        byTimestamp: byTs.get(key) ?? null,
      });
    }
    await cluster.disconnect();
    timings.consume = Date.now() - t;

    const result: CompatResult = {
      client: 'kafkajs',
      version: 'kafkajs 2.2.4',
      records: N + 1,
      codecs: [...CODECS],
      partitions,
      mismatches,
      timingsMs: timings,
    };
    expectScenarioPassed(result, N, Date.now() - started);
  }, 300_000);
});
