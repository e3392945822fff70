/**
 * kcat (librdkafka from Debian) against `kafscale dev`, driven by scripted invocations: kcat
 * has no programmatic API. kcat cannot create topics: topic a (4 partitions) is auto-created
 * by kcat's Metadata request (the broker runs with KAFSCALE_DEFAULT_PARTITIONS=4), topic b
 * (1 partition) is created beforehand with kafkajs' admin client (CreateTopics).
 *
 * One `kcat -P` per (codec, partition): kcat sends every line of one invocation to one
 * partition (-p) with one set of headers (-H), so the headers are per invocation
 * (h-codec=<codec>, h-run=<n>, h-empty=''), keys and values per line (-K'|', -Z: empty is
 * null). Then `kcat -C -f` reads each partition from the beginning and `kcat -Q` asks
 * ListOffsets for earliest, latest and a timestamp (kcat cannot set CreateTime, so the
 * timestamp is taken from what was read: one past record m-1's, and the expected offset is the
 * first whose timestamp is at least that).
 * Records: KAFSCALE_COMPAT_RECORDS (default 100,000) plus the 1 MiB record.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker } from '../support/broker.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectScenarioPassed } from '../support/expect-result.js';
import { recordCount } from '../support/paths.js';
import {
  addMismatch,
  bigValue,
  CODECS,
  codecOf,
  keyOf,
  placement,
  valueOf,
  type CompatResult,
  type PartitionResult,
} from '../support/scenario.js';

const run = promisify(execFile);
const N = recordCount(100_000);
const TOPIC_A = 'compat-kcat-a';
const TOPIC_B = 'compat-kcat-b';
const DEBUG = process.env.KAFSCALE_COMPAT_KCAT_DEBUG; // e.g. "protocol,broker"

let broker: DevBroker;

beforeAll(async () => {
  broker = await startCompatBroker({ env: { KAFSCALE_DEFAULT_PARTITIONS: '4' } });
});

afterAll(async () => {
  await broker.stop();
});

interface Expected {
  key: string | null;
  value: string | null;
  headers: string;
}

/** Runs `kcat -P` with `lines` on stdin; rejects with kcat's stderr when it fails. */
function produce(args: readonly string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const debug = DEBUG === undefined ? [] : ['-d', DEBUG];
    const proc = spawn('kcat', ['-P', '-b', broker.bootstrap, ...debug, ...args], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code === 0 && !stderr.includes('Delivery failed')) resolve();
      else reject(new Error(`kcat -P ${args.join(' ')} exited ${String(code)}: ${stderr}`));
    });
    proc.stdin.end(input);
  });
}

interface Consumed {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: string;
}

async function consume(topic: string, partition: number): Promise<Consumed[]> {
  const { stdout } = await run(
    'kcat',
    [
      '-C',
      '-b',
      broker.bootstrap,
      '-t',
      topic,
      '-p',
      String(partition),
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%o\\t%T\\t%K\\t%k\\t%S\\t%s\\t%h\\n',
    ],
    { timeout: 120_000, maxBuffer: 512 << 20 },
  );
  const out: Consumed[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [o, t, kl, k, vl, v, h] = line.split('\t');
    out.push({
      offset: Number(o),
      timestamp: Number(t),
      key: kl === '-1' ? null : (k ?? ''),
      value: vl === '-1' ? null : (v ?? ''),
      headers: h ?? '',
    });
  }
  return out;
}

async function query(topic: string, partition: number, ts: number): Promise<number> {
  const { stdout } = await run(
    'kcat',
    ['-Q', '-b', broker.bootstrap, '-t', `${topic}:${partition}:${ts}`],
    { timeout: 30_000 },
  );
  const m = /offset (-?\d+)/.exec(stdout);
  if (!m) throw new Error(`kcat -Q ${topic}:${partition}:${ts} printed: ${stdout}`);
  return Number(m[1]);
}

