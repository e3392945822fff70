/**
 * Compaction through the engine on in-memory stores: small runs become one segment with the
 * same records, offsets, timestamps, epochs and idempotent producer state; the index in etcd
 * shrinks to one key; a read from inside a large segment GETs from near its offset; the
 * replaced objects become unreferenced; a node that lost its claim changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { buildRecordBatchSync } from '../../../../lib/kafka/record-batch/build-batch.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { decodeIndexEntry } from '../../../../lib/metadata/partition-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import { StorageEngine } from '../../../../storage-node/src/storage-engine.js';
import {
  RangeRecordingStore,
  offsetOf,
  recordsOf,
  testEngineOptions,
} from '../../../support/storage-harness.js';
import { T } from './lifecycle-harness.js';

const engines: StorageEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

async function engineOn(
  metadata: MemoryMetadataStore,
  objects: MemoryObjectStore,
  recentRunsBytes = 0,
) {
  const e = await StorageEngine.start(
    testEngineOptions(`node-${engines.length}`, metadata, objects, { recentRunsBytes }),
  );
  engines.push(e);
  await e.claim(T, 0);
  return e;
}

const PRODUCER = 7n;
function batch(seq: number, value: string, timestamp: bigint): Buffer {
  return buildRecordBatchSync({
    baseTimestamp: timestamp,
    producerId: PRODUCER,
    producerEpoch: 0,
    baseSequence: seq,
    records: [{ key: null, value: Buffer.from(value), timestampDelta: 0 }],
  });
}

async function readFrom(e: StorageEngine, offset: bigint, maxBytes = 64 << 20) {
  const [r] = await e.fetch([{ topicId: T, partition: 0, offset, maxBytes }], {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes,
  });
  return r;
}

const settings = { segmentBytes: 64 << 20, minEntries: 4, maxEntries: 100 };

/** Appends record `i` (value `i:` and 200,000 bytes) in a batch of its own. */
async function sendLarge(e: StorageEngine, i: number): Promise<bigint> {
  const records = batch(i, `${i}:${'x'.repeat(200_000)}`, 1000n);
  return offsetOf((await e.append([{ topicId: T, partition: 0, records }]))[0]);
}

