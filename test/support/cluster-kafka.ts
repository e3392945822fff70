/**
 * A kafkajs client for a test cluster's edge (quiet, 30 s requests unless told, and no client
 * retries, so every outcome of a send is seen), and topic creation through it.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Cluster } from '../fixtures/kafscale-cluster.js';

export function clusterKafka(cluster: Cluster, clientId: string, requestTimeoutMs = 30_000): Kafka {
  return new Kafka({
    brokers: [`127.0.0.1:${cluster.edge.port}`],
    clientId,
    logLevel: logLevel.NOTHING,
    requestTimeout: requestTimeoutMs,
    retry: { retries: 0 },
  });
}

export async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  } finally {
    await admin.disconnect();
  }
}
