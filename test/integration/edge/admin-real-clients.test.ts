/**
 * The admin APIs CreatePartitions (37), DescribeCluster (60) and ElectLeaders (43) with
 * real clients against the embedded broker (controlplane, storage node and edge in this
 * process): kafkajs adds partitions, produces to a new one with no retries right after the
 * call returns and consumes it back, and describes the cluster; Apache Kafka's own tools
 * (kafka-tools 3.9.1, run with `java -cp` over the jars scripts/test-deps.sh puts in
 * ~/.cache/kafscale/compat/kafka-tools/lib) run kafka-topics --alter, kafka-leader-election
 * and kafka-cluster cluster-id. The Java checks are skipped when java or the jars are absent.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevBroker } from '../../../lib/cli/dev.js';
import { loadConfig } from '../../../lib/config/config.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  createPartitionsApi,
  defaultProduceRequest,
  produceApi,
  type CreatePartitionsResponse,
  type ProduceResponse,
} from '../../../lib/kafka/gen/index.js';
import { createLogger } from '../../../lib/log/logger.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';
import { batchOf } from '../../support/storage-harness.js';

const toolsLib = join(
  process.env.KAFSCALE_CACHE_DIR ?? join(homedir(), '.cache/kafscale'),
  'compat/kafka-tools/lib',
);
const haveJava = existsSync(join(toolsLib, 'kafka-tools-3.9.1.jar')) && existsSync('/usr/bin/java');

let dir: string;
let broker: DevBroker;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafscale-admin-real-clients-'));
  const config = loadConfig({
    KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
    KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  });
  broker = await startDev(
    { dataDir: dir, kafkaHost: '127.0.0.1', kafkaPort: 0 },
    config,
    createLogger('test', 'silent'),
  );
  kafka = new Kafka({
    clientId: 'admin-real-clients',
    brokers: [`127.0.0.1:${broker.port}`],
    logLevel: logLevel.NOTHING,
  });
  admin = kafka.admin();
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await admin.disconnect();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
});

interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const bootstrap = () => ['--bootstrap-server', `127.0.0.1:${broker.port}`];

/** Runs one kafka-tools class; never rejects on a non-zero exit. */
function runTool(tool: string, args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      'java',
      [
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        '-cp',
        join(toolsLib, '*'),
        `org.apache.kafka.tools.${tool}`,
        ...args,
      ],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function partitionCount(topic: string): Promise<number> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return topics[0]?.partitions.length ?? 0;
}

