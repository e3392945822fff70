/**
 * Kafka ACLs against the real stack (etcd, MinIO, controlplane, storage node, edge as
 * separate processes), one edge with a SASL_PLAINTEXT listener (PLAIN users admin, alice and
 * bob from a users file), KAFSCALE_AUTHORIZER=acl and User:admin as the only super user.
 * 1. Kafka's kafka-acls (kafka.admin.AclCommand, 3.9.1) adds literal, prefixed and deny
 *    ACLs as admin and lists them back; bob (no ALTER on the cluster) cannot add one.
 * 2. The Java client as alice produces to a topic she may WRITE, and gets
 *    TopicAuthorizationException on one she may not.
 * 3. A prefixed ACL (`team-a.`) covers team-a.* and no other topic; deny beats allow on a
 *    topic where alice is allowed ALL and denied WRITE (kafkajs, in-process, for speed).
 * 4. bob, who may READ the topic and DESCRIBE the group but not READ it, cannot join it
 *    (GROUP_AUTHORIZATION_FAILED); alice, who may READ it, consumes in it.
 * 5. kafka-acls --remove takes alice's WRITE away, and her next produce is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type SASLOptions,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import { startService, type ServiceProcess } from '../../fixtures/kafscale-cluster.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';
import { makeTempDir, removeDir } from '../../fixtures/processes.js';
import { runJavaTool, shownRun, type JavaToolRun } from '../support/java-tool.js';
import { cacheDir, requireInstalled } from '../support/paths.js';

const toolsDir = join(cacheDir, 'compat/kafka-tools');
const PASSWORDS = { admin: 'admin-acl-pw', alice: 'alice-acl-pw', bob: 'bob-acl-pw' } as const;
type User = keyof typeof PASSWORDS;
const TOPICS = ['orders', 'other', 'mixed', 'team-a.orders', 'team-ab', 'team-b.orders'];
const GROUP = 'acl-group';

let etcd: EtcdFixture;
let minio: MinioFixture;
let dir: string;
const services: ServiceProcess[] = [];
let bootstrap: string;

function sasl(user: User): SASLOptions {
  return { mechanism: 'plain', username: user, password: PASSWORDS[user] };
}

function kafka(user: User): Kafka {
  return new Kafka({
    clientId: `acl-${user}`,
    brokers: [bootstrap],
    sasl: sasl(user),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 100 },
  });
}

/** The client properties file of one user (SASL_PLAINTEXT, PLAIN). */
function properties(user: User): string {
  const path = join(dir, `${user}.properties`);
  writeFileSync(
    path,
    [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=PLAIN',
      `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${PASSWORDS[user]}";`,
      '',
    ].join('\n'),
  );
  return path;
}

function acls(user: User, args: readonly string[]): Promise<JavaToolRun> {
  return runJavaTool('kafka.admin.AclCommand', [...args, '--command-config', properties(user)], {
    toolsDir,
    bootstrap,
    timeoutMs: 60_000,
  });
}

/** The Kafka error a kafkajs send gets, or 'ok'. */
async function produceAs(user: User, topic: string): Promise<string> {
  const producer = kafka(user).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ value: `${user}->${topic}` }] });
    return 'ok';
  } catch (e) {
    const err = e as { type?: string; cause?: { type?: string }; message: string };
    return err.type ?? err.cause?.type ?? err.message;
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  requireInstalled(join(toolsDir, 'lib'), 'the kafka-tools jars');
  dir = makeTempDir('acls');
  const users = join(dir, 'plain-users');
  writeFileSync(
    users,
    Object.entries(PASSWORDS)
      .map(([u, p]) => `${u}:${p}`)
      .join('\n'),
  );
  [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('kafscale');
  const env = {
    etcd,
    minio,
    bucket: 'kafscale',
    extra: {
      KAFSCALE_EDGE_ADDR: '',
      KAFSCALE_LISTENERS: 'SASL_PLAINTEXT://127.0.0.1:0',
      KAFSCALE_SASL_ENABLED_MECHANISMS: 'PLAIN',
      KAFSCALE_SASL_PLAIN_USERS_FILE: users,
      KAFSCALE_AUTHORIZER: 'acl',
      KAFSCALE_SUPER_USERS: 'User:admin',
    },
  };
  services.push(await startService('controlplane', env), await startService('storage-node', env));
  const edge = await startService('edge', env);
  services.push(edge);
  bootstrap = `127.0.0.1:${edge.port}`;
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.createTopics({ topics: TOPICS.map((topic) => ({ topic, numPartitions: 1 })) });
  await admin.disconnect();
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.process.stop()));
  await Promise.all([etcd.stop(), minio.stop()]);
  removeDir(dir);
});

