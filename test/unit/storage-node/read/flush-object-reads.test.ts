/**
 * Whole flush-object reads: a cold read of a flush run GETs its object's head once and
 * caches every run in it, so reads of the other partitions' runs of that object need no GET;
 * in an object larger than WHOLE_OBJECT_BYTES, a run within the head still comes from it and
 * a run past it is a ranged GET of its own; a cached run does not keep the rest of the object
 * in memory.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { WHOLE_OBJECT_BYTES } from '../../../../storage-node/src/read/flush-object-reads.js';
import { StorageEngine } from '../../../../storage-node/src/storage-engine.js';
import {
  RangeRecordingStore,
  batchOf,
  offsetOf,
  recordsOf,
  testEngineOptions,
} from '../../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const PARTITIONS = [0, 1, 2];

const engines: StorageEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

/**
 * `flushes` appends of one batch per partition (values from `value(p, f)`), each one flush
 * object holding a run of every partition, written by one node; then a fresh node (cold
 * cache, no read-ahead) owns the partitions. Returns it, the store and the objects' keys.
 */
async function coldReader(flushes: number, value: (p: number, f: number) => string) {
  const metadata = new MemoryMetadataStore();
  const store = new RangeRecordingStore();
  // One flush per append, however large (the harness flushes at 1 MiB pending).
  const writer = await StorageEngine.start(
    testEngineOptions('writer', metadata, store, { flushBytes: 64 << 20 }),
  );
  for (const p of PARTITIONS) await writer.claim(T, p);
  for (let f = 0; f < flushes; f++) {
    const outcomes = await writer.append(
      PARTITIONS.map((p) => ({ topicId: T, partition: p, records: batchOf(value(p, f)) })),
    );
    outcomes.forEach((o) => offsetOf(o));
  }
  await writer.stop();
  for (const p of PARTITIONS)
    await metadata.txn([], [{ type: 'delete', key: keys.partitionOwner(T, p) }]);
  const objectKeys = (await store.list('')).objects.map((o) => o.key);
  expect(objectKeys).toHaveLength(flushes);
  const reader = await StorageEngine.start(
    testEngineOptions('reader', metadata, store, { readAheadPieces: 0 }),
  );
  engines.push(reader);
  for (const p of PARTITIONS) await reader.claim(T, p);
  store.gets.length = 0;
  return { reader, store, objectKeys };
}

async function readValues(reader: StorageEngine, partitions: readonly number[]) {
  const results = await reader.fetch(
    partitions.map((p) => ({ topicId: T, partition: p, offset: 0n, maxBytes: 8 << 20 })),
    { maxWaitMs: 0, minBytes: 0, maxBytes: 8 << 20 },
  );
  return results.map((r) => recordsOf(r.batches).map((x) => x.value));
}

describe('whole flush-object reads', () => {
  it('GET each object once for a cold read of the partitions it holds', async () => {
    const { reader, store, objectKeys } = await coldReader(3, (p, f) => `p${p}-f${f}`);
    expect(await readValues(reader, PARTITIONS)).toEqual(
      PARTITIONS.map((p) => [0, 1, 2].map((f) => `p${p}-f${f}`)),
    );
    expect(store.gets.map((g) => g.key).sort()).toEqual([...objectKeys].sort());
    expect(store.gets.every((g) => g.range?.start === 0)).toBe(true);
  });

  it('cache the runs of partitions read later, so those reads make no GET', async () => {
    const { reader, store, objectKeys } = await coldReader(2, (p, f) => `p${p}-f${f}`);
    expect(await readValues(reader, [0])).toEqual([['p0-f0', 'p0-f1']]);
    expect(store.gets).toHaveLength(objectKeys.length);
    expect(await readValues(reader, [1, 2])).toEqual([
      ['p1-f0', 'p1-f1'],
      ['p2-f0', 'p2-f1'],
    ]);
    expect(store.gets).toHaveLength(objectKeys.length);
  });

  it('keep each run in memory of its own, not in the object it was read with', async () => {
    // Three runs of 100 KiB: a view into the GET's answer would keep all 300 KiB alive.
    const value = (p: number) => String(p).repeat(100 * 1024);
    const { reader } = await coldReader(1, value);
    const [result] = await reader.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 8 << 20 }],
      { maxWaitMs: 0, minBytes: 0, maxBytes: 8 << 20 },
    );
    const [batch] = result?.batches ?? [];
    expect(recordsOf(result?.batches ?? []).map((x) => x.value)).toEqual([value(0)]);
    expect(batch?.buffer.byteLength).toBeLessThan(2 * 100 * 1024);
  });

  it('read a run past the head of a larger object with a ranged GET of its own', async () => {
    // Three runs of 600 KiB: the first lies within the head, the second and third do not.
    const big = (p: number) => String(p).repeat(600 * 1024);
    const { reader, store, objectKeys } = await coldReader(1, big);
    const [objectKey] = objectKeys;
    expect(await readValues(reader, [0])).toEqual([[big(0)]]);
    expect(store.gets).toEqual([
      { key: objectKey, range: { start: 0, end: WHOLE_OBJECT_BYTES - 1 } },
    ]);
    expect(await readValues(reader, [1])).toEqual([[big(1)]]);
    expect(store.gets).toHaveLength(2);
    const second = store.gets[1]?.range;
    expect(second?.start).toBeGreaterThan(0);
    expect(second?.end).toBeGreaterThanOrEqual(WHOLE_OBJECT_BYTES);
  });
});
