/**
 * Reads on a node that does not own the partition: committed data from a snapshot of the
 * partition's index in etcd, the same records and offsets the owner serves; a reader waiting
 * at the high watermark sees new commits within its wait; a stale snapshot whose objects were
 * replaced is reloaded; offsets below the log start are out of range, and ListOffsets
 * answers, as on the owner.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { batchOf, offsetOf, recordsOf, testEngineOptions } from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const engines: StorageEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

async function pair(readerCacheBytes = 8 << 20) {
  const metadata = new MemoryMetadataStore();
  const objects = new MemoryObjectStore();
  const start = async (id: string, recentRunsBytes = 8 << 20) => {
    const e = await StorageEngine.start(
      testEngineOptions(id, metadata, objects, { recentRunsBytes }),
    );
    engines.push(e);
    return e;
  };
  const owner = await start('owner');
  await owner.claim(T, 0);
  return { metadata, objects, owner, reader: await start('reader', readerCacheBytes) };
}

async function read(e: StorageEngine, offset: bigint, maxWaitMs = 0) {
  const [r] = await e.fetch([{ topicId: T, partition: 0, offset, maxBytes: 1 << 20 }], {
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 20,
  });
  if (r === undefined) throw new Error('no result');
  return r;
}

async function append(e: StorageEngine, ...values: string[]) {
  const [r] = await e.append([{ topicId: T, partition: 0, records: batchOf(...values) }]);
  return offsetOf(r);
}

describe('reads on a node that does not own the partition', () => {
  it('serves the committed records, offsets and watermarks the owner serves', async () => {
    const { owner, reader } = await pair();
    await append(owner, 'a', 'b');
    await append(owner, 'c');
    const fromOwner = await read(owner, 0n);
    const fromReader = await read(reader, 0n);
    expect(fromReader.errorCode).toBe(0);
    expect(recordsOf(fromReader.batches)).toEqual(recordsOf(fromOwner.batches));
    expect(recordsOf(fromReader.batches).map((r) => r.value)).toEqual(['a', 'b', 'c']);
    expect([fromReader.highWatermark, fromReader.logStartOffset]).toEqual([3n, 0n]);
    expect(recordsOf((await read(reader, 2n)).batches).map((r) => r.value)).toEqual(['c']);
    expect((await read(reader, 4n)).errorCode).toBe(KafkaError.OFFSET_OUT_OF_RANGE);
  });

  it('answers a reader waiting at the high watermark with what is committed meanwhile', async () => {
    const { owner, reader } = await pair();
    await append(owner, 'first');
    expect((await read(reader, 0n)).batches).toHaveLength(1);
    const waiting = read(reader, 1n, 10_000);
    await new Promise((r) => setTimeout(r, 50));
    await append(owner, 'second');
    const r = await waiting;
    expect(recordsOf(r.batches)).toEqual([{ offset: 1n, value: 'second' }]);
    expect(r.highWatermark).toBe(2n);
  });

  it('reloads a snapshot whose objects were replaced by compaction and deleted', async () => {
    const { objects, owner, reader } = await pair(0); // no cache: every read GETs
    for (let i = 0; i < 4; i++) await append(owner, `v${i}`);
    expect((await read(reader, 0n)).batches).toHaveLength(4); // snapshot cached
    const outcome = await owner.compact(T, 0, {
      segmentBytes: 1 << 20,
      minEntries: 2,
      maxEntries: 100,
    });
    if (outcome?.kind !== 'compacted') throw new Error('no compaction');
    await objects.delete(outcome.released);
    // The cached snapshot names the deleted objects; the read reloads it and goes on.
    const r = await read(reader, 1n);
    expect(recordsOf(r.batches).map((x) => x.value)).toEqual(['v1', 'v2', 'v3']);
  });

  it('answers OFFSET_OUT_OF_RANGE below a log start that DeleteRecords moved', async () => {
    const { owner, reader } = await pair();
    for (let i = 0; i < 3; i++) await append(owner, `v${i}`);
    const [moved] = await owner.deleteRecords([{ topicId: T, partition: 0, offset: 2n }]);
    expect(moved?.errorCode).toBe(0);
    const below = await read(reader, 0n);
    expect(below.errorCode).toBe(KafkaError.OFFSET_OUT_OF_RANGE);
    expect(below.logStartOffset).toBe(2n);
    expect(recordsOf((await read(reader, 2n)).batches).map((r) => r.value)).toEqual(['v2']);
  });

  it('lists earliest, latest and by-timestamp offsets as the owner does', async () => {
    const { owner, reader } = await pair();
    for (let i = 0; i < 3; i++) await append(owner, `v${i}`);
    await owner.deleteRecords([{ topicId: T, partition: 0, offset: 1n }]);
    for (const timestamp of [-2n, -1n, 0n]) {
      const ask = (e: StorageEngine) => e.listOffsets([{ topicId: T, partition: 0, timestamp }]);
      expect(await ask(reader)).toEqual(await ask(owner));
    }
    const [latest] = await reader.listOffsets([{ topicId: T, partition: 0, timestamp: -1n }]);
    expect(latest).toMatchObject({ errorCode: 0, offset: 3n });
  });
});
