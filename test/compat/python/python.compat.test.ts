/**
 * confluent-kafka-python (PyPI wheel with its bundled librdkafka, in the venv that
 * scripts/test-deps.sh makes) against `kafscale dev`: runs compat.py and checks its result.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker } from '../support/broker.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectScenarioPassed } from '../support/expect-result.js';
import { cacheDir, recordCount, requireInstalled } from '../support/paths.js';
import { runClient } from '../support/run-client.js';

const N = recordCount(100_000);
let broker: DevBroker;

beforeAll(async () => {
  broker = await startCompatBroker();
});

afterAll(async () => {
  await broker.stop();
});

describe('confluent-kafka-python compatibility', () => {
  it('produces every codec with keys, nulls, headers and a 1 MiB record; reads all back; ListOffsets', async () => {
    const python = requireInstalled(
      join(cacheDir, 'compat/python/bin/python'),
      'the confluent-kafka venv',
    );
    const { result, wallMs } = await runClient(
      python,
      [join(import.meta.dirname, 'compat.py'), broker.bootstrap, String(N)],
      { timeoutMs: 280_000 },
    );
    expectScenarioPassed(result, N, wallMs);
  }, 300_000);
});
