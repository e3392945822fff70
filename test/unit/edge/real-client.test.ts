import { afterAll, beforeAll, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { FixedStorageClients } from '../../../edge/src/routing/storage-clients.js';
import { StaticClusterView } from '../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../edge/src/edge.js';
import { startKafkaServer, type KafkaServer } from '../../../edge/src/server/kafka-server.js';

let server: KafkaServer;
const self = { nodeId: 0, host: '127.0.0.1', port: 0, rack: null };

beforeAll(async () => {
  server = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    buildRegistry({
      cluster: new StaticClusterView('real-client-test', self),
      storage: new FixedStorageClients(new Map()),
    }),
    { maxRequestBytes: 1024 * 1024, inflightBytes: 1024 * 1024 },
    pino({ level: 'silent' }),
  );
  self.port = server.port;
});

afterAll(async () => {
  await server.close();
});

it('kafkajs connects, negotiates versions and describes the cluster', async () => {
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${server.port}`],
    clientId: 'kafkajs-test',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const cluster = await admin.describeCluster();
  expect(cluster).toEqual({
    brokers: [{ nodeId: 0, host: '127.0.0.1', port: server.port }],
    controller: 0,
    clusterId: 'real-client-test',
  });
  expect(await admin.listTopics()).toEqual([]);
  await admin.disconnect();
});
