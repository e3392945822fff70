/**
 * Runs test/compat/franz-go/security/main.go (built by scripts/test-deps.sh into
 * ~/.cache/kafscale/bin/compat-franz-go-security) against a secured stack, trusting the
 * stack's CA, and checks the two outcomes on the SSL listener: an mTLS client that gets in,
 * and a client refused cleanly.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SecuredStack } from '../../support/secured-stack.js';
import { scrape } from '../../support/scrape-metrics.js';
import { expectGroupChecksPassed, toGroupResult } from '../support/group-result.js';
import { cacheDir, requireInstalled } from '../support/paths.js';
import { runClient, type ClientRun } from '../support/run-client.js';

/** The checks of a run that gets in (see main.go). */
export const RUN_CHECKS = [
  'create topic',
  'list topics',
  'advertised address',
  'produce',
  'consume in group',
  'committed offsets',
];

/** The program's path; throws (never skips) when it is not built. */
export function franzGoSecurityBin(): string {
  return requireInstalled(
    process.env.KAFSCALE_COMPAT_FRANZ_GO_SECURITY_BIN ??
      join(cacheDir, 'bin/compat-franz-go-security'),
    'compat-franz-go-security',
  );
}

/** One run; `password` reaches it in KAFSCALE_COMPAT_SASL_PASSWORD, never in argv. */
export function runFranzGoSecurity(
  stack: SecuredStack,
  args: readonly string[],
  password = '',
): Promise<ClientRun> {
  return runClient(franzGoSecurityBin(), ['-ca', stack.certs.caCert, ...args], {
    timeoutMs: 90_000,
    env: { KAFSCALE_COMPAT_SASL_PASSWORD: password },
  });
}

/** kafscale_tls_handshake_failures_total of the SSL listener (0 before the first). */
export async function sslHandshakeFailures(stack: SecuredStack): Promise<number> {
  const metrics = await scrape(stack.edge.metricsPort);
  return Number(
    /kafscale_tls_handshake_failures_total\{listener="SSL"\} (\d+)/.exec(metrics)?.[1] ?? 0,
  );
}

/** The test certificate `name` (client, rogue, expired) as -cert/-key arguments; none: []. */
export function certificateArgs(stack: SecuredStack, name: string | undefined): string[] {
  if (name === undefined) return [];
  return [
    '-cert',
    join(stack.certs.dir, `${name}.pem`),
    '-key',
    join(stack.certs.dir, `${name}.key`),
  ];
}

/**
 * mTLS on the SSL listener with the CA-signed client certificate: every run check passes and
 * the edge's request log names the certificate's subject as the principal.
 */
export async function expectMtlsRunPasses(
  stack: SecuredStack,
  topic: string,
  records: number,
): Promise<void> {
  const { result, wallMs } = await runFranzGoSecurity(stack, [
    ...certificateArgs(stack, 'client'),
    stack.addresses.SSL ?? '',
    topic,
    String(records),
  ]);
  expectGroupChecksPassed(toGroupResult(result), { required: RUN_CHECKS, wallMs });
  expect(stack.logs()).toContain('"principal":"User:CN=alice,O=Kafscale Test,C=NL"');
}

/**
 * A client on the SSL listener with certificate `name` (or none) is refused cleanly: its
 * admin call and its produce fail, the topic is not created, the edge counts a TLS handshake
 * failure, logs a line matching `logged`, and is still running.
 */
export async function expectSslClientRefused(
  stack: SecuredStack,
  name: string | undefined,
  topic: string,
  logged: RegExp,
): Promise<void> {
  const before = await sslHandshakeFailures(stack);
  const { result } = await runFranzGoSecurity(stack, [
    ...certificateArgs(stack, name),
    '-expect-refused',
    stack.addresses.SSL ?? '',
    topic,
    '1',
  ]);
  expectGroupChecksPassed(toGroupResult(result), {
    required: ['list topics refused', 'produce refused'],
  });
  expect(await stack.topicNames()).not.toContain(topic);
  expect(await sslHandshakeFailures(stack)).toBeGreaterThan(before);
  expect(stack.logs()).toMatch(logged);
  expect(stack.edge.process.exitStatus()).toBeUndefined();
}
