/**
 * TLS and SASL against the real stack (etcd, MinIO, controlplane, storage node, edge as
 * separate processes), with real clients, one edge serving two listeners: INTERNAL
 * (PLAINTEXT, the bootstrap path) and SASL_SSL (PLAIN from a users file, SCRAM-SHA-256 and
 * SCRAM-SHA-512 from etcd), certificates made by openssl in a temp dir.
 * 1. Kafka's kafka-configs (ConfigCommand) adds SCRAM-SHA-256 (8192 iterations) and
 *    SCRAM-SHA-512 credentials for alice over the INTERNAL listener, and --describe over
 *    SASL_SSL (as the PLAIN admin) shows both mechanisms with their iteration counts.
 * 2. The Java client (kafka-console-producer and kafka-console-consumer, kafka-clients
 *    3.9.1) over SASL_SSL with SCRAM-SHA-512 produces and consumes in a group.
 * 3. librdkafka (confluent-kafka-python) over SASL_SSL with PLAIN and with SCRAM-SHA-256
 *    produces and consumes in a group, and Metadata gives it the SASL_SSL address.
 * 4. Refused cleanly, with nothing written and the edge serving on: a wrong password, an
 *    unknown user, a server certificate from an untrusted CA, a plaintext client on the
 *    TLS port. Failures are counted in kafscale_sasl_authentications_total.
 * 5. Secrets: the planted passwords, the salted password and ClientKey (base64 and hex)
 *    appear nowhere in etcd's whole key space; those and StoredKey/ServerKey appear in no
 *    log line (debug level, Kafka tracing on) and not in /metrics.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyOf, saltedPassword } from '../../../lib/security/scram/scram-credential.js';
import { SCRAM_SHA_256 } from '../../../lib/security/scram/scram-mechanism.js';
import { startConsoleProcess, stopProcess } from '../../support/console-process.js';
import { startSecuredStack, type SecuredStack } from '../../support/secured-stack.js';
import { scrape } from '../../support/scrape-metrics.js';
import type { TestCertificates } from '../../support/test-certificates.js';
import { runJavaTool, shownRun } from '../support/java-tool.js';
import { cacheDir, requireInstalled } from '../support/paths.js';

const run = promisify(execFile);
const ALICE_PASSWORD = 'alice-Planted-9f3e1c';
const ADMIN_PASSWORD = 'admin-Planted-77d0a2';
const toolsDir = join(cacheDir, 'compat/kafka-tools');
const python = join(cacheDir, 'compat/python/bin/python');

let stack: SecuredStack;
let certs: TestCertificates;
let internal: string;
let secure: string;

function clientConfig(name: string, mechanism: string, user: string, password: string): string {
  const module =
    mechanism === 'PLAIN'
      ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
      : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  const path = join(certs.dir, `${name}.properties`);
  writeFileSync(
    path,
    [
      'security.protocol=SASL_SSL',
      `sasl.mechanism=${mechanism}`,
      `sasl.jaas.config=${module} required username="${user}" password="${password}";`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${certs.caCert}`,
      '',
    ].join('\n'),
  );
  return path;
}

interface PythonResult {
  produced: number;
  consumed: number;
  error: string | null;
}

async function librdkafka(
  protocol: string,
  mechanism: string,
  user: string,
  password: string,
  topic: string,
  options: { ca?: string; bootstrap?: string } = {},
): Promise<PythonResult> {
  const { stdout } = await run(
    python,
    [
      join(import.meta.dirname, 'sasl_client.py'),
      options.bootstrap ?? secure,
      protocol,
      mechanism,
      user,
      password,
      options.ca ?? certs.caCert,
      topic,
      '5',
    ],
    { timeout: 60_000 },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as PythonResult;
}

/**
 * Every page and API answer of a `kafscale console` over this stack, as one text: the UI,
 * the cluster, metrics, topics and groups, and each topic and group.
 */
