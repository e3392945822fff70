/**
 * The read cache's fetch-read totals (StorageEngine.cacheReads): a fetch read served from
 * memory is a hit, one that waits for a load in flight is joined, one that GETs is a miss;
 * read-ahead loads are not fetch reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import type { ByteRange } from '../../../lib/stores/object-store.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import {
  batchOf,
  deferred,
  offsetOf,
  recordsOf,
  testEngineOptions,
} from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** A store whose GETs after the first `free` wait for `gate` while it is set. */
class GatedStore extends MemoryObjectStore {
  gate: Promise<void> | undefined;
  free = 0;
  private gets = 0;
  override async get(key: string, range?: ByteRange): Promise<Buffer> {
    if (this.gets++ >= this.free && this.gate !== undefined) await this.gate;
    return super.get(key, range);
  }
}

const engines: StorageEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

/** Three one-record runs written by one node, then owned by a fresh node (cold cache). */
async function coldOwner(readAheadPieces: number) {
  const metadata = new MemoryMetadataStore();
  const objects = new GatedStore();
  const writer = await StorageEngine.start(testEngineOptions('writer', metadata, objects));
  await writer.claim(T, 0);
  for (let i = 0; i < 3; i++)
    offsetOf((await writer.append([{ topicId: T, partition: 0, records: batchOf(`v${i}`) }]))[0]);
  await writer.stop();
  await metadata.txn([], [{ type: 'delete', key: keys.partitionOwner(T, 0) }]);
  const reader = await StorageEngine.start(
    testEngineOptions('reader', metadata, objects, { readAheadPieces }),
  );
  engines.push(reader);
  await reader.claim(T, 0);
  return { reader, objects };
}

async function fetchOne(e: StorageEngine, offset: bigint) {
  const [r] = await e.fetch([{ topicId: T, partition: 0, offset, maxBytes: 1 }], {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1,
  });
  return recordsOf(r?.batches ?? []).map((x) => x.value);
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('cache read totals', () => {
  it('count a GET as a miss and a read from memory as a hit, with the bytes of each', async () => {
    const { reader } = await coldOwner(0);
    expect(reader.cacheReads().reads).toEqual({ hit: 0, joined: 0, miss: 0 });
    expect(await fetchOne(reader, 0n)).toEqual(['v0']);
    expect(await fetchOne(reader, 0n)).toEqual(['v0']);
    const { reads, bytes } = reader.cacheReads();
    expect(reads).toEqual({ hit: 1, joined: 0, miss: 1 });
    expect(bytes.miss).toBe(batchOf('v0').length);
    expect(bytes.hit).toBe(bytes.miss);
  });

  it('leave read-ahead loads out and count the fetch they serve as a hit', async () => {
    const { reader } = await coldOwner(2);
    expect(await fetchOne(reader, 0n)).toEqual(['v0']);
    await settle();
    expect(await fetchOne(reader, 1n)).toEqual(['v1']);
    expect(await fetchOne(reader, 2n)).toEqual(['v2']);
    expect(reader.cacheReads().reads).toEqual({ hit: 2, joined: 0, miss: 1 });
  });

  it('count a fetch that waits for a read-ahead in flight as joined', async () => {
    const { reader, objects } = await coldOwner(1);
    // The fetch's own GET goes through; the read-ahead's waits until the fetch has joined it.
    const gate = deferred();
    objects.gate = gate.promise;
    objects.free = 1;
    expect(await fetchOne(reader, 0n)).toEqual(['v0']);
    const fetched = fetchOne(reader, 1n);
    await settle();
    gate.resolve();
    expect(await fetched).toEqual(['v1']);
    expect(reader.cacheReads().reads).toMatchObject({ joined: 1, miss: 1 });
  });

  it('count the data written by the node itself as hits', async () => {
    const metadata = new MemoryMetadataStore();
    const engine = await StorageEngine.start(testEngineOptions('node', metadata, new GatedStore()));
    engines.push(engine);
    await engine.claim(T, 0);
    offsetOf((await engine.append([{ topicId: T, partition: 0, records: batchOf('x') }]))[0]);
    expect(await fetchOne(engine, 0n)).toEqual(['x']);
    expect(engine.cacheReads().reads).toEqual({ hit: 1, joined: 0, miss: 0 });
  });
});
