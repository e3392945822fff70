/**
 * The config admin APIs with real clients against the embedded broker (`kafscale dev`,
 * in-process): kafkajs' admin (DescribeConfigs v2, AlterConfigs v1), Apache Kafka's Java
 * AdminClient 3.9.1 (IncrementalAlterConfigs v1, DescribeConfigs v4 with synonyms and
 * documentation; java/ConfigsAdmin.java, run in source-launcher mode) and Apache Kafka's
 * `kafka-topics.sh --describe` (org.apache.kafka.tools.TopicCommand, which prints a topic's
 * overrides from DescribeConfigs). The Java jars are the kafka-tools 3.9.1 ones
 * scripts/test-deps.sh installs; `kafka-configs.sh` (kafka.admin.ConfigCommand, in Kafka's
 * core jar) runs in test/compat/kafka-tools/kafka-admin-tools.compat.test.ts. kafkajs' producer
 * and consumer also show max.message.bytes and message.timestamp.type taking effect.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevBroker } from '../../../lib/cli/dev.js';
import { loadConfig } from '../../../lib/config/config.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { createLogger } from '../../../lib/log/logger.js';
import { cacheDir, requireInstalled } from '../../compat/support/paths.js';

const run = promisify(execFile);
const toolsLib = join(
  process.env.KAFSCALE_COMPAT_KAFKA_TOOLS_DIR ?? join(cacheDir, 'compat/kafka-tools'),
  'lib',
);
const javaProgram = fileURLToPath(new URL('java/ConfigsAdmin.java', import.meta.url));

let dir: string;
let broker: DevBroker;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafscale-configs-'));
  broker = await startDev(
    { dataDir: dir, kafkaHost: '127.0.0.1', kafkaPort: 0 },
    loadConfig({ KAFSCALE_METRICS_ADDR: '127.0.0.1:0', KAFSCALE_DEFAULT_PARTITIONS: '2' }),
    createLogger('test', 'silent'),
  );
  kafka = new Kafka({
    clientId: 'configs-test',
    brokers: [`127.0.0.1:${broker.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
  });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      {
        topic: 'configs-kafkajs',
        numPartitions: 1,
        configEntries: [{ name: 'retention.ms', value: '1000' }],
      },
      { topic: 'configs-java', numPartitions: 1 },
    ],
  });
}, 60_000);

afterAll(async () => {
  await admin.disconnect();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
});

async function describeTopic(topic: string) {
  const res = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    includeSynonyms: true,
  });
  const [r] = res.resources;
  return new Map((r?.configEntries ?? []).map((e) => [e.configName, e]));
}

describe('kafkajs admin', () => {
  it('describes a topic: its override and every default', async () => {
    const c = await describeTopic('configs-kafkajs');
    expect(c.size).toBe(36);
    expect(c.get('retention.ms')).toMatchObject({
      configValue: '1000',
      isDefault: false,
      configSource: 1,
      readOnly: false,
    });
    expect(c.get('retention.ms')?.configSynonyms).toEqual([
      { configName: 'retention.ms', configValue: '1000', configSource: 1 },
      { configName: 'log.retention.ms', configValue: '604800000', configSource: 5 },
    ]);
    expect(c.get('cleanup.policy')).toMatchObject({ configValue: 'delete', configSource: 5 });
  });

  it('AlterConfigs replaces every override; DescribeConfigs shows it at once', async () => {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'configs-kafkajs',
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'max.message.bytes', value: '2097152' },
          ],
        },
      ],
    });
    const c = await describeTopic('configs-kafkajs');
    expect(c.get('cleanup.policy')).toMatchObject({ configValue: 'compact', configSource: 1 });
    expect(c.get('max.message.bytes')).toMatchObject({ configValue: '2097152', configSource: 1 });
    // Replaced: retention.ms is back to its default.
    expect(c.get('retention.ms')).toMatchObject({ configValue: '604800000', configSource: 5 });
  });

  it('validateOnly changes nothing; a bad value or unknown name is INVALID_CONFIG', async () => {
    await admin.alterConfigs({
      validateOnly: true,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'configs-kafkajs',
          configEntries: [{ name: 'retention.ms', value: '5' }],
        },
      ],
    });
    expect((await describeTopic('configs-kafkajs')).get('cleanup.policy')?.configValue).toBe(
      'compact',
    );
    for (const entry of [
      { name: 'retention.ms', value: 'soon' },
      { name: 'retention.hours', value: '1' },
    ]) {
      const err: unknown = await admin
        .alterConfigs({
          validateOnly: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: 'configs-kafkajs', configEntries: [entry] },
          ],
        })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ type: 'INVALID_CONFIG' });
    }
  });

  it('describes a broker (read-only settings) and refuses changing it', async () => {
    const res = await admin.describeConfigs({
      resources: [
        {
          type: ConfigResourceTypes.BROKER,
          name: '0',
          configNames: ['num.partitions', 'auto.create.topics.enable'],
        },
      ],
      includeSynonyms: false,
    });
    expect(
      res.resources[0]?.configEntries.map((e) => [e.configName, e.configValue, e.readOnly]),
    ).toEqual([
      ['auto.create.topics.enable', 'true', true],
      ['num.partitions', '2', true],
    ]);
    const err: unknown = await admin
      .alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.BROKER,
            name: '0',
            configEntries: [{ name: 'num.partitions', value: '4' }],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'INVALID_REQUEST' });
  });

  it('UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist', async () => {
    const err: unknown = await admin
      .describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: 'no-such-topic' }],
        includeSynonyms: false,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: KafkaError.UNKNOWN_TOPIC_OR_PARTITION });
  });
});

describe('configs that take effect (kafkajs producer and consumer)', () => {
  const topic = 'configs-effects';

  async function setOverrides(entries: { name: string; value: string }[]): Promise<void> {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: entries }],
    });
  }

  /** Sends until `done` holds for the outcome (the edges' metadata follows an alter shortly). */
  async function sendUntil(
    value: Buffer,
    timestamp: string,
    done: (outcome: unknown) => boolean,
  ): Promise<unknown> {
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        const outcome: unknown = await producer
          .send({ topic, acks: -1, messages: [{ value, timestamp }] })
          .catch((e: unknown) => e);
        if (done(outcome) || attempt === 50) return outcome;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await producer.disconnect();
    }
  }

  it('max.message.bytes: a larger batch is refused with MESSAGE_TOO_LARGE', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await setOverrides([{ name: 'max.message.bytes', value: '1000' }]);
    const refused = await sendUntil(Buffer.alloc(2000, 1), '1000', (o) => o instanceof Error);
    expect(refused).toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    // Within the limit, the same producer settings succeed.
    const fits = await sendUntil(Buffer.alloc(100, 1), '1000', (o) => Array.isArray(o));
    expect(fits).toMatchObject([{ errorCode: 0, logAppendTime: '-1' }]);
  }, 60_000);

  it('message.timestamp.type=LogAppendTime: records carry the append time the producer was told', async () => {
    await setOverrides([{ name: 'message.timestamp.type', value: 'LogAppendTime' }]);
    const before = Date.now();
    const sent = await sendUntil(
      Buffer.from('stamped'),
      '1000',
      (o) => Array.isArray(o) && (o as { logAppendTime: string }[])[0]?.logAppendTime !== '-1',
    );
    const after = Date.now();
    const [meta] = sent as { baseOffset: string; logAppendTime: string }[];
    const appendTime = Number(meta?.logAppendTime);
    expect(appendTime).toBeGreaterThanOrEqual(before);
    expect(appendTime).toBeLessThanOrEqual(after);

    const consumer = kafka.consumer({ groupId: 'configs-effects-reader' });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const read = new Promise<{ offset: string; timestamp: string }[]>((resolve) => {
      const seen: { offset: string; timestamp: string }[] = [];
      void consumer.run({
        eachMessage: ({ message }) => {
          seen.push({ offset: message.offset, timestamp: message.timestamp });
          if (message.offset === meta?.baseOffset) resolve(seen);
          return Promise.resolve();
        },
      });
    });
    const records = await read;
    await consumer.disconnect();
    // The CreateTime record keeps the producer's timestamp; the stamped one the append time.
    expect(records[0]).toEqual({ offset: '0', timestamp: '1000' });
    expect(records.at(-1)).toEqual({ offset: meta?.baseOffset, timestamp: String(appendTime) });
  }, 60_000);
});