describe('kcat (librdkafka) compatibility', () => {
  it('produces every codec with keys, nulls, headers and a 1 MiB record; reads all back; ListOffsets', async () => {
    const started = Date.now();
    const { stdout: kv } = await run('kcat', ['-V']);
    const version = /Version .*/.exec(kv)?.[0] ?? kv;
    const timings: Record<string, number> = {};
    const expected = new Map<string, Expected[]>();
    const tpKey = (topic: string, p: number) => `${topic}/${p}`;
    for (let p = 0; p < 4; p++) expected.set(tpKey(TOPIC_A, p), []);
    expected.set(tpKey(TOPIC_B, 0), []);
    const admin = new Kafka({
      brokers: [broker.bootstrap],
      clientId: 'compat-kcat-admin',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    // b carries the 1 MiB record: above Kafka's default max.message.bytes (1048588).
    await admin.createTopics({
      topics: [
        {
          topic: TOPIC_B,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: '2097152' }],
        },
      ],
    });
    await admin.disconnect();

    let t0 = Date.now();
    let runNo = 0;
    for (const codec of CODECS) {
      const lines = new Map<string, string[]>();
      const exp = new Map<string, Expected[]>();
      for (let i = 0; i < N; i++) {
        if (codecOf(i, N, CODECS) !== codec) continue;
        const pl = placement(i);
        const k = tpKey(pl.topic === 'a' ? TOPIC_A : TOPIC_B, pl.partition);
        const key = keyOf(i);
        const value = valueOf(i);
        const l = lines.get(k) ?? [];
        const e = exp.get(k) ?? [];
        l.push(`${key ?? ''}|${value ?? ''}`);
        e.push({ key, value, headers: '' });
        lines.set(k, l);
        exp.set(k, e);
      }
      for (const [k, ls] of lines) {
        runNo++;
        const [topic = '', p = ''] = k.split('/');
        await produce(
          [
            '-t',
            topic,
            '-p',
            p,
            '-K',
            '|',
            '-Z',
            '-X',
            'acks=all',
            '-X',
            `compression.codec=${codec}`,
            '-H',
            `h-codec=${codec}`,
            '-H',
            `h-run=${runNo}`,
            '-H',
            'h-empty=',
          ],
          ls.join('\n') + '\n',
        );
        const headers = `h-codec=${codec},h-run=${runNo},h-empty=`;
        expected.get(k)?.push(...(exp.get(k) ?? []).map((e) => ({ ...e, headers })));
      }
    }
    // The 1 MiB record, uncompressed, to b/0.
    await produce(
      [
        '-t',
        TOPIC_B,
        '-p',
        '0',
        '-K',
        '|',
        '-X',
        'acks=all',
        '-X',
        'message.max.bytes=4000000',
        '-H',
        'h-big=1',
      ],
      `big|${bigValue().toString('latin1')}\n`,
    );
    expected.get(tpKey(TOPIC_B, 0))?.push({
      key: 'big',
      value: bigValue().toString('latin1'),
      headers: 'h-big=1',
    });
    timings.produce = Date.now() - t0;

    t0 = Date.now();
    const mismatches: string[] = [];
    const partitions: PartitionResult[] = [];
    for (const [k, exp] of expected) {
      const [topic = '', pStr = ''] = k.split('/');
      const p = Number(pStr);
      const got = await consume(topic, p);
      for (let o = 0; o < Math.max(got.length, exp.length); o++) {
        const g = got[o];
        const e = exp[o];
        if (g === undefined || e === undefined) {
          addMismatch(mismatches, `${k}@${o}: ${g ? 'unexpected record' : 'missing record'}`);
          continue;
        }
        if (g.offset !== o) addMismatch(mismatches, `${k}: record ${o} has offset ${g.offset}`);
        if (g.key !== e.key)
          addMismatch(mismatches, `${k}@${o}: key ${String(g.key)} != ${String(e.key)}`);
        if (g.value !== e.value)
          addMismatch(
            mismatches,
            `${k}@${o}: value ${String(g.value?.slice(0, 40))} (${g.value?.length ?? -1}) != ${String(e.value?.slice(0, 40))} (${e.value?.length ?? -1})`,
          );
        if (g.headers !== e.headers)
          addMismatch(mismatches, `${k}@${o}: headers ${g.headers} != ${e.headers}`);
      }
      const earliest = await query(topic, p, -2);
      const latest = await query(topic, p, -1);
      let byTimestamp: PartitionResult['byTimestamp'] = null;
      if (got.length >= 2) {
        const m = Math.floor(got.length / 2);
        const timestamp = (got[m - 1]?.timestamp ?? 0) + 1;
        const expectedOffset = got.findIndex((r) => r.timestamp >= timestamp);
        byTimestamp = {
          timestamp,
          offset: await query(topic, p, timestamp),
          expected: expectedOffset,
        };
      }
      partitions.push({
        topic,
        partition: p,
        acked: exp.length,
        consumed: got.length,
        earliest,
        latest,
        byTimestamp,
      });
    }
    timings.consume = Date.now() - t0;

    const result: CompatResult = {
      client: 'kcat',
      version,
      records: N + 1,
      codecs: [...CODECS],
      partitions,
      mismatches,
      timingsMs: timings,
    };
    expectScenarioPassed(result, N, Date.now() - started);
  }, 300_000);
});
