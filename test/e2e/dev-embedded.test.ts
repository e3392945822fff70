/**
 * `kafscale dev` as a real process, driven by real clients: kafkajs creates a topic and
 * produces with acks=all, kcat (librdkafka) consumes; then the process is killed with
 * SIGKILL and restarted on the same data dir, and every acknowledged record is still
 * there, in order, with new records continuing the offsets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { kafscaleSourceArgs, SOURCE_ROOT } from '../fixtures/kafscale-source.js';
import { kcatConsume } from '../support/kcat.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kafscale-dev-e2e-'));
let child: ChildProcess | undefined;

/** Starts `kafscale dev` from source on a free port; resolves with the port it printed. */
async function startDev(): Promise<number> {
  const proc = spawn(
    process.execPath,
    kafscaleSourceArgs(['dev', '--data-dir', dataDir, '--kafka-port', '0']),
    {
      cwd: SOURCE_ROOT,
      env: {
        ...process.env,
        KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
        KAFSCALE_CONTROLPLANE_ADDR: '127.0.0.1:0',
        KAFSCALE_CONSOLE_ADDR: '127.0.0.1:0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child = proc;
  let output = '';
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`kafscale dev did not start: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Kafka on 127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kafscale dev exited with ${String(code)}: ${output}`));
    });
  });
}

async function killDev(): Promise<void> {
  const proc = child;
  if (proc?.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

function consume(port: number, topic: string, partition: number, count: number): Promise<string[]> {
  return kcatConsume(port, topic, partition, count);
}

afterAll(async () => {
  await killDev();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kafscale dev', () => {
  it('serves real clients and keeps every acknowledged record across kill -9', async () => {
    let port = await startDev();
    const kafka = (p: number) =>
      new Kafka({ brokers: [`127.0.0.1:${p}`], clientId: 'dev-e2e', logLevel: logLevel.NOTHING });
    const admin = kafka(port).admin();
    await admin.connect();
    expect(
      await admin.createTopics({
        topics: [{ topic: 'payments', numPartitions: 3 }],
        waitForLeaders: true,
      }),
    ).toBe(true);
    await admin.disconnect();

    const producer = kafka(port).producer();
    await producer.connect();
    const expected = new Map<number, string[]>();
    for (let batch = 0; batch < 10; batch++) {
      const messages = Array.from({ length: 30 }, (_, i) => ({
        partition: i % 3,
        value: `m${batch * 30 + i}`,
      }));
      for (const m of messages)
        expected.set(m.partition, [...(expected.get(m.partition) ?? []), m.value]);
      await producer.send({ topic: 'payments', acks: -1, messages });
    }
    await producer.disconnect();
    const render = (values: readonly string[]) => values.map((v, i) => `${i} ${v}`);
    for (let p = 0; p < 3; p++)
      expect(await consume(port, 'payments', p, 100)).toEqual(render(expected.get(p) ?? []));

    await killDev();
    port = await startDev();
    for (let p = 0; p < 3; p++)
      expect(await consume(port, 'payments', p, 100)).toEqual(render(expected.get(p) ?? []));

    const again = kafka(port).producer();
    await again.connect();
    const [ack] = await again.send({
      topic: 'payments',
      acks: -1,
      messages: [{ partition: 1, value: 'after-restart' }],
    });
    await again.disconnect();
    expect(ack?.baseOffset).toBe('100');
    expect((await consume(port, 'payments', 1, 101)).at(-1)).toBe('100 after-restart');

    const admin2 = kafka(port).admin();
    await admin2.connect();
    await admin2.deleteTopics({ topics: ['payments'] });
    expect(await admin2.listTopics()).toEqual([]);
    await admin2.disconnect();
  });
});
