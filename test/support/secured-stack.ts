/**
 * The real stack (etcd, MinIO, controlplane, storage node and one edge as separate
 * processes) with secured Kafka listeners, for the security tests: TLS material made by
 * openssl in a temp dir (test-certificates.ts; KAFSCALE_TLS_CA_FILE is their CA, used when
 * KAFSCALE_TLS_CLIENT_AUTH asks for client certificates), a PLAIN users file, the services' logs at
 * debug level with Kafka request tracing in a temp dir (so a test can read every line), and
 * each listener's address taken from the edge's start-up line.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEtcd, type EtcdFixture } from '../fixtures/etcd.js';
import { startService, type ServiceProcess } from '../fixtures/kafscale-cluster.js';
import { startMinio } from '../fixtures/minio.js';
import { makeTempDir } from '../fixtures/processes.js';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';

const run = promisify(execFile);

export interface SecuredStackOptions {
  /** KAFSCALE_LISTENERS, each on 127.0.0.1:0, e.g. `INTERNAL://127.0.0.1:0,SSL://127.0.0.1:0`. */
  readonly listeners: string;
  /** KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP, e.g. `INTERNAL:PLAINTEXT`. */
  readonly protocolMap: string;
  /** The PLAIN users file's content (KAFSCALE_SASL_PLAIN_USERS_FILE); none without PLAIN. */
  readonly plainUsers?: string;
  /** More KAFSCALE_* settings for every service (KAFSCALE_TLS_CLIENT_AUTH, ...). */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface SecuredStack {
  readonly certs: TestCertificates;
  readonly etcd: EtcdFixture;
  readonly controlplane: ServiceProcess;
  readonly edge: ServiceProcess;
  /** Each listener's `host:port`, by name, from the edge's start-up line. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Every log line the three services wrote so far. */
  logs(): string;
  /** The names of the topics in etcd. */
  topicNames(): Promise<string[]>;
  stop(): Promise<void>;
}

/** `NAME://host:port, ...` from the banner; one listener is printed as `Kafka on host:port`. */
function listenerAddresses(banner: string, listeners: string): Record<string, string> {
  const names = listeners.split(',').map((l) => l.split('://')[0] ?? '');
  const addresses: Record<string, string> = {};
  for (const m of banner.matchAll(/([A-Z_]+):\/\/([\d.]+:\d+)/g))
    addresses[m[1] ?? ''] = m[2] ?? '';
  const single = /Kafka on ([\d.]+:\d+),/.exec(banner)?.[1];
  if (names.length === 1 && single !== undefined) addresses[names[0] ?? ''] = single;
  for (const name of names)
    if (addresses[name] === undefined)
      throw new Error(`edge banner without listener ${name}: ${banner}`);
  return addresses;
}

export async function startSecuredStack(options: SecuredStackOptions): Promise<SecuredStack> {
  /** What stop() undoes, in reverse order of creation. */
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const undo of cleanups.reverse()) await undo();
  };
  try {
    const certs = makeTestCertificates();
    cleanups.push(() => {
      certs.remove();
    });
    const logDir = makeTempDir('security-logs');
    const savedLogDir = process.env.KAFSCALE_TEST_LOG_DIR;
    process.env.KAFSCALE_TEST_LOG_DIR = logDir;
    cleanups.push(() => {
      if (savedLogDir === undefined) delete process.env.KAFSCALE_TEST_LOG_DIR;
      else process.env.KAFSCALE_TEST_LOG_DIR = savedLogDir;
    });
    const users = join(certs.dir, 'plain-users');
    if (options.plainUsers !== undefined) writeFileSync(users, options.plainUsers);
    const [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
    cleanups.push(() => Promise.all([etcd.stop(), minio.stop()]).then(() => undefined));
    await minio.createBucket('kafscale');
    const env = {
      etcd,
      minio,
      bucket: 'kafscale',
      extra: {
        KAFSCALE_EDGE_ADDR: '',
        KAFSCALE_LISTENERS: options.listeners,
        KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP: options.protocolMap,
        KAFSCALE_TLS_CERT_FILE: certs.serverCert,
        KAFSCALE_TLS_KEY_FILE: certs.serverKey,
        KAFSCALE_TLS_CA_FILE: certs.caCert,
        ...(options.plainUsers === undefined ? {} : { KAFSCALE_SASL_PLAIN_USERS_FILE: users }),
        KAFSCALE_LOG_LEVEL: 'debug',
        KAFSCALE_TRACE_KAFKA: 'true',
        ...options.extra,
      },
    };
    const services: ServiceProcess[] = [];
    cleanups.push(() => Promise.all(services.map((s) => s.process.stop())).then(() => undefined));
    const controlplane = await startService('controlplane', env);
    services.push(controlplane, await startService('storage-node', env));
    const edge = await startService('edge', env);
    services.push(edge);
    return {
      certs,
      etcd,
      controlplane,
      edge,
      addresses: listenerAddresses(edge.banner, options.listeners),
      logs: () =>
        readdirSync(logDir)
          .map((f) => readFileSync(join(logDir, f), 'utf8'))
          .join('\n'),
      topicNames: async () => {
        const { stdout } = await run('etcdctl', [
          '--endpoints',
          etcd.endpoints.join(','),
          'get',
          '/kafscale/topics/',
          '--prefix',
          '--keys-only',
        ]);
        return stdout
          .split('\n')
          .filter((k) => k !== '')
          .map((k) => k.slice('/kafscale/topics/'.length));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
