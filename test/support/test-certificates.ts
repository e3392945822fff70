/**
 * Throw-away TLS material for the security tests, made with the real `openssl` in a temp
 * dir (nothing is committed): a CA, a server certificate for 127.0.0.1 and localhost, a
 * client certificate the CA signed, a client certificate from an unrelated CA, and one the CA
 * signed that expired in 2020.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** Signed by another CA: no server trusts it. */
  readonly rogueCert: string;
  readonly rogueKey: string;
  /** Signed by the trusted CA, valid only on 1 January 2020. */
  readonly expiredCert: string;
  readonly expiredKey: string;
  /** Makes another server certificate (for reload tests); returns its cert and key paths. */
  issueServer(name: string, cn: string): { cert: string; key: string };
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function selfSignedCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-subj',
    `/CN=${name}`,
  ]);
}

/** A new key `<name>.key` and a signing request `<name>.csr` for `subject`. */
function keyAndRequest(dir: string, name: string, subject: string): void {
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  ]);
}

function issue(dir: string, ca: string, name: string, subject: string, ext?: string): void {
  keyAndRequest(dir, name, subject);
  const extArgs = ext === undefined ? [] : ['-extfile', `${name}.ext`];
  if (ext !== undefined) writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.pem`,
    ...extArgs,
  ]);
}

/** `openssl x509 -req` cannot date a certificate in the past; `openssl ca` can. */
const PAST_CA_CONFIG = `[ca]
default_ca = past
[past]
database = past-index.txt
new_certs_dir = .
serial = past-serial
default_md = sha256
policy = anything
unique_subject = no
[anything]
commonName = supplied
organizationName = optional
`;

function issueExpired(dir: string, ca: string, name: string, subject: string): void {
  keyAndRequest(dir, name, subject);
  writeFileSync(join(dir, 'past-ca.cnf'), PAST_CA_CONFIG);
  writeFileSync(join(dir, 'past-index.txt'), '');
  writeFileSync(join(dir, 'past-serial'), '01\n');
  openssl(dir, [
    'ca',
    '-batch',
    '-config',
    'past-ca.cnf',
    '-cert',
    `${ca}.pem`,
    '-keyfile',
    `${ca}.key`,
    '-in',
    `${name}.csr`,
    '-out',
    `${name}.pem`,
    '-notext',
    '-preserveDN',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
  ]);
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'kafscale-tls-'));
  selfSignedCa(dir, 'ca');
  selfSignedCa(dir, 'rogue-ca');
  const serverExt = 'subjectAltName=IP:127.0.0.1,DNS:localhost\n';
  issue(dir, 'ca', 'server', '/CN=localhost', serverExt);
  issue(dir, 'ca', 'client', '/C=NL/O=Kafscale Test/CN=alice');
  issue(dir, 'rogue-ca', 'rogue', '/CN=mallory');
  issueExpired(dir, 'ca', 'expired', '/O=Kafscale Test/CN=expired');
  const path = (f: string) => join(dir, f);
  return {
    dir,
    caCert: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    clientCert: path('client.pem'),
    clientKey: path('client.key'),
    rogueCert: path('rogue.pem'),
    rogueKey: path('rogue.key'),
    expiredCert: path('expired.pem'),
    expiredKey: path('expired.key'),
    issueServer(name, cn) {
      issue(dir, 'ca', name, `/CN=${cn}`, serverExt);
      return { cert: path(`${name}.pem`), key: path(`${name}.key`) };
    },
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
