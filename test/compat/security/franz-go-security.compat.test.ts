/**
 * franz-go (kgo + kadm) over TLS against the real stack (support/secured-stack.ts), one edge
 * serving INTERNAL (PLAINTEXT), SASL_SSL (SCRAM-SHA-256 and SCRAM-SHA-512) and SSL, with
 * KAFSCALE_TLS_CLIENT_AUTH=requested (a client certificate is checked when one is presented).
 * Runs the program scripts/test-deps.sh builds from test/compat/franz-go/security/main.go
 * into ~/.cache/kafscale/bin/compat-franz-go-security.
 * 1. SCRAM-SHA-256 and SCRAM-SHA-512 over SASL_SSL: kadm AlterUserSCRAMs creates the user
 *    over INTERNAL, then as that user kadm creates and lists a topic, Metadata advertises the
 *    SASL_SSL address, records are produced (acks=all), consumed in a group and committed
 *    (kadm FetchOffsets); the edge's request log names the principal User:<name>.
 * 2. mTLS over SSL with a client certificate the CA signed: the same steps; the edge's
 *    request log names the principal from the certificate subject, Kafka's form.
 * 3. Refused cleanly (the edge logs why and counts a TLS handshake failure, stays up, and
 *    no topic is created): a client certificate from an untrusted CA and one the trusted CA
 *    signed that has expired. The program presents its certificate whatever CAs the server
 *    names; left to itself crypto/tls would send none and connect anonymously, which
 *    `requested` allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecuredStack, type SecuredStack } from '../../support/secured-stack.js';
import { expectGroupChecksPassed, toGroupResult } from '../support/group-result.js';
import {
  expectMtlsRunPasses,
  expectSslClientRefused,
  franzGoSecurityBin,
  RUN_CHECKS,
  runFranzGoSecurity,
} from './franz-go-security-client.js';

const RECORDS = 50;
const SCRAM_PASSWORD = 'franz-Planted-4be81d';
let stack: SecuredStack;

const franzGo = (args: readonly string[]) => runFranzGoSecurity(stack, args, SCRAM_PASSWORD);

beforeAll(async () => {
  franzGoSecurityBin();
  stack = await startSecuredStack({
    listeners: 'INTERNAL://127.0.0.1:0,SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0',
    protocolMap: 'INTERNAL:PLAINTEXT',
    extra: { KAFSCALE_TLS_CLIENT_AUTH: 'requested' },
  });
}, 120_000);

afterAll(async () => {
  await stack.stop();
});

describe('franz-go over TLS', () => {
  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'])(
    '%s over SASL_SSL: creates a topic, produces, consumes in a group, commits',
    async (mechanism) => {
      const user = `franz-${mechanism.slice(-3)}`;
      const { result, wallMs } = await franzGo([
        '-mechanism',
        mechanism,
        '-user',
        user,
        '-create-user-via',
        stack.addresses.INTERNAL ?? '',
        stack.addresses.SASL_SSL ?? '',
        `franz-scram-${mechanism.slice(-3)}`,
        String(RECORDS),
      ]);
      expectGroupChecksPassed(toGroupResult(result), {
        required: ['create SCRAM user', ...RUN_CHECKS],
        wallMs,
      });
      expect(stack.logs()).toContain(`"principal":"User:${user}"`);
    },
  );

  it('mTLS over SSL: the principal is the certificate subject', async () => {
    await expectMtlsRunPasses(stack, 'franz-mtls', RECORDS);
  });

  it.each([
    ['from an untrusted CA', 'rogue', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['that has expired', 'expired', 'CERT_HAS_EXPIRED'],
  ])('refuses a client certificate %s, writing nothing', async (_what, name, reason) => {
    await expectSslClientRefused(
      stack,
      name,
      `franz-refused-${name}`,
      new RegExp(`"error":"${reason}".*TLS client certificate not trusted`),
    );
  });
});
