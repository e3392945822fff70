/**
 * The object sweep: a deleted topic's partition keys and objects go (and its record, once
 * nothing is left), unreferenced objects the owners did not collect go, orphans past the
 * grace period go, and only the holder of the sweeper seat sweeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { encodeDeletedTopic } from '../../../../lib/metadata/lifecycle-records.js';
import { Sweeper } from '../../../../storage-node/src/lifecycle/sweeper.js';
import { batchOf, offsetOf } from '../../../support/storage-harness.js';
import { lifecycleRig, silentLog, T, type LifecycleRig } from './lifecycle-harness.js';

const rigs: LifecycleRig[] = [];
const sweepers: Sweeper[] = [];

afterEach(async () => {
  for (const s of sweepers.splice(0)) await s.stop();
  for (const r of rigs.splice(0)) await r.engine.stop();
});

function sweeperOf(rig: LifecycleRig, nodeId = 'node-0'): Sweeper {
  const s = new Sweeper({
    nodeId,
    metadata: rig.metadata,
    objects: rig.objects,
    collector: rig.collector,
    intervalMs: 60_000,
    leaseTtlSeconds: 10,
    log: silentLog,
  });
  sweepers.push(s);
  return s;
}

async function rigWithData(graceMs = 0): Promise<LifecycleRig> {
  const rig = await lifecycleRig(graceMs);
  rigs.push(rig);
  for (const p of [0, 1]) await rig.engine.claim(T, p);
  for (let i = 0; i < 3; i++) {
    const outcomes = await rig.engine.append([
      { topicId: T, partition: 0, records: batchOf(`a${i}`) },
      { topicId: T, partition: 1, records: batchOf(`b${i}`) },
    ]);
    for (const o of outcomes) offsetOf(o);
  }
  return rig;
}

describe('Sweeper', () => {
  it("deletes a deleted topic's partition keys, objects and record; its owner is fenced", async () => {
    const rig = await rigWithData();
    expect(await rig.objectKeys()).toHaveLength(3);
    await rig.metadata.txn(
      [],
      [
        {
          type: 'put',
          key: keys.deletedTopic(T),
          value: encodeDeletedTopic({ name: 'gone', partitions: 2, deletedAtMs: 0 }),
        },
      ],
    );
    const stats = await sweeperOf(rig).passIfHolder();
    expect(stats).toEqual({
      topicsFinished: 1,
      partitionsDeleted: 2,
      objectsDeleted: 3,
      orphansDeleted: 0,
    });
    expect(await rig.objectKeys()).toEqual([]);
    expect((await rig.metadata.list(keys.topicPartitionsPrefix(T))).kvs).toEqual([]);
    expect((await rig.metadata.list(keys.objectRecordsPrefix())).kvs).toEqual([]);
    expect(await rig.metadata.get(keys.deletedTopic(T))).toBeUndefined();
    // The owner's next commit finds its state gone and gives the partition up.
    const [late] = await rig.engine.append([{ topicId: T, partition: 0, records: batchOf('x') }]);
    expect(late).toMatchObject({ ok: false, errorCode: KafkaError.NOT_LEADER_OR_FOLLOWER });
  });

  it('keeps the deleted-topic record until the grace period has passed', async () => {
    const rig = await rigWithData(3_600_000);
    await rig.metadata.txn(
      [],
      [
        {
          type: 'put',
          key: keys.deletedTopic(T),
          value: encodeDeletedTopic({ name: 'gone', partitions: 2, deletedAtMs: Date.now() }),
        },
      ],
    );
    const stats = await sweeperOf(rig).passIfHolder();
    // Keys go at once; the young objects and the record wait for a later pass.
    expect(stats).toMatchObject({ topicsFinished: 0, partitionsDeleted: 2, objectsDeleted: 0 });
    expect((await rig.metadata.list(keys.topicPartitionsPrefix(T))).kvs).toEqual([]);
    expect(await rig.objectKeys()).toHaveLength(3);
    expect(await rig.metadata.get(keys.deletedTopic(T))).toBeDefined();
  });

  it('collects unreferenced objects an owner left, and orphans with no record', async () => {
    const rig = await rigWithData();
    await rig.engine.deleteRecords([
      { topicId: T, partition: 0, offset: 2n },
      { topicId: T, partition: 1, offset: 2n },
    ]);
    await rig.objects.put('data/dead-node/00000000000001-orphan.kfs', Buffer.from('x'));
    const before = await rig.objectKeys();
    expect(before).toHaveLength(4);
    const stats = await sweeperOf(rig).passIfHolder();
    expect(stats).toMatchObject({ objectsDeleted: 2, orphansDeleted: 1 });
    const left = await rig.objectKeys();
    expect(left).toHaveLength(1);
    // What is left is the object of offset 2 of both partitions, still readable.
    const [r] = await rig.engine.fetch(
      [{ topicId: T, partition: 0, offset: 2n, maxBytes: 1 << 20 }],
      { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20 },
    );
    expect(r?.errorCode).toBe(0);
    expect(r?.batches).toHaveLength(1);
  });

  it('lets only the holder of the sweeper seat sweep', async () => {
    const rig = await rigWithData();
    const first = sweeperOf(rig, 'node-0');
    const second = sweeperOf(rig, 'node-1');
    expect(await first.passIfHolder()).toBeDefined();
    expect(await second.passIfHolder()).toBeUndefined();
    await first.stop(); // revokes its lease: the seat is free
    expect(await second.passIfHolder()).toBeDefined();
  });
});
