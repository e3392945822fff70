/**
 * Read-ahead: a fetch that read data starts loading the next pieces (as many bytes as its
 * budget, when that is more, up to 1/64 of the cache) into the cache, so a sequential
 * reader's next fetch needs no GET; a fetch GETs all the runs its budget covers at once; a
 * fetch and a read-ahead of one range share one GET.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import type { ByteRange } from '../../../lib/stores/object-store.js';
import { MAX_READAHEAD_LOADS, readAhead } from '../../../storage-node/src/read/read-partition.js';
import { RecentRuns } from '../../../storage-node/src/read/recent-runs.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { batchOf, offsetOf, recordsOf, testEngineOptions } from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';

class CountingStore extends MemoryObjectStore {
  gets = 0;
  override get(key: string, range?: ByteRange): Promise<Buffer> {
    this.gets++;
    return super.get(key, range);
  }
}

const engines: StorageEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

/** Six one-record runs written by one node, then read by a fresh owner (cold cache). */
async function coldOwner(readAheadPieces: number, recentRunsBytes = 8 << 20) {
  const metadata = new MemoryMetadataStore();
  const objects = new CountingStore();
  const writer = await StorageEngine.start(testEngineOptions('writer', metadata, objects));
  await writer.claim(T, 0);
  for (let i = 0; i < 6; i++)
    offsetOf((await writer.append([{ topicId: T, partition: 0, records: batchOf(`v${i}`) }]))[0]);
  await writer.stop();
  await metadata.txn([], [{ type: 'delete', key: keys.partitionOwner(T, 0) }]);
  const reader = await StorageEngine.start(
    testEngineOptions('reader', metadata, objects, { readAheadPieces, recentRunsBytes }),
  );
  engines.push(reader);
  await reader.claim(T, 0);
  objects.gets = 0;
  return { reader, objects };
}

/** The values fetched at `offset` within `maxBytes` (1: KIP-74 still returns one batch). */
async function fetchValues(e: StorageEngine, offset: bigint, maxBytes = 1) {
  const [r] = await e.fetch([{ topicId: T, partition: 0, offset, maxBytes }], {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes,
  });
  return recordsOf(r?.batches ?? []).map((x) => x.value);
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('read-ahead', () => {
  it('loads the next pieces after a fetch, so the next fetches need no GET', async () => {
    const { reader, objects } = await coldOwner(2);
    expect(await fetchValues(reader, 0n)).toEqual(['v0']);
    await settle();
    expect(objects.gets).toBe(3); // run 0, then runs 1 and 2 read ahead
    expect(await fetchValues(reader, 1n)).toEqual(['v1']);
    expect(await fetchValues(reader, 2n)).toEqual(['v2']);
    await settle();
    expect(objects.gets).toBe(5); // runs 3 and 4 read ahead meanwhile; nothing read twice
  });

  it('reads ahead as many bytes as the fetch’s budget when that is more pieces', async () => {
    const { reader, objects } = await coldOwner(2);
    const three = 3 * batchOf('v0').length;
    expect(await fetchValues(reader, 0n, three)).toEqual(['v0', 'v1', 'v2']);
    await settle();
    expect(objects.gets).toBe(6); // runs 0-2 fetched, runs 3-5 (three runs' bytes) read ahead
    expect(await fetchValues(reader, 3n, three)).toEqual(['v3', 'v4', 'v5']);
    expect(objects.gets).toBe(6);
  });

  it('reads ahead no more than the cache budget over MAX_READAHEAD_LOADS', async () => {
    const run = batchOf('v0').length;
    // The cap is one and a half runs: read-ahead keeps to its two pieces.
    const { reader, objects } = await coldOwner(2, Math.floor(1.5 * run * MAX_READAHEAD_LOADS));
    expect(await fetchValues(reader, 0n, 3 * run)).toEqual(['v0', 'v1', 'v2']);
    await settle();
    expect(objects.gets).toBe(5); // runs 0-2 fetched, runs 3 and 4 read ahead
  });

  it('GETs every run a fetch budget covers at once, not one after another', async () => {
    const { reader, objects } = await coldOwner(0);
    let inFlight = 0;
    let most = 0;
    const get = objects.get.bind(objects);
    objects.get = async (key: string, range?: ByteRange) => {
      most = Math.max(most, ++inFlight);
      await settle();
      inFlight--;
      return get(key, range);
    };
    const [r] = await reader.fetch([{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }], {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
    });
    expect(recordsOf(r?.batches ?? []).map((x) => x.value)).toEqual([
      'v0',
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
    ]);
    expect(objects.gets).toBe(6);
    expect(most).toBe(6);
  });

  it('reads only what is fetched when read-ahead is off', async () => {
    const { reader, objects } = await coldOwner(0);
    expect(await fetchValues(reader, 0n)).toEqual(['v0']);
    await settle();
    expect(objects.gets).toBe(1);
  });
});

describe('read-ahead bound', () => {
  it('starts no load while MAX_READAHEAD_LOADS are in flight on the node', async () => {
    const recent = new RecentRuns(1 << 20);
    const stuck: Promise<readonly Uint8Array[]>[] = [];
    for (let i = 0; i < MAX_READAHEAD_LOADS; i++)
      stuck.push(recent.getOrLoad(`stuck-${i}`, () => new Promise(() => undefined)));
    const objects = new CountingStore();
    await objects.put('data/n/x.kfs', batchOf('a'));
    const entry = {
      baseOffset: 0n,
      lastOffset: 0n,
      objectKey: 'data/n/x.kfs',
      start: 0,
      length: batchOf('a').length,
      maxTimestamp: 0n,
      epoch: 0,
      batchCount: 1,
    };
    readAhead([entry], 0n, 2, objects, recent);
    await settle();
    expect(objects.gets).toBe(0);
    expect(recent.loadsInFlight).toBe(MAX_READAHEAD_LOADS);
  });
});

describe('RecentRuns.getOrLoad', () => {
  it('shares one load between concurrent readers of a range, and caches it', async () => {
    const recent = new RecentRuns(1 << 20);
    let loads = 0;
    const load = async () => {
      loads++;
      await settle();
      return [Buffer.from('batch')];
    };
    const [a, b] = await Promise.all([recent.getOrLoad('k', load), recent.getOrLoad('k', load)]);
    expect(a).toBe(b);
    expect(await recent.getOrLoad('k', load)).toBe(a);
    expect(loads).toBe(1);
  });

  it('forgets a failed load so the next reader tries again', async () => {
    const recent = new RecentRuns(1 << 20);
    await expect(recent.getOrLoad('k', () => Promise.reject(new Error('S3 down')))).rejects.toThrow(
      'S3 down',
    );
    expect(recent.has('k')).toBe(false);
    expect(await recent.getOrLoad('k', () => Promise.resolve([Buffer.from('x')]))).toHaveLength(1);
  });
});
