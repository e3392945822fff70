/**
 * The retention runner against an engine on in-memory stores: the topic's configs (followed
 * through the topics watch) decide how far the log start moves; reads below it are out of
 * range, ListOffsets earliest answers it, and the emptied objects go to the collector.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { RetentionRunner } from '../../../../storage-node/src/lifecycle/retention-runner.js';
import { TopicConfigsView } from '../../../../storage-node/src/lifecycle/topic-configs-view.js';
import { batchAt, offsetOf } from '../../../support/storage-harness.js';
import { lifecycleRig, silentLog, T, type LifecycleRig } from './lifecycle-harness.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runnerOf(rig: LifecycleRig): Promise<RetentionRunner> {
  const topics = new TopicConfigsView(rig.metadata, silentLog);
  await topics.start();
  const runner = new RetentionRunner({
    engine: rig.engine,
    topics,
    intervalMs: 60_000,
    log: silentLog,
  });
  cleanups.push(
    () => runner.stop(),
    () => topics.stop(),
  );
  return runner;
}

/** Three runs: two an hour old (offsets 0-1, 2-3), one fresh (4-5). */
async function rigWithAges(): Promise<LifecycleRig> {
  const rig = await lifecycleRig();
  cleanups.push(() => rig.engine.stop());
  await rig.engine.claim(T, 0);
  const hourAgo = BigInt(Date.now() - 3_600_000);
  for (const ts of [hourAgo, hourAgo, BigInt(Date.now())]) {
    offsetOf(
      (await rig.engine.append([{ topicId: T, partition: 0, records: batchAt(ts, 'x', 'y') }]))[0],
    );
  }
  return rig;
}

const earliest = async (rig: LifecycleRig) =>
  (await rig.engine.listOffsets([{ topicId: T, partition: 0, timestamp: -2n }]))[0]?.offset;

describe('RetentionRunner', () => {
  it('retention.ms moves the log start past the expired runs and releases their objects', async () => {
    const rig = await rigWithAges();
    await rig.putTopic({ 'retention.ms': '60000' });
    const runner = await runnerOf(rig);
    await runner.pass();
    expect(await earliest(rig)).toBe(4n);
    const [below] = await rig.engine.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }],
      { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20 },
    );
    expect(below?.errorCode).toBe(KafkaError.OFFSET_OUT_OF_RANGE);
    expect(rig.released).toHaveLength(2);
    for (const key of rig.released) expect(await rig.collector.collect(key)).toBe('deleted');
    expect(await rig.objectKeys()).toHaveLength(1);
  });

  it('follows config changes: nothing under the default, then retention.bytes trims', async () => {
    const rig = await rigWithAges();
    await rig.putTopic({});
    const runner = await runnerOf(rig);
    await runner.pass();
    expect(await earliest(rig)).toBe(0n);
    const [one] = rig.engine.ownedLogs();
    const runBytes = one?.index[0]?.length ?? 0;
    await rig.putTopic({ 'retention.bytes': String(runBytes) });
    await new Promise((r) => setTimeout(r, 20)); // the watch delivers the change
    await runner.pass();
    expect(await earliest(rig)).toBe(4n);
  });

  it('cleanup.policy=compact keeps everything; a deleted topic is left to the sweep', async () => {
    const rig = await rigWithAges();
    await rig.putTopic({ 'cleanup.policy': 'compact', 'retention.ms': '1' });
    const runner = await runnerOf(rig);
    await runner.pass();
    expect(await earliest(rig)).toBe(0n);
    await rig.metadata.txn([], [{ type: 'deletePrefix', prefix: '/kafscale/topics/' }]);
    await new Promise((r) => setTimeout(r, 20));
    await runner.pass();
    expect(await earliest(rig)).toBe(0n);
  });
});