async function everythingTheConsoleShows(): Promise<string> {
  const started = await startConsoleProcess({
    KAFSCALE_CONTROLPLANE_URL: `http://127.0.0.1:${stack.controlplane.port}`,
    KAFSCALE_CONSOLE_BROKER_METRICS_URL: `http://127.0.0.1:${stack.edge.metricsPort}/metrics`,
  });
  try {
    const base = /console on (http:\/\/\S+\/ui\/)/.exec(started.banner)?.[1] ?? '';
    const api = `${base}api`;
    const get = async (url: string) => (await fetch(url)).text();
    const texts = await Promise.all(
      [base, `${api}/console`, `${api}/cluster`, `${api}/metrics`].map(get),
    );
    const topics = await get(`${api}/topics`);
    const groups = await get(`${api}/groups`);
    const names = (text: string, field: string) =>
      [...text.matchAll(new RegExp(`"${field}":"([^"]+)"`, 'g'))].map((m) => m[1] ?? '');
    const each = await Promise.all([
      ...names(topics, 'name').map((n) => get(`${api}/topics/${encodeURIComponent(n)}`)),
      ...names(groups, 'groupId').map((g) => get(`${api}/groups/${encodeURIComponent(g)}`)),
    ]);
    return [...texts, topics, groups, ...each].join('\n');
  } finally {
    await stopProcess(started.proc);
  }
}

