/**
 * Security between Kafscale's processes (docs/security.md, "Between services"), with every
 * service a separate process: etcd serves TLS only, requires a client certificate and has
 * authentication on; the services talk gRPC over mutual TLS; the AdminService takes tokens
 * from a tokens file. A Kafka client produces and consumes in a group through the edge (edge
 * to controlplane and storage node, controlplane to etcd, all over TLS); the admin CLI works
 * with a token and TLS, and is refused without either; etcd refuses clients without a
 * certificate or without the password.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import { startService, type ServiceProcess } from '../../fixtures/kafscale-cluster.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';
import { runKafscale } from '../../support/kafscale-cli.js';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates.js';

const run = promisify(execFile);
const ETCD_PASSWORD = 'etcd-root-password-for-test';
const ADMIN_TOKEN = 'ops-admin-token-0123456789';

let certs: TestCertificates;
let etcd: EtcdFixture;
let minio: MinioFixture;
const services: ServiceProcess[] = [];
let edge: ServiceProcess;
let controlplane: ServiceProcess;
let tokenFile: string;

/** etcdctl against the TLS etcd: `tls` adds the client certificate, `user` the root login. */
async function etcdctl(
  args: readonly string[],
  o: { readonly cert: boolean; readonly user: boolean },
): Promise<string> {
  const { stdout } = await run('etcdctl', [
    '--endpoints',
    etcd.endpoints.join(','),
    '--cacert',
    certs.caCert,
    ...(o.cert ? ['--cert', certs.clientCert, '--key', certs.clientKey] : []),
    ...(o.user ? ['--user', `root:${ETCD_PASSWORD}`] : []),
    '--dial-timeout',
    '3s',
    '--command-timeout',
    '5s',
    ...args,
  ]);
  return stdout;
}

const grpcTls = () => ({
  KAFSCALE_GRPC_TLS_CERT_FILE: certs.serverCert,
  KAFSCALE_GRPC_TLS_KEY_FILE: certs.serverKey,
  KAFSCALE_GRPC_TLS_CA_FILE: certs.caCert,
});

beforeAll(async () => {
  certs = makeTestCertificates();
  [etcd, minio] = await Promise.all([
    startEtcd({
      tls: {
        cert: certs.serverCert,
        key: certs.serverKey,
        ca: certs.caCert,
        clientCert: certs.clientCert,
        clientKey: certs.clientKey,
      },
    }),
    startMinio(),
  ]);
  await minio.createBucket('kafscale');
  await etcdctl(['user', 'add', 'root', `--new-user-password=${ETCD_PASSWORD}`], {
    cert: true,
    user: false,
  });
  await etcdctl(['auth', 'enable'], { cert: true, user: false });
  const tokensFile = join(certs.dir, 'admin-tokens');
  writeFileSync(tokensFile, `ops:${ADMIN_TOKEN}\n`);
  tokenFile = join(certs.dir, 'admin-token');
  writeFileSync(tokenFile, `${ADMIN_TOKEN}\n`);
  const env = {
    etcd,
    minio,
    bucket: 'kafscale',
    extra: {
      ...grpcTls(),
      KAFSCALE_ETCD_CA_FILE: certs.caCert,
      KAFSCALE_ETCD_CERT_FILE: certs.clientCert,
      KAFSCALE_ETCD_KEY_FILE: certs.clientKey,
      KAFSCALE_ETCD_USERNAME: 'root',
      KAFSCALE_ETCD_PASSWORD: ETCD_PASSWORD,
      KAFSCALE_ADMIN_TOKENS_FILE: tokensFile,
    },
  };
  controlplane = await startService('controlplane', env);
  services.push(controlplane);
  services.push(await startService('storage-node', env));
  edge = await startService('edge', env);
  services.push(edge);
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.process.stop()));
  await Promise.all([etcd.stop(), minio.stop()]);
  certs.remove();
});

describe('a cluster with mutual TLS, etcd over TLS with authentication, and admin tokens', () => {
  it('produces and consumes in a group through the edge', async () => {
    const kafka = new Kafka({
      clientId: 'service-security',
      brokers: [`127.0.0.1:${edge.port}`],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'secured', numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 50 }, (_, i) => `record-${i}`);
    await producer.send({ topic: 'secured', acks: -1, messages: sent.map((value) => ({ value })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'secured-group' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'secured', fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      eachMessage: ({ message }) => {
        seen.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    await expect.poll(() => seen.length, { timeout: 30_000 }).toBe(sent.length);
    await consumer.disconnect();
    expect([...seen].sort()).toEqual([...sent].sort());
    // What the services wrote is in etcd, readable with the certificate and the password.
    const keys = await etcdctl(['get', '--prefix', '--keys-only', '/kafscale/'], {
      cert: true,
      user: true,
    });
    expect(keys).toMatch(/topic/);
  }, 90_000);

  it('lets the admin CLI in with a token over mutual TLS; refuses a bad token, an untrusted certificate and plain HTTP/2', async () => {
    const controlplaneUrl = `http://127.0.0.1:${controlplane.port}`;
    const ok = await runKafscale(['topics', 'list'], {
      KAFSCALE_CONTROLPLANE_URL: controlplaneUrl,
      KAFSCALE_ADMIN_TOKEN_FILE: tokenFile,
      ...grpcTls(),
    });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/secured/);

    const badTokenFile = join(certs.dir, 'bad-token');
    writeFileSync(badTokenFile, 'not-the-ops-token-0123456789\n');
    const badToken = await runKafscale(['topics', 'list'], {
      KAFSCALE_CONTROLPLANE_URL: controlplaneUrl,
      KAFSCALE_ADMIN_TOKEN_FILE: badTokenFile,
      ...grpcTls(),
    });
    expect(badToken.code).not.toBe(0);
    expect(badToken.stderr).toMatch(/Unauthenticated: the admin token is not valid/);
    expect(badToken.stdout).not.toMatch(/secured/);

    const untrusted = await runKafscale(['topics', 'list'], {
      KAFSCALE_CONTROLPLANE_URL: controlplaneUrl,
      KAFSCALE_GRPC_TLS_CERT_FILE: certs.rogueCert,
      KAFSCALE_GRPC_TLS_KEY_FILE: certs.rogueKey,
      KAFSCALE_GRPC_TLS_CA_FILE: certs.caCert,
      KAFSCALE_ADMIN_TOKEN_FILE: tokenFile,
    });
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stdout).not.toMatch(/secured/);

    const plain = await runKafscale(['topics', 'list'], {
      KAFSCALE_CONTROLPLANE_URL: controlplaneUrl,
      KAFSCALE_ADMIN_TOKEN_FILE: tokenFile,
    });
    expect(plain.code).not.toBe(0);
    expect(plain.stdout).not.toMatch(/secured/);
  }, 60_000);

  it('keeps etcd closed to clients without the certificate or the password', async () => {
    await expect(
      etcdctl(['get', '--prefix', '/kafscale/'], { cert: false, user: true }),
    ).rejects.toThrow();
    await expect(
      etcdctl(['get', '--prefix', '/kafscale/'], { cert: true, user: false }),
    ).rejects.toThrow(/permission denied|user name is empty|authentication/i);
  }, 30_000);
});
