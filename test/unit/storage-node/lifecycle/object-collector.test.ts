/**
 * The object collector: an object goes once no run listed in its record is referenced by an
 * index entry and the record is past the grace period; a second look starts at the run that
 * still named it; orphans (no record) go by the object's age; anything it cannot read is kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../lib/metadata/keys.js';
import { decodeObjectRecord } from '../../../../lib/metadata/lifecycle-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import { ObjectCollector } from '../../../../storage-node/src/lifecycle/object-collector.js';
import { batchOf, offsetOf } from '../../../support/storage-harness.js';
import { lifecycleRig, T, type LifecycleRig } from './lifecycle-harness.js';

const rigs: LifecycleRig[] = [];

afterEach(async () => {
  for (const r of rigs.splice(0)) await r.engine.stop();
});

/** Both partitions of T written in one flush: one object holding two runs. */
async function sharedObject(graceMs = 0): Promise<{ rig: LifecycleRig; objectKey: string }> {
  const rig = await lifecycleRig(graceMs);
  rigs.push(rig);
  await rig.engine.claim(T, 0);
  await rig.engine.claim(T, 1);
  const outcomes = await rig.engine.append([
    { topicId: T, partition: 0, records: batchOf('a0', 'a1') },
    { topicId: T, partition: 1, records: batchOf('b0') },
  ]);
  for (const o of outcomes) offsetOf(o);
  const [objectKey] = await rig.objectKeys();
  if (objectKey === undefined) throw new Error('no object written');
  return { rig, objectKey };
}

describe('ObjectCollector', () => {
  it("records every run of an object at commit; keeps it while any run's entry names it", async () => {
    const { rig, objectKey } = await sharedObject();
    const kv = await rig.metadata.get(keys.objectRecord(objectKey));
    const record = decodeObjectRecord(kv?.key ?? '', kv?.value ?? new Uint8Array());
    expect(record.runs).toEqual([
      { topicId: T, partition: 0, baseOffset: 0n },
      { topicId: T, partition: 1, baseOffset: 0n },
    ]);
    expect(await rig.collector.collect(objectKey)).toBe('referenced');

    await rig.engine.deleteRecords([{ topicId: T, partition: 0, offset: -1n }]);
    expect(rig.released).toEqual([objectKey]);
    expect(await rig.collector.collect(objectKey)).toBe('referenced'); // partition 1 still reads it
    expect(await rig.objectKeys()).toEqual([objectKey]);

    await rig.engine.deleteRecords([{ topicId: T, partition: 1, offset: -1n }]);
    expect(await rig.collector.collect(objectKey)).toBe('deleted');
    expect(await rig.objectKeys()).toEqual([]);
    expect(await rig.metadata.get(keys.objectRecord(objectKey))).toBeUndefined();
    expect(await rig.collector.collect(objectKey)).toBe('unrecorded');
  });

  it('looks again from the run that still named the object, not from the first run', async () => {
    const { rig, objectKey } = await sharedObject();
    await rig.engine.deleteRecords([{ topicId: T, partition: 0, offset: -1n }]);
    const reads: string[] = [];
    const get = rig.metadata.get.bind(rig.metadata);
    rig.metadata.get = (key: string) => {
      reads.push(key);
      return get(key);
    };
    expect(await rig.collector.collect(objectKey)).toBe('referenced');
    expect(reads).toEqual([
      keys.objectRecord(objectKey),
      keys.indexEntry(T, 0, 0n),
      keys.indexEntry(T, 1, 0n),
    ]);
    reads.length = 0;
    expect(await rig.collector.collect(objectKey)).toBe('referenced');
    expect(reads).toEqual([keys.objectRecord(objectKey), keys.indexEntry(T, 1, 0n)]);
    await rig.engine.deleteRecords([{ topicId: T, partition: 1, offset: -1n }]);
    expect(await rig.collector.collect(objectKey)).toBe('deleted');
  });

  it('keeps an unreferenced object whose record is younger than the grace period', async () => {
    const { rig, objectKey } = await sharedObject(3_600_000);
    await rig.engine.deleteRecords([
      { topicId: T, partition: 0, offset: -1n },
      { topicId: T, partition: 1, offset: -1n },
    ]);
    expect(await rig.collector.collect(objectKey)).toBe('young');
    expect(await rig.objectKeys()).toEqual([objectKey]);
  });

  it('keeps an object whose record or index entry it cannot read', async () => {
    const { rig, objectKey } = await sharedObject();
    await rig.metadata.txn(
      [],
      [{ type: 'put', key: keys.indexEntry(T, 0, 0n), value: Buffer.from('not json') }],
    );
    await rig.engine.deleteRecords([{ topicId: T, partition: 1, offset: -1n }]);
    expect(await rig.collector.collect(objectKey)).toBe('referenced');
    await rig.metadata.txn(
      [],
      [{ type: 'put', key: keys.objectRecord(objectKey), value: Buffer.from('{"runs":1}') }],
    );
    expect(await rig.collector.collect(objectKey)).toBe('unreadable');
    expect(await rig.objectKeys()).toEqual([objectKey]);
  });

  it('deletes an orphan only past the grace period and only without a record', async () => {
    let clock = 1_000_000;
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore(() => clock);
    const collector = new ObjectCollector({
      metadata,
      objects,
      graceMs: 60_000,
      now: () => clock,
    });
    await objects.put('data/n/orphan.kfs', Buffer.from('x'));
    await objects.put('data/n/recorded.kfs', Buffer.from('y'));
    await metadata.txn(
      [],
      [
        {
          type: 'put',
          key: keys.objectRecord('data/n/recorded.kfs'),
          value: Buffer.from('{"createdAtMs":0,"runs":[]}'),
        },
      ],
    );
    const written = 1_000_000;
    expect(await collector.collectOrphan('data/n/orphan.kfs', written)).toBe(false);
    clock += 60_000;
    expect(await collector.collectOrphan('data/n/recorded.kfs', written)).toBe(false);
    expect(await collector.collectOrphan('data/n/orphan.kfs', written)).toBe(true);
    expect((await objects.list('')).objects.map((o) => o.key)).toEqual(['data/n/recorded.kfs']);
  });
});
