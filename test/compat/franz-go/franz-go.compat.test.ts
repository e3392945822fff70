/**
 * franz-go (kgo + kadm) against `kafscale dev`: runs the program scripts/test-deps.sh builds
 * from test/compat/franz-go/main.go into ~/.cache/kafscale/bin/compat-franz-go.
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

describe('franz-go compatibility', () => {
  it('produces every codec with keys, nulls, headers and a 1 MiB record; reads all back; ListOffsets', async () => {
    const bin = requireInstalled(
      process.env.KAFSCALE_COMPAT_FRANZ_GO_BIN ?? join(cacheDir, 'bin/compat-franz-go'),
      'compat-franz-go',
    );
    const { result, wallMs } = await runClient(bin, [broker.bootstrap, String(N)], {
      timeoutMs: 280_000,
    });
    expectScenarioPassed(result, N, wallMs);
  }, 300_000);
});
