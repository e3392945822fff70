/**
 * The files the Helm chart and the operator mount from Secrets (security.tls.secretRef,
 * security.sasl.plainUsersSecretRef) are replaced the kubelet's way: a new version directory
 * and one rename of the `..data` symlink (test/support/secret-volume.ts). The edge's TLS
 * context and PLAIN users file notice it and load the new content, and, the swap being
 * atomic, never see a certificate without its key (no failed reload).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlainUsers } from '../../../../lib/security/plain/plain-users.js';
import { ReloadingFile } from '../../../../lib/security/reloading-file.js';
import { TlsContext, type ReloadOutcome } from '../../../../lib/security/tls-context.js';
import { waitUntil } from '../../../fixtures/processes.js';
import { writeSecretVolume } from '../../../support/secret-volume.js';
import { makeTestCertificates, type TestCertificates } from '../../../support/test-certificates.js';

let certs: TestCertificates;
const errors: string[] = [];
const log = pino({ level: 'error' }, { write: (line: string) => errors.push(line) });

beforeAll(() => {
  certs = makeTestCertificates();
});

afterAll(() => {
  certs.remove();
});

describe('files mounted from a Secret', () => {
  it('the TLS certificate and key: reloaded once, together, after the swap', async () => {
    const dir = join(certs.dir, 'tls-volume');
    writeSecretVolume(dir, {
      'tls.crt': readFileSync(certs.serverCert),
      'tls.key': readFileSync(certs.serverKey),
    });
    const outcomes: ReloadOutcome[] = [];
    const tls = await TlsContext.open(
      { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), caFile: undefined },
      20,
      log,
      (o) => outcomes.push(o),
    );
    try {
      const next = certs.issueServer('rotated', 'rotated.example');
      writeSecretVolume(dir, {
        'tls.crt': readFileSync(next.cert),
        'tls.key': readFileSync(next.key),
      });
      await waitUntil(() => outcomes.length > 0, { timeoutMs: 5000, what: 'a TLS reload' });
      await new Promise((r) => setTimeout(r, 100)); // a second, spurious reload would show now
      expect(outcomes).toEqual(['success']);
      expect(Buffer.from(tls.options().cert as Buffer)).toEqual(readFileSync(next.cert));
      expect(errors).toEqual([]);
    } finally {
      tls.stop();
    }
  });

  it('the PLAIN users file: the new passwords are in force after the swap', async () => {
    const dir = join(certs.dir, 'users-volume');
    writeSecretVolume(dir, { 'plain-users': 'alice:first-password\n' });
    const file = await ReloadingFile.open(
      join(dir, 'plain-users'),
      (text) => PlainUsers.parse(text),
      20,
      log,
      'PLAIN users file',
    );
    try {
      expect(await file.current().verify('alice', 'first-password')).toBe(true);
      writeSecretVolume(dir, { 'plain-users': 'alice:second-password\nbob:third-password\n' });
      await waitUntil(() => file.current().size === 2, {
        timeoutMs: 5000,
        what: 'the users file reloaded',
      });
      expect(await file.current().verify('alice', 'second-password')).toBe(true);
      expect(await file.current().verify('alice', 'first-password')).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      file.stop();
    }
  });
});
