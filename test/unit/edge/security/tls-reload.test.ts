/**
 * The TLS files of a listener are reloaded without a restart: new connections get the new
 * certificate; a broken new set is refused (error logged, failure counted) and the previous
 * certificate stays in use.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TlsContext, type ReloadOutcome } from '../../../../lib/security/tls-context.js';
import type { TlsConfig } from '../../../../lib/config/security-config.js';
import { StaticClusterView } from '../../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../../edge/src/edge.js';
import { FixedStorageClients } from '../../../../edge/src/routing/storage-clients.js';
import { startKafkaServer, type KafkaServer } from '../../../../edge/src/server/kafka-server.js';
import { makeTestCertificates, type TestCertificates } from '../../../support/test-certificates.js';

let certs: TestCertificates;
let tls: TlsContext<TlsConfig>;
let server: KafkaServer;
const outcomes: ReloadOutcome[] = [];
const errors: string[] = [];
let certFile: string;
let keyFile: string;

beforeAll(async () => {
  certs = makeTestCertificates();
  certFile = join(certs.dir, 'live.pem');
  keyFile = join(certs.dir, 'live.key');
  copyFileSync(certs.serverCert, certFile);
  copyFileSync(certs.serverKey, keyFile);
  const log = pino({ level: 'error' }, { write: (line: string) => errors.push(line) });
  tls = await TlsContext.open(
    { certFile, keyFile, caFile: undefined, clientAuth: 'none' },
    50,
    log,
    (o) => outcomes.push(o),
  );
  const self = { nodeId: 0, host: '127.0.0.1', port: 0, rack: null };
  server = await startKafkaServer(
    { host: '127.0.0.1', port: 0 },
    buildRegistry({
      cluster: new StaticClusterView('c', self),
      storage: new FixedStorageClients(new Map()),
    }),
    { maxRequestBytes: 1 << 20, inflightBytes: 1 << 20 },
    log,
    { name: 'SSL', protocol: 'SSL', tls },
  );
});

afterAll(async () => {
  await server.close();
  tls.stop();
  certs.remove();
});

/** The CN of the certificate a new connection is given. */
function servedCn(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      resolve(String(socket.getPeerCertificate().subject.CN));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

it('serves a changed certificate to new connections and keeps the old one when the new set is bad', async () => {
  expect(await servedCn()).toBe('localhost');
  const next = certs.issueServer('next', 'renewed.example');
  copyFileSync(next.key, keyFile);
  copyFileSync(next.cert, certFile);
  await until(async () => (await servedCn()) === 'renewed.example');
  expect(outcomes).toContain('success');
  // A key that does not match the certificate, then garbage: refused, the renewed one stays.
  copyFileSync(certs.serverKey, keyFile);
  await until(() => Promise.resolve(outcomes.includes('failure')));
  writeFileSync(certFile, 'not a certificate');
  await new Promise((r) => setTimeout(r, 200));
  expect(await servedCn()).toBe('renewed.example');
  expect(errors.join('')).toContain('keeping the previous certificate');
  expect(errors.join('')).not.toContain('PRIVATE KEY');
});
