/**
 * franz-go (kgo + kadm) consumer groups against the broker: runs the program
 * scripts/test-deps.sh builds from test/compat/franz-go/groups/main.go into
 * ~/.cache/kafscale/bin/compat-franz-go-groups (3 members with kgo's default cooperative-sticky
 * balancer, a 4th joins, one leaves, commits across a restart, the kadm group calls) and
 * checks every check it reports (support/group-result.ts). Records:
 * KAFSCALE_COMPAT_GROUP_RECORDS, else KAFSCALE_COMPAT_RECORDS, else 20,000.
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

describe('franz-go consumer groups', () => {
  it('3-4 members share 12 partitions exactly once, commits survive a restart, kadm group APIs', async () => {
    const bin = requireInstalled(
      process.env.KAFSCALE_COMPAT_FRANZ_GO_GROUPS_BIN ??
        join(cacheDir, 'bin/compat-franz-go-groups'),
      'compat-franz-go-groups',
    );
    const { result, wallMs } = await runClient(bin, [broker.bootstrap, String(N)], {
      timeoutMs: 420_000,
    });
    expectGroupChecksPassed(toGroupResult(result), { wallMs });
  }, 450_000);
});
