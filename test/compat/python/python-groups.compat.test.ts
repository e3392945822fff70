/**
 * confluent-kafka-python (librdkafka) consumer groups against the broker: runs groups.py (3
 * members with librdkafka's default range,roundrobin assignors, a 4th joins, one leaves,
 * commits across a restart, the AdminClient group calls) and checks every check it reports
 * (support/group-result.ts). Records: KAFSCALE_COMPAT_GROUP_RECORDS, else
 * KAFSCALE_COMPAT_RECORDS, else 20,000.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker, stopCompatBroker } from '../support/broker.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectGroupChecksPassed, toGroupResult } from '../support/group-result.js';
import { cacheDir, recordCount, requireInstalled } from '../support/paths.js';
import { runClient } from '../support/run-client.js';

const N = Number(process.env.KAFSCALE_COMPAT_GROUP_RECORDS ?? '') || recordCount(20_000);
let broker: DevBroker;

beforeAll(async () => {
  broker = await startCompatBroker();
});

afterAll(async () => {
  await stopCompatBroker(broker);
});

describe('confluent-kafka-python consumer groups', () => {
  it('3-4 members share 12 partitions exactly once, commits survive a restart, AdminClient group APIs', async () => {
    const python = requireInstalled(
      join(cacheDir, 'compat/python/bin/python'),
      'the confluent-kafka venv',
    );
    const { result, wallMs } = await runClient(
      python,
      [join(import.meta.dirname, 'groups.py'), broker.bootstrap, String(N)],
      { timeoutMs: 420_000 },
    );
    expectGroupChecksPassed(toGroupResult(result), { wallMs });
  }, 450_000);
});
