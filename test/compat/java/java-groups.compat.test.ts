/**
 * The Apache Kafka Java client (kafka-clients 3.9.1) consumer groups against the broker: runs
 * CompatJavaGroups (eager and cooperative-sticky groups that grow and shrink, commits across a
 * restart, the Admin group calls, eviction of a killed member), which scripts/test-deps.sh
 * compiles next to CompatJava, and checks every check it reports (support/group-result.ts).
 * Records: KAFSCALE_COMPAT_GROUP_RECORDS, else KAFSCALE_COMPAT_RECORDS, else 20,000.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCompatBroker, stopCompatBroker } from '../support/broker.js';
import type { DevBroker } from '../support/dev-broker.js';
import { expectGroupChecksPassed, toGroupResult } from '../support/group-result.js';
import { cacheDir, recordCount, requireInstalled } from '../support/paths.js';
import { runClient } from '../support/run-client.js';

const N = Number(process.env.KAFSCALE_COMPAT_GROUP_RECORDS ?? '') || recordCount(20_000);
const javaDir = process.env.KAFSCALE_COMPAT_JAVA_DIR ?? join(cacheDir, 'compat/java');
/** The program's own budget: it skips what is left and prints its result before the test times out. */
const BUDGET_S = 200;
let broker: DevBroker;

beforeAll(async () => {
  // Kafka's default 3 s wait before the first rebalance of an empty group only slows the test
  // (set KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS to run with another).
  broker = await startCompatBroker({
    env: {
      KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS:
        process.env.KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS ?? '500',
    },
  });
});

afterAll(async () => {
  await stopCompatBroker(broker);
});

describe('Java client consumer groups', () => {
  it('eager and cooperative groups share 12 partitions exactly once, commits survive a restart, Admin group APIs, eviction', async () => {
    requireInstalled(join(javaDir, 'classes/CompatJavaGroups.class'), 'CompatJavaGroups');
    const level = process.env.KAFSCALE_COMPAT_DEBUG === undefined ? 'warn' : 'debug';
    const { result, wallMs } = await runClient(
      'java',
      [
        `-Dorg.slf4j.simpleLogger.defaultLogLevel=${level}`,
        '-cp',
        `${join(javaDir, 'lib/*')}:${join(javaDir, 'classes')}`,
        'CompatJavaGroups',
        broker.bootstrap,
        String(N),
        String(BUDGET_S),
      ],
      { timeoutMs: (BUDGET_S + 30) * 1000 },
    );
    expectGroupChecksPassed(toGroupResult(result), { wallMs });
  }, 240_000);
});
