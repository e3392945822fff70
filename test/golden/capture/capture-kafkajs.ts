/**
 * Re-captures test/golden/kafkajs: runs kafkajs (from node_modules) against the capture
 * broker: admin createTopics/fetchTopicMetadata, a gzip producer with keys and headers, a
 * consumer in a group (join, sync, fetch, commit), then admin describeGroups/listGroups.
 * Run: npx tsx test/golden/capture/capture-kafkajs.ts
 */
import kafkajs from 'kafkajs';
import { startCaptureBroker } from './capture-broker.js';

const { Kafka, CompressionTypes, logLevel } = kafkajs;

export const KAFKAJS_CLIENT_ID = 'golden-kafkajs';
const TOPIC = 'golden-topic';
const GROUP = 'golden-group';
const DELETED_TOPIC = 'golden-topic-to-delete';

const broker = await startCaptureBroker({ client: 'kafkajs' });
const kafka = new Kafka({
  clientId: KAFKAJS_CLIENT_ID,
  brokers: [broker.bootstrap],
  logLevel: logLevel.WARN,
  retry: { retries: 2 },
});

try {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: TOPIC, numPartitions: 3, replicationFactor: 1 },
      { topic: DELETED_TOPIC, numPartitions: 1, replicationFactor: 1 },
    ],
  });
  const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
  process.stderr.write(`metadata: ${JSON.stringify(meta)}\n`);

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    acks: -1,
    compression: CompressionTypes.GZIP,
    messages: [
      { key: 'key-1', value: 'golden-1', headers: { h1: 'v1' }, partition: 0 },
      { key: 'key-2', value: 'golden-2', headers: { h2: 'v2' }, partition: 0 },
    ],
  });
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: [{ key: 'key-3', value: 'golden-3', headers: { h3: 'v3' }, partition: 1 }],
  });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: GROUP, heartbeatInterval: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`consumer saw ${seen} of 3 messages`));
    }, 30_000);
    consumer
      .run({
        autoCommit: true,
        autoCommitThreshold: 1,
        eachMessage: ({ partition, message }) => {
          seen += 1;
          process.stderr.write(
            `consumed ${partition}/${message.offset} ${String(message.key)} ${String(message.value)}\n`,
          );
          if (seen >= 3) {
            clearTimeout(timer);
            setTimeout(resolve, 1000); // let a commit and a heartbeat go out
          }
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();

  const groups = await admin.describeGroups([GROUP]);
  process.stderr.write(`groups: ${JSON.stringify(groups)}\n`);
  await admin.listGroups();
  await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
  await admin.deleteTopics({ topics: [DELETED_TOPIC] });
  await admin.disconnect();
} finally {
  await broker.close();
}
process.stderr.write(`wrote ${broker.written.length} fixtures: ${broker.written.join(' ')}\n`);
