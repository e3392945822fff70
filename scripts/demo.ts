/**
 * `npm run demo`: the embedded default (`kafscale dev`) with a steady trickle of sample
 * records on a demo topic, read by a consumer group, so that every figure of the console
 * and the metrics moves. Prints where everything is and stops cleanly on Ctrl+C.
 *
 * With KAFSCALE_ETCD_ENDPOINTS and the KAFSCALE_S3_* variables set, the same command runs
 * on that etcd and S3 (kafscale dev does). Settings: KAFSCALE_DEMO_KAFKA_PORT (9092),
 * KAFSCALE_DEMO_RECORDS_PER_SECOND (20), and every KAFSCALE_* variable of
 * docs/configuration.md.
 */
import { resolve } from 'node:path';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { startDev } from '../lib/cli/dev.js';
import { loadConfig } from '../lib/config/config.js';
import { ConfigError } from '../lib/config/config-error.js';
import { parseInteger, parsePort } from '../lib/config/parsers.js';
import { createLogger } from '../lib/log/logger.js';

const TOPIC = 'demo-orders';
const GROUP = 'demo-billing';
const PARTITIONS = 3;

interface DemoSettings {
  readonly kafkaPort: number;
  readonly recordsPerSecond: number;
}

function demoSettings(env: NodeJS.ProcessEnv): DemoSettings {
  const port = env.KAFSCALE_DEMO_KAFKA_PORT;
  const rate = env.KAFSCALE_DEMO_RECORDS_PER_SECOND;
  return {
    kafkaPort: port === undefined ? 9092 : parsePort('KAFSCALE_DEMO_KAFKA_PORT', port),
    recordsPerSecond:
      rate === undefined ? 20 : parseInteger('KAFSCALE_DEMO_RECORDS_PER_SECOND', rate, 1, 10_000),
  };
}

/** Sends `recordsPerSecond` sample orders a second, in ten sends, until stopped. */
function trickle(producer: Producer, recordsPerSecond: number): () => void {
  let sequence = 0;
  const perSend = Math.max(1, Math.round(recordsPerSecond / 10));
  const timer = setInterval(() => {
    const messages = Array.from({ length: perSend }, () => {
      const n = sequence++;
      return {
        key: `customer-${n % 17}`,
        value: JSON.stringify({ order: n, amount: (n * 37) % 500, at: new Date().toISOString() }),
      };
    });
    producer.send({ topic: TOPIC, messages }).catch((e: unknown) => {
      process.stderr.write(`demo: a send failed: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  }, 100);
  return () => {
    clearInterval(timer);
  };
}

async function main(): Promise<void> {
  let settings: DemoSettings;
  let config;
  try {
    settings = demoSettings(process.env);
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`demo: bad configuration: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger('demo', config.logLevel);
  const broker = await startDev(
    {
      dataDir: resolve('kafscale-data'),
      kafkaHost: '127.0.0.1',
      kafkaPort: settings.kafkaPort,
      adminAddr: config.controlplaneAddr,
      consoleAddr: config.console.addr,
    },
    config,
    log,
  );
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${broker.port}`],
    clientId: 'kafscale-demo',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  await admin.disconnect();

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const consumer: Consumer = kafka.consumer({ groupId: GROUP });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: false });
  let consumed = 0;
  await consumer.run({
    eachMessage: async () => {
      consumed++;
      await Promise.resolve();
    },
  });
  const stopTrickle = trickle(producer, settings.recordsPerSecond);

  process.stdout.write(
    [
      `kafscale demo: ${broker.stores}`,
      `  Kafka:      127.0.0.1:${broker.port} (topic ${TOPIC}, group ${GROUP}, ${settings.recordsPerSecond} records/s)`,
      `  console:    ${broker.consoleUrl ?? 'not served'}`,
      `  metrics:    http://127.0.0.1:${broker.metricsPort}/metrics`,
      `  admin API:  127.0.0.1:${broker.adminPort ?? '-'} (try: KAFSCALE_CONTROLPLANE_URL=127.0.0.1:${broker.adminPort ?? '-'} npx kafscale groups describe ${GROUP})`,
      '  Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nkafscale demo: stopping (${consumed} records consumed)\n`);
    stopTrickle();
    void (async () => {
      await consumer.disconnect();
      await producer.disconnect();
      await broker.stop();
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`demo: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
