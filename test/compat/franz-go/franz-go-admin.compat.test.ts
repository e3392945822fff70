/**
 * franz-go (kadm, and kmsg where kadm has no call) admin APIs against the broker: runs the
 * program scripts/test-deps.sh builds from test/compat/franz-go/admin/main.go into
 * ~/.cache/kafscale/bin/compat-franz-go-admin (CreateTopics with configs, DescribeConfigs for
 * a topic and a broker, IncrementalAlterConfigs and AlterConfigs, CreatePartitions,
 * ListOffsets, OffsetForLeaderEpoch, DescribeProducers, DeleteRecords, DescribeCluster,
 * ElectLeaders, DeleteTopics, then max.message.bytes and LogAppendTime taking effect) and
 * checks every check it reports (support/group-result.ts).
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

describe('franz-go admin APIs', () => {
  it('configs, partitions, offsets, DeleteRecords, cluster, elections and topic deletion', async () => {
    const bin = requireInstalled(
      process.env.KAFSCALE_COMPAT_FRANZ_GO_ADMIN_BIN ?? join(cacheDir, 'bin/compat-franz-go-admin'),
      'compat-franz-go-admin',
    );
    const { result, wallMs } = await runClient(bin, [broker.bootstrap], { timeoutMs: 120_000 });
    expectGroupChecksPassed(toGroupResult(result), { wallMs });
  }, 150_000);
});