describe('compaction', () => {
  it('merges runs into one segment that reads, lists and deduplicates as before', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const e = await engineOn(metadata, objects);
    for (let i = 0; i < 6; i++)
      offsetOf(
        (
          await e.append([
            { topicId: T, partition: 0, records: batch(i, `v${i}`, BigInt(1000 + i)) },
          ])
        )[0],
      );
    const before = recordsOf((await readFrom(e, 0n))?.batches ?? []);
    const oldObjects = (await objects.list('data/')).objects.map((o) => o.key);
    expect(oldObjects).toHaveLength(6);

    const outcome = await e.compact(T, 0, settings);
    expect(outcome).toMatchObject({ kind: 'compacted', merged: 6 });
    expect(outcome?.kind === 'compacted' && outcome.released.sort()).toEqual(oldObjects.sort());
    const { kvs } = await metadata.list(keys.indexPrefix(T, 0));
    expect(kvs).toHaveLength(1);
    const segment = decodeIndexEntry(kvs[0]?.key ?? '', kvs[0]?.value ?? new Uint8Array());
    expect(segment).toMatchObject({
      baseOffset: 0n,
      lastOffset: 5n,
      batchCount: 6,
      maxTimestamp: 1005n,
    });
    expect(segment.objectKey).toMatch(
      /^seg\/AAAAAAAAAAAAAAAAAAAAAQ\/0\/0{20}-0{19}5-[0-9a-f]{8}\.kfs$/,
    );
    expect(segment.producers?.map((p) => p.firstSeq)).toEqual([1, 2, 3, 4, 5]);

    expect(recordsOf((await readFrom(e, 0n))?.batches ?? [])).toEqual(before);
    expect(recordsOf((await readFrom(e, 3n))?.batches ?? []).map((r) => r.value)).toEqual([
      'v3',
      'v4',
      'v5',
    ]);
    const [byTime] = await e.listOffsets([{ topicId: T, partition: 0, timestamp: 1003n }]);
    expect(byTime).toMatchObject({ offset: 3n, timestamp: 1003n });
    expect(await e.compact(T, 0, settings)).toBeUndefined(); // nothing left worth merging

    // A new owner rebuilds the producer state from the segment's entry: a retry of the
    // last batch is a duplicate answered with its original offset.
    await e.stop();
    engines.splice(engines.indexOf(e), 1);
    await metadata.txn([], [{ type: 'delete', key: keys.partitionOwner(T, 0) }]);
    const next = await engineOn(metadata, objects);
    const [retry] = await next.append([
      { topicId: T, partition: 0, records: batch(5, 'v5', 1005n) },
    ]);
    expect(offsetOf(retry)).toBe(5n);
    expect(recordsOf((await readFrom(next, 0n))?.batches ?? [])).toEqual(before);
  });

  it('merges more entries than one transaction may have ops, deleting them with one range', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const e = await engineOn(metadata, objects);
    const n = 300; // more than MAX_TXN_OPS (128)
    for (let i = 0; i < n; i++)
      await e.append([{ topicId: T, partition: 0, records: batch(i, `v${i}`, BigInt(i)) }]);
    const outcome = await e.compact(T, 0, {
      segmentBytes: 64 << 20,
      minEntries: 4,
      maxEntries: 1000,
    });
    expect(outcome).toMatchObject({ kind: 'compacted', merged: n });
    expect((await metadata.list(keys.indexPrefix(T, 0))).kvs).toHaveLength(1);
    const values = recordsOf((await readFrom(e, 0n))?.batches ?? []).map((r) => r.value);
    expect(values).toEqual(Array.from({ length: n }, (_, i) => `v${i}`));
    // Later appends land after the segment and read on from it.
    const [next] = await e.append([{ topicId: T, partition: 0, records: batch(n, 'after', 0n) }]);
    expect(offsetOf(next)).toBe(BigInt(n));
    expect((await metadata.list(keys.indexPrefix(T, 0))).kvs).toHaveLength(2);
  });

  it('reads a large segment from the recorded position nearest below the offset', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new RangeRecordingStore();
    const e = await engineOn(metadata, objects);
    const value = 'x'.repeat(200_000);
    for (let i = 0; i < 20; i++)
      offsetOf(
        (
          await e.append([{ topicId: T, partition: 0, records: batch(i, `${i}:${value}`, 1000n) }])
        )[0],
      );
    const outcome = await e.compact(T, 0, settings);
    if (outcome?.kind !== 'compacted') throw new Error('not compacted');
    expect(outcome.segment.positions?.length).toBeGreaterThanOrEqual(3);

    objects.gets.length = 0;
    const r = await readFrom(e, 15n, 300_000);
    expect(recordsOf(r?.batches ?? []).map((x) => x.value.split(':')[0])).toEqual(['15']);
    const [get] = objects.gets;
    expect(get?.key).toBe(outcome.segment.objectKey);
    // Not from the segment's start, and about a MiB, not the whole 4 MB segment.
    expect(get?.range?.start).toBeGreaterThan(2_000_000);
    expect((get?.range?.end ?? 0) - (get?.range?.start ?? 0)).toBeLessThan(1_700_000);
    // Reading everything from 0 walks the segment piece by piece and returns all 20.
    const all = recordsOf((await readFrom(e, 0n))?.batches ?? []);
    expect(all.map((x) => x.offset)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
  });

  it('re-merges a segment whole even after a reader cached a piece of it', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const e = await engineOn(metadata, objects, 64 << 20);
    const send = (i: number) => sendLarge(e, i);
    for (let i = 0; i < 20; i++) await send(i);
    const first = await e.compact(T, 0, settings);
    if (first?.kind !== 'compacted') throw new Error('not compacted');
    // A reader at offset 0 caches the segment's first piece (same start as the whole entry).
    expect(recordsOf((await readFrom(e, 0n, 1))?.batches ?? []).map((x) => x.offset)).toEqual([0n]);
    for (let i = 20; i < 24; i++) await send(i);
    const second = await e.compact(T, 0, settings);
    expect(second).toMatchObject({ kind: 'compacted', merged: 5 });
    const all = recordsOf((await readFrom(e, 0n))?.batches ?? []);
    expect(all.map((x) => x.offset)).toEqual(Array.from({ length: 24 }, (_, i) => BigInt(i)));
  });

  it('caches what it wrote in the pieces reads ask for, in place of the replaced runs', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new RangeRecordingStore();
    const e = await engineOn(metadata, objects, 64 << 20);
    const send = (i: number) => sendLarge(e, i);
    for (let i = 0; i < 20; i++) await send(i);
    const cachedRuns = e.cachedBytes();
    const first = await e.compact(T, 0, settings);
    if (first?.kind !== 'compacted') throw new Error('not compacted');
    expect(first.segment.positions?.length).toBeGreaterThanOrEqual(3);
    // The runs' bytes left the cache as the segment's came in: the same bytes, once.
    expect(e.cachedBytes()).toBe(cachedRuns);
    // Reads from anywhere in the segment, and merging it again, GET nothing.
    expect(recordsOf((await readFrom(e, 15n, 1))?.batches ?? []).map((x) => x.offset)).toEqual([
      15n,
    ]);
    for (let i = 20; i < 24; i++) await send(i);
    expect(await e.compact(T, 0, settings)).toMatchObject({ kind: 'compacted', merged: 5 });
    const all = recordsOf((await readFrom(e, 0n))?.batches ?? []);
    expect(all.map((x) => x.offset)).toEqual(Array.from({ length: 24 }, (_, i) => BigInt(i)));
    expect(objects.gets).toEqual([]);
  });

  it('a node that lost its claim changes nothing; its segment is left unrecorded', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const e = await engineOn(metadata, objects);
    for (let i = 0; i < 4; i++)
      offsetOf(
        (await e.append([{ topicId: T, partition: 0, records: batch(i, `v${i}`, 1000n) }]))[0],
      );
    // Another node's claim replaces ours in etcd (ours has not noticed yet).
    await metadata.txn([], [{ type: 'delete', key: keys.partitionOwner(T, 0) }]);
    await metadata.txn(
      [],
      [
        {
          type: 'put',
          key: keys.partitionOwner(T, 0),
          value: Buffer.from('{"owner":"other","epoch":9}'),
        },
      ],
    );
    const outcome = await e.compact(T, 0, settings);
    expect(outcome).toMatchObject({ kind: 'refused' });
    expect((await metadata.list(keys.indexPrefix(T, 0))).kvs).toHaveLength(4);
    const segments = (await objects.list('seg/')).objects;
    expect(segments).toHaveLength(1);
    expect(await metadata.get(keys.objectRecord(segments[0]?.key ?? ''))).toBeUndefined();
    expect((await readFrom(e, 0n))?.errorCode).toBe(KafkaError.NONE);
  });
});