describe("Apache Kafka's Java AdminClient and kafka-topics", () => {
  async function java(mainClassOrFile: string, args: readonly string[]): Promise<string> {
    requireInstalled(toolsLib, 'kafka-tools 3.9.1 (Java AdminClient and tools)');
    const { stdout } = await run(
      'java',
      [
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        '-cp',
        join(toolsLib, '*'),
        mainClassOrFile,
        ...args,
      ],
      { timeout: 120_000 },
    );
    return stdout;
  }

  it('IncrementalAlterConfigs and DescribeConfigs v4 through the Java AdminClient', async () => {
    const out = await java(javaProgram, [`127.0.0.1:${broker.port}`, 'configs-java']);
    const steps = new Map(
      out
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
    );
    expect(steps.get('validate-only')).toBe('ok');
    expect(steps.get('incremental')).toBe('ok');
    const topic = steps.get('describe-topic') ?? '';
    expect(topic).toMatch(/^36 \| /);
    expect(topic).toContain(
      'retention.ms=3600000 source=DYNAMIC_TOPIC_CONFIG readOnly=false type=LONG ' +
        'synonyms=[DYNAMIC_TOPIC_CONFIG:retention.ms=3600000,DEFAULT_CONFIG:log.retention.ms=604800000]',
    );
    expect(topic).toContain(
      'cleanup.policy=delete,compact source=DYNAMIC_TOPIC_CONFIG readOnly=false type=LIST',
    );
    expect(topic).toContain(
      'max.message.bytes=1048588 source=DEFAULT_CONFIG readOnly=false type=INT ' +
        'synonyms=[DEFAULT_CONFIG:message.max.bytes=1048588]',
    );
    expect(topic).not.toContain('doc=none');
    expect(steps.get('unknown-config')).toMatch(
      /^ERROR InvalidConfigurationException: Unknown topic config name: "retention.hours"/,
    );
    expect(steps.get('append-not-list')).toBe(
      "ERROR InvalidConfigurationException: Can't APPEND to key retention.ms because its type is not LIST.",
    );
    expect(steps.get('describe-broker')).toContain(
      'num.partitions=2 source=STATIC_BROKER_CONFIG readOnly=true type=INT ' +
        'synonyms=[STATIC_BROKER_CONFIG:num.partitions=2,DEFAULT_CONFIG:num.partitions=1]',
    );
    expect(steps.get('describe-broker')).toContain(
      'log.retention.ms=604800000 source=DEFAULT_CONFIG readOnly=true type=LONG',
    );
    expect(steps.get('alter-broker')).toMatch(
      /^ERROR InvalidRequestException: Cannot update these configs dynamically: "log.retention.ms"/,
    );
    expect(steps.get('missing-topic')).toMatch(/^ERROR UnknownTopicOrPartitionException/);
  }, 180_000);

  it('kafka-topics --describe prints the overrides (and --topics-with-overrides finds them)', async () => {
    const tool = 'org.apache.kafka.tools.TopicCommand';
    const bootstrap = ['--bootstrap-server', `127.0.0.1:${broker.port}`];
    const one = await java(tool, [...bootstrap, '--describe', '--topic', 'configs-kafkajs']);
    expect(one).toMatch(
      /Topic: configs-kafkajs\s.*Configs: cleanup\.policy=compact,max\.message\.bytes=2097152/,
    );
    const overridden = await java(tool, [...bootstrap, '--describe', '--topics-with-overrides']);
    expect(overridden).toContain('Topic: configs-kafkajs');
  }, 180_000);
});