describe('CreatePartitions with kafkajs', () => {
  it('adds partitions that take a produce at once and are consumed back', async () => {
    await admin.createTopics({
      topics: [{ topic: 'grow', numPartitions: 2 }],
      waitForLeaders: true,
    });
    await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 4 }] });

    // A fresh producer that may not retry: the new partition must be writable right away.
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    const [sent] = await producer.send({
      topic: 'grow',
      messages: [{ partition: 3, key: 'k', value: 'in-new-partition' }],
    });
    await producer.disconnect();
    expect([sent?.partition, sent?.errorCode, sent?.baseOffset]).toEqual([3, 0, '0']);
    expect(await partitionCount('grow')).toBe(4);

    const consumer = kafka.consumer({ groupId: 'admin-real-clients-g', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'grow', fromBeginning: true });
    const got = await new Promise<{ partition: number; value: string }>((resolve) => {
      void consumer.run({
        eachMessage: ({ partition, message }) => {
          resolve({ partition, value: message.value?.toString() ?? '' });
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(got).toEqual({ partition: 3, value: 'in-new-partition' });
  });

  it('refuses a count that is not an increase (kafkajs shows its own message)', async () => {
    await admin.createTopics({ topics: [{ topic: 'fixed', numPartitions: 3 }] });
    const err = await admin
      .createPartitions({ topicPartitions: [{ topic: 'fixed', count: 2 }] })
      .catch((e: unknown) => e);
    expect((err as { type?: string }).type).toBe('INVALID_PARTITIONS');
    expect(await partitionCount('fixed')).toBe(3);
  });

  it('validates only without adding partitions', async () => {
    await admin.createTopics({ topics: [{ topic: 'dry', numPartitions: 1 }] });
    await admin.createPartitions({
      validateOnly: true,
      topicPartitions: [{ topic: 'dry', count: 5 }],
    });
    expect(await partitionCount('dry')).toBe(1);
  });
});

describe('CreatePartitions on the wire', () => {
  it.each([0, 3])(
    'v%i: a produce sent the moment the response arrives lands in the new partition',
    async (v) => {
      const topic = `wire-grow-${v}`;
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const client = await RawKafkaClient.connect(broker.port);
      try {
        const created = await client.request<CreatePartitionsResponse>(createPartitionsApi, v, {
          topics: [{ name: topic, count: 3, assignments: null }],
          timeoutMs: 10_000,
          validateOnly: false,
        });
        expect(created.results).toEqual([{ name: topic, errorCode: 0, errorMessage: null }]);
        const produced = await client.request<ProduceResponse>(produceApi, 9, {
          ...defaultProduceRequest(),
          acks: -1,
          timeoutMs: 10_000,
          topicData: [{ name: topic, partitionData: [{ index: 2, records: batchOf('x') }] }],
        });
        const p = produced.responses[0]?.partitionResponses[0];
        expect([p?.index, p?.errorCode, p?.baseOffset]).toEqual([2, KafkaError.NONE, 0n]);
      } finally {
        client.close();
      }
    },
  );
});

describe('DescribeCluster with kafkajs', () => {
  it('describes the one edge as broker and controller', async () => {
    const described = await admin.describeCluster();
    expect(described.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: broker.port }]);
    expect(described.controller).toBe(0);
    expect(described.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe.skipIf(!haveJava)("Apache Kafka's tools (kafka-tools 3.9.1)", () => {
  it('kafka-topics --alter --partitions adds partitions and refuses a decrease', async () => {
    await admin.createTopics({ topics: [{ topic: 'tool-grow', numPartitions: 1 }] });
    const up = await runTool('TopicCommand', [
      ...bootstrap(),
      '--alter',
      '--topic',
      'tool-grow',
      '--partitions',
      '3',
    ]);
    expect(up.code, up.stderr).toBe(0);
    expect(await partitionCount('tool-grow')).toBe(3);
    const down = await runTool('TopicCommand', [
      ...bootstrap(),
      '--alter',
      '--topic',
      'tool-grow',
      '--partitions',
      '2',
    ]);
    expect(down.code).toBe(1);
    expect(down.stdout + down.stderr).toContain(
      'The topic tool-grow currently has 3 partition(s); 2 would not be an increase.',
    );
  });

  it('kafka-leader-election: no election is needed anywhere', async () => {
    const all = await runTool('LeaderElectionCommand', [
      ...bootstrap(),
      '--election-type',
      'preferred',
      '--all-topic-partitions',
    ]);
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stdout).not.toContain('Error');
    const one = await runTool('LeaderElectionCommand', [
      ...bootstrap(),
      '--election-type',
      'preferred',
      '--topic',
      'grow',
      '--partition',
      '3',
    ]);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(one.stdout).toContain('Valid replica already elected for partitions grow-3');
    const unknown = await runTool('LeaderElectionCommand', [
      ...bootstrap(),
      '--election-type',
      'unclean',
      '--topic',
      'no-such-topic',
      '--partition',
      '0',
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout + unknown.stderr).toContain('no-such-topic-0');
  });

  it('kafka-cluster cluster-id prints the cluster id', async () => {
    const { clusterId } = await admin.describeCluster();
    const run = await runTool('ClusterTool', ['cluster-id', ...bootstrap()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(`Cluster ID: ${clusterId}`);
  });
});
