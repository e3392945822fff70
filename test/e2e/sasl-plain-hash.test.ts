/**
 * `kafscale sasl-plain-hash` end to end: the real command reads a password from stdin and
 * prints a line; that line alone in KAFSCALE_SASL_PLAIN_USERS_FILE lets kafkajs in over SASL
 * PLAIN to a real `kafscale dev` edge (SASL_PLAINTEXT listener), to create a topic and
 * produce, while the wrong password is refused. Bad input to the command (an empty user, an
 * empty password) exits 2 with a message saying which.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevBroker, type DevBroker } from '../compat/support/dev-broker.js';
import { runKafscale } from '../support/kafscale-cli.js';

const PASSWORD = 'hashed-Planted-51c0e7';
let dir: string;
let broker: DevBroker;
let line: string;

function client(password: string): Kafka {
  return new Kafka({
    clientId: 'sasl-plain-hash-test',
    brokers: [broker.bootstrap],
    sasl: { mechanism: 'plain', username: 'hashed-admin', password },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
}

beforeAll(async () => {
  const printed = await runKafscale(
    ['sasl-plain-hash', 'hashed-admin', '--iterations', '4096'],
    {},
    30_000,
    `${PASSWORD}\n`,
  );
  expect(printed.stderr).toBe('');
  expect(printed.code).toBe(0);
  line = printed.stdout;
  dir = mkdtempSync(join(tmpdir(), 'kafscale-plain-hash-'));
  const users = join(dir, 'plain-users');
  writeFileSync(users, line);
  broker = await startDevBroker({
    env: {
      KAFSCALE_LISTENERS: 'SASL_PLAINTEXT://127.0.0.1:0',
      KAFSCALE_SASL_ENABLED_MECHANISMS: 'PLAIN',
      KAFSCALE_SASL_PLAIN_USERS_FILE: users,
    },
  });
}, 90_000);

afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kafscale sasl-plain-hash', () => {
  it('prints one hashed line, without the password', () => {
    expect(line).toMatch(/^hashed-admin:\$pbkdf2-sha256\$4096\$[^$\s]+\$[^$\s]+\n$/);
    expect(line).not.toContain(PASSWORD);
  });

  it('its line lets the user in to the edge with that password', async () => {
    const admin = client(PASSWORD).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'hashed-in', numPartitions: 1 }] });
      expect(await admin.listTopics()).toContain('hashed-in');
    } finally {
      await admin.disconnect();
    }
    const producer = client(PASSWORD).producer();
    await producer.connect();
    try {
      const [sent] = await producer.send({
        topic: 'hashed-in',
        acks: -1,
        messages: [{ value: 'v' }],
      });
      expect(sent?.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('and refuses another password', async () => {
    const admin = client(`${PASSWORD}-not`).admin();
    await expect(admin.connect()).rejects.toThrow(
      /SASL_AUTHENTICATION_FAILED|Authentication failed/,
    );
    await admin.disconnect();
  });

  it.each([
    [['sasl-plain-hash', ''], `${PASSWORD}\n`, 'the user name is empty'],
    [['sasl-plain-hash', 'hashed-admin'], '\n', 'the password is empty'],
  ])('%j with stdin %j exits 2', async (args, stdin, message) => {
    const run = await runKafscale(args, {}, 30_000, stdin);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`kafscale sasl-plain-hash: ${message}`);
  });
});
