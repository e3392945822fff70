/**
 * The reference: one Apache Kafka 3.9.1 broker in KRaft mode (broker and controller in one
 * JVM), started from jars as kafka-storage.sh format and kafka-server-start.sh would
 * (`kafka.tools.StorageTool format`, then `kafka.Kafka server.properties` with a 1 GiB heap),
 * on free loopback ports with a temp log dir. Every setting not written below is Kafka's
 * default (log.flush.* included: the broker leaves flushing to the OS); the internal topics
 * get replication factor 1 because there is one broker.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  removeDir,
  waitUntil,
  type ManagedProcess,
} from '../../test/fixtures/processes.js';
import { runJava, spawnJava } from './java.js';

export interface KafkaBroker {
  readonly bootstrap: string;
  /** The broker JVM's pid (a new one after restart()). */
  pid(): number;
  /** Stops the broker cleanly and starts it again on the same log dir. */
  restart(): Promise<void>;
  outputTail(): string;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

export async function startKafkaBroker(lib: string): Promise<KafkaBroker> {
  const dir = makeTempDir('kafka');
  const port = await freePort();
  const controllerPort = await freePort();
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      '',
    ].join('\n'),
  );
  // A cluster id is a random UUID in Kafka's base64url form (what `random-uuid` prints).
  const clusterId = randomBytes(16).toString('base64url');
  await runJava(
    {
      lib,
      name: 'kafka-storage',
      mainClass: 'kafka.tools.StorageTool',
      heap: ['-Xmx512M'],
      args: ['format', '-t', clusterId, '-c', config],
    },
    120_000,
  );

  let proc: ManagedProcess | undefined;
  const start = async (): Promise<void> => {
    const p = spawnJava({
      lib,
      name: 'kafka',
      mainClass: 'kafka.Kafka',
      heap: ['-Xmx1G', '-Xms1G'],
      args: [config],
      cwd: dir,
    });
    proc = p;
    await waitUntil(() => portOpen(port), {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: `Kafka broker on 127.0.0.1:${port}`,
      abortIf: () => p.exitStatus(),
      details: () => p.outputTail(),
    });
  };
  const stopBroker = async (): Promise<void> => {
    await proc?.stop(60_000);
  };
  try {
    await start();
  } catch (err) {
    await stopBroker();
    removeDir(dir);
    throw err;
  }
  return {
    bootstrap: `127.0.0.1:${port}`,
    pid: () => proc?.pid ?? -1,
    async restart() {
      await stopBroker();
      await start();
    },
    outputTail: () => proc?.outputTail() ?? '',
    async stop() {
      await stopBroker();
      removeDir(dir);
    },
  };
}
