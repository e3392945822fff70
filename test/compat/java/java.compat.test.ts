/**
 * The Apache Kafka Java client (kafka-clients 3.9.1) against `kafscale dev`: runs CompatJava,
 * which scripts/test-deps.sh compiles into ~/.cache/kafscale/compat/java/classes against the
 * jars test/compat/java/pom.xml fetches into ~/.cache/kafscale/compat/java/lib.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker } from '../support/broker.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectScenarioPassed } from '../support/expect-result.js';
import { cacheDir, recordCount, requireInstalled } from '../support/paths.js';
import { runClient } from '../support/run-client.js';

const N = recordCount(100_000);
const javaDir = process.env.KAFSCALE_COMPAT_JAVA_DIR ?? join(cacheDir, 'compat/java');
let broker: DevBroker;

beforeAll(async () => {
  broker = await startCompatBroker();
});

afterAll(async () => {
  await broker.stop();
});

describe('Java client compatibility', () => {
  it('produces every codec with keys, nulls, headers and a 1 MiB record; reads all back; ListOffsets', async () => {
    requireInstalled(join(javaDir, 'classes/CompatJava.class'), 'CompatJava');
    const level = process.env.KAFSCALE_COMPAT_DEBUG === undefined ? 'warn' : 'debug';
    const { result, wallMs } = await runClient(
      'java',
      [
        `-Dorg.slf4j.simpleLogger.defaultLogLevel=${level}`,
        '-cp',
        `${join(javaDir, 'lib/*')}:${join(javaDir, 'classes')}`,
        'CompatJava',
        broker.bootstrap,
        String(N),
      ],
      { timeoutMs: 280_000 },
    );
    expectScenarioPassed(result, N, wallMs);
  }, 300_000);
});