beforeAll(async () => {
  requireInstalled(python, 'confluent-kafka-python');
  requireInstalled(join(toolsDir, 'lib'), 'the kafka-tools jars');
  stack = await startSecuredStack({
    listeners: 'INTERNAL://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
    protocolMap: 'INTERNAL:PLAINTEXT',
    plainUsers: `# the bootstrap admin\nadmin:${ADMIN_PASSWORD}\n`,
    extra: { KAFSCALE_SASL_ENABLED_MECHANISMS: 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512' },
  });
  certs = stack.certs;
  internal = stack.addresses.INTERNAL ?? '';
  secure = stack.addresses.SASL_SSL ?? '';
});

afterAll(async () => {
  await stack.stop();
});

describe('TLS and SASL with real clients', () => {
  it('kafka-configs adds SCRAM users over the internal listener and describes them over SASL_SSL', async () => {
    const alter = await runJavaTool(
      'kafka.admin.ConfigCommand',
      [
        '--alter',
        '--add-config',
        `SCRAM-SHA-256=[iterations=8192,password=${ALICE_PASSWORD}],SCRAM-SHA-512=[password=${ALICE_PASSWORD}]`,
        '--entity-type',
        'users',
        '--entity-name',
        'alice',
      ],
      { toolsDir, bootstrap: internal, timeoutMs: 60_000 },
    );
    expect(alter.code, shownRun(alter, 'kafka-configs')).toBe(0);
    const describeRun = await runJavaTool(
      'kafka.admin.ConfigCommand',
      [
        '--describe',
        '--entity-type',
        'users',
        '--entity-name',
        'alice',
        '--command-config',
        clientConfig('admin', 'PLAIN', 'admin', ADMIN_PASSWORD),
      ],
      { toolsDir, bootstrap: secure, timeoutMs: 60_000 },
    );
    expect(describeRun.code, shownRun(describeRun, 'kafka-configs')).toBe(0);
    expect(describeRun.stdout).toContain('SCRAM-SHA-256=iterations=8192');
    expect(describeRun.stdout).toContain('SCRAM-SHA-512=iterations=4096');
  });

  it('the Java client produces and consumes in a group over SASL_SSL with SCRAM-SHA-512', async () => {
    const config = clientConfig('alice-512', 'SCRAM-SHA-512', 'alice', ALICE_PASSWORD);
    const produce = await runJavaTool(
      'kafka.tools.ConsoleProducer',
      ['--topic', 'sec-java', '--producer.config', config, '--producer-property', 'acks=all'],
      { toolsDir, bootstrap: secure, timeoutMs: 60_000, stdin: 'one\ntwo\nthree\n' },
    );
    expect(produce.code, shownRun(produce, 'console-producer')).toBe(0);
    const consume = await runJavaTool(
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      [
        '--topic',
        'sec-java',
        '--consumer.config',
        config,
        '--group',
        'sec-java-group',
        '--from-beginning',
        '--max-messages',
        '3',
        '--timeout-ms',
        '30000',
      ],
      { toolsDir, bootstrap: secure, timeoutMs: 60_000 },
    );
    expect(consume.code, shownRun(consume, 'console-consumer')).toBe(0);
    expect(consume.stdout.trim().split('\n')).toEqual(['one', 'two', 'three']);
  });

  it.each([
    ['PLAIN', 'admin', ADMIN_PASSWORD],
    ['SCRAM-SHA-256', 'alice', ALICE_PASSWORD],
  ])(
    'librdkafka produces and consumes in a group over SASL_SSL with %s',
    async (mechanism, user, password) => {
      const r = await librdkafka(
        'SASL_SSL',
        mechanism,
        user,
        password,
        `sec-py-${mechanism.toLowerCase()}`,
      );
      expect(r).toEqual({ produced: 5, consumed: 5, error: null });
    },
  );

  it('refuses a wrong password, an unknown user, an untrusted CA and a plaintext client, writing nothing', async () => {
    const refused = [
      await librdkafka('SASL_SSL', 'SCRAM-SHA-256', 'alice', 'wrong-password', 'sec-refused'),
      await librdkafka('SASL_SSL', 'SCRAM-SHA-512', 'mallory', ALICE_PASSWORD, 'sec-refused'),
      await librdkafka('SASL_SSL', 'PLAIN', 'admin', 'wrong-password', 'sec-refused'),
      await librdkafka('SASL_SSL', 'SCRAM-SHA-256', 'alice', ALICE_PASSWORD, 'sec-refused', {
        ca: join(certs.dir, 'rogue-ca.pem'),
      }),
      await librdkafka('PLAINTEXT', '-', '-', '-', 'sec-refused'),
    ];
    for (const r of refused) {
      expect(r.produced).toBe(0);
      expect(r.error).not.toBeNull();
    }
    // Nothing was written: the topic was never even created.
    expect(await stack.topicNames()).not.toContain('sec-refused');
    const metrics = await scrape(stack.edge.metricsPort);
    const failures = [
      ...metrics.matchAll(
        /kafscale_sasl_authentications_total\{mechanism="[^"]+",outcome="failure"\} (\d+)/g,
      ),
    ];
    expect(failures.reduce((n, f) => n + Number(f[1]), 0)).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/kafscale_tls_handshake_failures_total\{listener="SASL_SSL"\} [1-9]/);
    // The edge serves on.
    expect(
      await librdkafka('SASL_SSL', 'SCRAM-SHA-256', 'alice', ALICE_PASSWORD, 'sec-after'),
    ).toEqual({ produced: 5, consumed: 5, error: null });
  });

  it('keeps every secret out of etcd, the logs, /metrics and the console', async () => {
    const { stdout: dump } = await run(
      'etcdctl',
      ['--endpoints', stack.etcd.endpoints.join(','), 'get', '', '--prefix'],
      { maxBuffer: 64 << 20 },
    );
    const record = /\/kafscale\/scram\/alice\/SCRAM-SHA-256\n(.*)\n/.exec(dump)?.[1];
    expect(record).toBeDefined();
    const stored = JSON.parse(record ?? '{}') as {
      salt: string;
      iterations: number;
      storedKey: string;
      serverKey: string;
    };
    expect(stored.iterations).toBe(8192);
    const salted = saltedPassword(
      SCRAM_SHA_256,
      ALICE_PASSWORD,
      Buffer.from(stored.salt, 'base64'),
      stored.iterations,
    );
    const clientKey = clientKeyOf(SCRAM_SHA_256, salted);
    const forms = (b: Buffer) => [b.toString('base64'), b.toString('hex')];
    const passwords = [ALICE_PASSWORD, ADMIN_PASSWORD].flatMap((p) => [
      p,
      Buffer.from(p).toString('base64'),
    ]);
    const neverAnywhere = [...passwords, ...forms(salted), ...forms(clientKey)];
    const notOutsideEtcd = [...neverAnywhere, stored.storedKey, stored.serverKey];
    const logs = stack.logs();
    expect(logs).toContain('SASL authentication failed'); // the logs were read, at debug level
    expect(logs).toContain('"level":20');
    const metrics = await scrape(stack.edge.metricsPort);
    const consoleText = await everythingTheConsoleShows();
    expect(consoleText).toContain('sec-java'); // the console's pages were read
    for (const secret of neverAnywhere)
      expect(dump.includes(secret), `etcd holds ${secret.slice(0, 6)}…`).toBe(false);
    for (const secret of notOutsideEtcd) {
      expect(logs.includes(secret), `a log line holds ${secret.slice(0, 6)}…`).toBe(false);
      expect(metrics.includes(secret), `/metrics holds ${secret.slice(0, 6)}…`).toBe(false);
      expect(consoleText.includes(secret), `the console shows ${secret.slice(0, 6)}…`).toBe(false);
    }
  }, 90_000);
});