describe('Kafka ACLs with kafka-acls and real clients', () => {
  it('kafka-acls adds literal, prefixed and deny ACLs as a super user and lists them', async () => {
    const runs = [
      ['--add', '--allow-principal', 'User:alice', '--operation', 'Write', '--topic', 'orders'],
      ['--add', '--allow-principal', 'User:alice', '--operation', 'All', '--topic', 'mixed'],
      ['--add', '--deny-principal', 'User:alice', '--operation', 'Write', '--topic', 'mixed'],
      [
        '--add',
        '--allow-principal',
        'User:alice',
        '--operation',
        'Write',
        '--resource-pattern-type',
        'prefixed',
        '--topic',
        'team-a.',
      ],
      [
        '--add',
        '--allow-principal',
        'User:alice',
        '--operation',
        'Read',
        '--topic',
        'orders',
        '--group',
        GROUP,
      ],
    ];
    for (const args of runs) {
      const run = await acls('admin', args);
      expect(run.code, shownRun(run, 'kafka-acls')).toBe(0);
    }
    const list = await acls('admin', ['--list']);
    expect(list.code, shownRun(list, 'kafka-acls --list')).toBe(0);
    // One block per resource pattern: "Current ACLs for resource `ResourcePattern(...)`:".
    const mixed = list.stdout
      .split('Current ACLs for resource')
      .find((b) => b.includes('name=mixed, patternType=LITERAL'));
    expect(mixed, list.stdout).toContain(
      '(principal=User:alice, host=*, operation=WRITE, permissionType=DENY)',
    );
    expect(mixed).toContain('(principal=User:alice, host=*, operation=ALL, permissionType=ALLOW)');
    expect(list.stdout).toContain('name=team-a., patternType=PREFIXED');
    expect(list.stdout).toContain(`resourceType=GROUP, name=${GROUP}, patternType=LITERAL`);
    // bob is no super user and has no ALTER on the cluster.
    const refused = await acls('bob', [
      '--add',
      '--allow-principal',
      'User:bob',
      '--operation',
      'All',
      '--topic',
      '*',
    ]);
    expect(`${refused.stdout}${refused.stderr}`).toContain('ClusterAuthorizationException');
    // bob may read the topic and describe the group, but not read the group (kafkajs
    // admin: CreateAcls as admin).
    const admin = kafka('admin').admin();
    await admin.connect();
    await admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.GROUP,
          resourceName: GROUP,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:bob',
          host: '*',
          operation: AclOperationTypes.DESCRIBE,
          permissionType: AclPermissionTypes.ALLOW,
        },
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'orders',
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:bob',
          host: '*',
          operation: AclOperationTypes.READ,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    });
    await admin.disconnect();
  });

  it('the Java producer writes where alice may WRITE and gets TopicAuthorizationException elsewhere', async () => {
    const config = properties('alice');
    const allowed = await runJavaTool(
      'kafka.tools.ConsoleProducer',
      ['--topic', 'orders', '--producer.config', config],
      { toolsDir, bootstrap, timeoutMs: 60_000, stdin: 'one\ntwo\n' },
    );
    expect(allowed.code, shownRun(allowed, 'console-producer orders')).toBe(0);
    expect(allowed.stderr).not.toContain('AuthorizationException');
    const denied = await runJavaTool(
      'kafka.tools.ConsoleProducer',
      [
        '--topic',
        'other',
        '--producer.config',
        config,
        '--producer-property',
        'max.block.ms=10000',
      ],
      { toolsDir, bootstrap, timeoutMs: 60_000, stdin: 'nope\n' },
    );
    expect(denied.stderr, shownRun(denied, 'console-producer other')).toContain(
      'TopicAuthorizationException',
    );
  });

  it('a prefixed ACL covers the topics it should and no others; deny beats allow', async () => {
    expect(await produceAs('alice', 'team-a.orders')).toBe('ok');
    expect(await produceAs('alice', 'team-ab')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceAs('alice', 'team-b.orders')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceAs('alice', 'mixed')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceAs('bob', 'orders')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceAs('admin', 'mixed')).toBe('ok');
  });

  it('one without READ on a group cannot join it; one with READ consumes in it', async () => {
    const bob = kafka('bob').consumer({ groupId: GROUP, retry: { retries: 0 } });
    await bob.connect();
    const joined = new Promise<string>((resolve) => {
      bob.on(bob.events.CRASH, (e) => {
        const err = e.payload.error as { type?: string; message: string };
        resolve(err.type ?? err.message);
      });
      bob.on(bob.events.GROUP_JOIN, () => {
        resolve('joined');
      });
    });
    await bob.subscribe({ topic: 'orders', fromBeginning: true });
    await bob.run({ eachMessage: () => Promise.resolve() });
    expect(await joined).toBe('GROUP_AUTHORIZATION_FAILED');
    await bob.disconnect();

    const alice = kafka('alice').consumer({ groupId: GROUP });
    await alice.connect();
    await alice.subscribe({ topic: 'orders', fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void alice.run({
        eachMessage: ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length === 2) resolve();
          return Promise.resolve();
        },
      });
    });
    await alice.disconnect();
    expect(values).toEqual(['one', 'two']);
  });

  it('kafka-acls --remove takes a permission away at once', async () => {
    const removed = await acls('admin', [
      '--remove',
      '--force',
      '--allow-principal',
      'User:alice',
      '--operation',
      'Write',
      '--topic',
      'orders',
    ]);
    expect(removed.code, shownRun(removed, 'kafka-acls --remove')).toBe(0);
    // alice keeps READ on orders, so she still sees it, but may no longer write to it.
    expect(await produceAs('alice', 'orders')).toBe('TOPIC_AUTHORIZATION_FAILED');
    const list = await acls('admin', ['--list', '--topic', 'orders']);
    expect(list.stdout).toContain('operation=READ, permissionType=ALLOW');
    expect(list.stdout).not.toContain('operation=WRITE');
  });
});
