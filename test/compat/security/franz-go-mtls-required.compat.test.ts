/**
 * franz-go against an SSL listener with KAFSCALE_TLS_CLIENT_AUTH=required (the real stack,
 * support/secured-stack.ts; the program of franz-go-security.compat.test.ts): a client
 * certificate the CA signed gets in (create and list a topic, produce, consume in a group,
 * commit; principal from the certificate subject), while a client without a certificate and
 * one with a certificate from another CA fail the TLS handshake: nothing written, the edge
 * counts and logs each and serves on.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startSecuredStack, type SecuredStack } from '../../support/secured-stack.js';
import {
  expectMtlsRunPasses,
  expectSslClientRefused,
  franzGoSecurityBin,
} from './franz-go-security-client.js';

let stack: SecuredStack;

beforeAll(async () => {
  franzGoSecurityBin();
  stack = await startSecuredStack({
    listeners: 'SSL://127.0.0.1:0',
    protocolMap: 'SSL:SSL',
    extra: { KAFSCALE_TLS_CLIENT_AUTH: 'required' },
  });
}, 120_000);

afterAll(async () => {
  await stack.stop();
});

describe('franz-go with client certificates required', () => {
  it('gets in with a certificate the CA signed', async () => {
    await expectMtlsRunPasses(stack, 'franz-required', 20);
  });

  it.each([
    ['without a certificate', undefined],
    ['with a certificate from an untrusted CA', 'rogue'],
  ])('refuses a client %s, writing nothing', async (_what, name) => {
    await expectSslClientRefused(
      stack,
      name,
      `franz-required-refused-${name ?? 'none'}`,
      /TLS handshake failed/,
    );
  });
});
