/**
 * confluent-kafka-python (librdkafka) admin APIs against the broker: runs admin.py
 * (create_topics with configs, describe_configs for a topic and a broker,
 * incremental_alter_configs and alter_configs, create_partitions, list_offsets,
 * delete_records, describe_cluster, elect_leaders, delete_topics, then max.message.bytes and
 * LogAppendTime taking effect) and checks every check it reports (support/group-result.ts).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker, stopCompatBroker } from '../support/broker.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectGroupChecksPassed, toGroupResult } from '../support/group-result.js';
import { cacheDir, requireInstalled } from '../support/paths.js';
import { runClient } from '../support/run-client.js';

let broker: DevBroker;

beforeAll(async () => {
  broker = await startCompatBroker();
});

afterAll(async () => {
  await stopCompatBroker(broker);
});

describe('confluent-kafka-python admin APIs', () => {
  it('configs, partitions, offsets, DeleteRecords, cluster, elections and topic deletion', async () => {
    const python = requireInstalled(
      join(cacheDir, 'compat/python/bin/python'),
      'the confluent-kafka venv',
    );
    const { result, wallMs } = await runClient(
      python,
      [join(import.meta.dirname, 'admin.py'), broker.bootstrap],
      { timeoutMs: 120_000 },
    );
    expectGroupChecksPassed(toGroupResult(result), { wallMs });
  }, 150_000);
});
