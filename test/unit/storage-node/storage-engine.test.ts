import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import {
  StorageEngine,
  type StorageEngineOptions,
} from '../../../storage-node/src/storage-engine.js';
import {
  batchAt,
  batchOf,
  ControlledObjectStore,
  recordingTxns,
  deferred,
  offsetOf,
  recordsOf,
  testEngineOptions,
} from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const engines: StorageEngine[] = [];

async function engine(
  metadata: MetadataStore,
  objects: ObjectStore,
  overrides: Partial<StorageEngineOptions> = {},
): Promise<StorageEngine> {
  const e = await StorageEngine.start(
    testEngineOptions(`node-${engines.length}`, metadata, objects, overrides),
  );
  engines.push(e);
  return e;
}

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

const fetchAll = { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20 };

describe('storage engine', () => {
  it('assigns contiguous offsets across appends and flushes and reads back what it acknowledged', async () => {
    const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore());
    expect((await e.claim(T, 0)).kind).toBe('claimed');
    const first = await e.append([{ topicId: T, partition: 0, records: batchOf('a', 'b') }]);
    const second = await e.append([
      { topicId: T, partition: 0, records: batchOf('c') },
      { topicId: T, partition: 0, records: batchOf('d', 'e', 'f') },
    ]);
    expect(first.map((o) => offsetOf(o))).toEqual([0n]);
    expect(second.map((o) => offsetOf(o))).toEqual([2n, 3n]);
    const [read] = await e.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }],
      fetchAll,
    );
    expect(read?.highWatermark).toBe(6n);
    expect(recordsOf(read?.batches ?? [])).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((value, i) => ({ offset: BigInt(i), value })),
    );
    // From the middle of a batch: the whole batch comes back, as in Kafka.
    const [mid] = await e.fetch(
      [{ topicId: T, partition: 0, offset: 4n, maxBytes: 1 << 20 }],
      fetchAll,
    );
    expect(recordsOf(mid?.batches ?? []).map((r) => r.offset)).toEqual([3n, 4n, 5n]);
  });

  it('writes one object and one transaction per 60 partitions for a flush over 150 partitions', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const counted = recordingTxns(new MemoryMetadataStore());
    const e = await engine(counted.store, objects, { flushIntervalMs: 50 });
    for (let p = 0; p < 150; p++) await e.claim(T, p);
    const claimTxns = counted.count();
    const outcomes = await e.append(
      Array.from({ length: 150 }, (_, p) => ({
        topicId: T,
        partition: p,
        records: batchOf(`v${p}`),
      })),
    );
    expect(outcomes.map((o) => o.errorCode)).toEqual(Array(150).fill(0));
    expect(objects.puts).toBe(1);
    expect(counted.count() - claimTxns).toBe(3);
  });

  it('flushes a lone append at once, and appends made during a flush together after it', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    // A window far longer than the test: only the adaptive start can flush in time.
    const e = await engine(new MemoryMetadataStore(), objects, { flushIntervalMs: 600_000 });
    await e.claim(T, 0);
    const [lone] = await e.append([{ topicId: T, partition: 0, records: batchOf('lone') }]);
    expect(offsetOf(lone)).toBe(0n);
    expect(objects.puts).toBe(1);

    const slow = deferred();
    objects.gate = slow.promise;
    const first = e.append([{ topicId: T, partition: 0, records: batchOf('first') }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(objects.puts).toBe(2); // in flight, held by the gate
    objects.gate = undefined;
    const during = [1, 2, 3].map((i) =>
      e.append([{ topicId: T, partition: 0, records: batchOf(`during-${i}`) }]),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(objects.puts).toBe(2); // they wait for the flush in flight
    slow.resolve();
    const results = await Promise.all([first, ...during]);
    expect(results.map(([r]) => offsetOf(r))).toEqual([1n, 2n, 3n, 4n]);
    expect(objects.puts).toBe(3); // the three went out in one object
  });

  it('paces appends made during a flush by the measured flush latency when the wait may adapt', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    // The longest wait is far longer than the test; the shortest is 1 ms. Flushes to memory
    // take a few ms, so after a few of them the wait is near the shortest.
    const e = await engine(new MemoryMetadataStore(), objects, {
      flushIntervalMs: 600_000,
      minFlushIntervalMs: 1,
    });
    await e.claim(T, 0);
    expect(e.flushWaitMs).toBe(600_000); // nothing measured yet
    for (let i = 0; i < 5; i++)
      offsetOf((await e.append([{ topicId: T, partition: 0, records: batchOf(`w${i}`) }]))[0]);
    expect(e.flushWaitMs).toBeLessThan(100);
    const slow = deferred();
    objects.gate = slow.promise;
    const first = e.append([{ topicId: T, partition: 0, records: batchOf('first') }]);
    await new Promise((r) => setTimeout(r, 20));
    objects.gate = undefined;
    const during = e.append([{ topicId: T, partition: 0, records: batchOf('during') }]);
    // It goes out after the short wait, while the first flush is still held (with a fixed
    // wait it would wait for that flush, as the test above shows).
    await new Promise((r) => setTimeout(r, 200));
    expect(objects.puts).toBe(7);
    slow.resolve();
    const [[a], [b]] = await Promise.all([first, during]);
    expect([offsetOf(a), offsetOf(b)]).toEqual([5n, 6n]);
  });

  it('counts the flush wait from the last flush start: a late append goes out beside a slow upload at once', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects, { flushIntervalMs: 300 });
    await e.claim(T, 0);
    const slow = deferred();
    objects.gate = slow.promise;
    const first = e.append([{ topicId: T, partition: 0, records: batchOf('first') }]);
    await new Promise((r) => setTimeout(r, 350));
    objects.gate = undefined;
    // The wait has passed since the held upload started: this one does not wait again.
    const late = e.append([{ topicId: T, partition: 0, records: batchOf('late') }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(objects.puts).toBe(2);
    // Right after that start, the next append waits out the interval from it.
    const next = e.append([{ topicId: T, partition: 0, records: batchOf('next') }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(objects.puts).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(objects.puts).toBe(3);
    slow.resolve();
    const results = await Promise.all([first, late, next]);
    expect(results.map(([r]) => offsetOf(r))).toEqual([0n, 1n, 2n]);
  });

  it('starts another upload while one is in flight once the pipeline bytes are pending', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects, {
      flushIntervalMs: 600_000,
      flushPipelineBytes: 1,
    });
    await e.claim(T, 0);
    const slow = deferred();
    objects.gate = slow.promise;
    const first = e.append([{ topicId: T, partition: 0, records: batchOf('first') }]);
    await new Promise((r) => setTimeout(r, 20));
    const second = e.append([{ topicId: T, partition: 0, records: batchOf('second') }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(objects.puts).toBe(2); // both uploading; the first is held
    slow.resolve();
    const [[a], [b]] = await Promise.all([first, second]);
    expect([offsetOf(a), offsetOf(b)]).toEqual([0n, 1n]);
  });

  it('acknowledges only after the object is stored and committed', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const gate = deferred();
    objects.gate = gate.promise;
    const e = await engine(new MemoryMetadataStore(), objects);
    await e.claim(T, 0);
    let settled = false;
    const pending = e.append([{ topicId: T, partition: 0, records: batchOf('x') }]).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(objects.puts).toBe(1);
    expect(settled).toBe(false);
    const [before] = await e.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 1000 }],
      fetchAll,
    );
    expect(before?.highWatermark).toBe(0n);
    gate.resolve();
    expect((await pending)[0]?.errorCode).toBe(0);
  });

  it('fails exactly the appends of a failed upload and reuses their offsets, leaving no hole', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects);
    await e.claim(T, 0);
    await e.append([{ topicId: T, partition: 0, records: batchOf('ok-1') }]);
    objects.failNext = 1;
    const [failed] = await e.append([
      { topicId: T, partition: 0, records: batchOf('lost-1', 'lost-2') },
    ]);
    expect(failed?.errorCode).toBe(KafkaError.KAFKA_STORAGE_ERROR);
    const [after] = await e.append([{ topicId: T, partition: 0, records: batchOf('ok-2') }]);
    expect(offsetOf(after)).toBe(1n);
    const [read] = await e.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }],
      fetchAll,
    );
    expect(recordsOf(read?.batches ?? [])).toEqual([
      { offset: 0n, value: 'ok-1' },
      { offset: 1n, value: 'ok-2' },
    ]);
  });

  it('keeps several uploads in flight and still commits them in offset order', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects, { maxInflightFlushes: 3 });
    await e.claim(T, 0);
    const slow = deferred();
    objects.gate = slow.promise;
    const a = e.append([{ topicId: T, partition: 0, records: batchOf('first') }]);
    e.flushNow();
    await new Promise((r) => setTimeout(r, 10));
    objects.gate = undefined;
    const b = e.append([{ topicId: T, partition: 0, records: batchOf('second') }]);
    e.flushNow();
    await new Promise((r) => setTimeout(r, 30));
    expect(objects.puts).toBe(2); // both uploads started; the first is still held
    const [beforeRelease] = await e.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 1000 }],
      fetchAll,
    );
    expect(beforeRelease?.highWatermark).toBe(0n); // the second waits for the first to commit
    slow.resolve();
    const [[ra], [rb]] = await Promise.all([a, b]);
    expect(offsetOf(ra)).toBe(0n);
    expect(offsetOf(rb)).toBe(1n);
  });

  it('fails a later in-flight upload of the same partition when an earlier one fails', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects, { maxInflightFlushes: 3 });
    await e.claim(T, 0);
    const slow = deferred();
    objects.gate = slow.promise;
    objects.failNext = 1;
    const a = e.append([{ topicId: T, partition: 0, records: batchOf('doomed') }]);
    e.flushNow();
    await new Promise((r) => setTimeout(r, 10));
    const b = e.append([{ topicId: T, partition: 0, records: batchOf('numbered-after-doomed') }]);
    e.flushNow();
    await new Promise((r) => setTimeout(r, 10));
    slow.resolve();
    const [[ra], [rb]] = await Promise.all([a, b]);
    expect(ra?.errorCode).toBe(KafkaError.KAFKA_STORAGE_ERROR);
    expect(rb?.errorCode).toBe(KafkaError.KAFKA_STORAGE_ERROR);
    const [c] = await e.append([{ topicId: T, partition: 0, records: batchOf('next') }]);
    expect(offsetOf(c)).toBe(0n);
  });

  it('refuses corrupt and legacy batches with the Kafka error and writes nothing', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects);
    await e.claim(T, 0);
    const corrupt = batchOf('x');
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 1, corrupt.length - 1);
    const legacy = batchOf('y');
    legacy.writeInt8(1, 16); // magic 1
    const outcomes = await e.append([
      { topicId: T, partition: 0, records: corrupt },
      { topicId: T, partition: 0, records: legacy },
      { topicId: T, partition: 1, records: batchOf('z') },
    ]);
    expect(outcomes.map((o) => o.errorCode)).toEqual([
      KafkaError.CORRUPT_MESSAGE,
      KafkaError.INVALID_RECORD,
      KafkaError.NOT_LEADER_OR_FOLLOWER,
    ]);
    await new Promise((r) => setTimeout(r, 20));
    expect(objects.puts).toBe(0);
  });

  it('wakes a waiting fetch when data commits, and times out an idle one at its deadline', async () => {
    const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore());
    await e.claim(T, 0);
    const started = Date.now();
    const waiting = e.fetch([{ topicId: T, partition: 0, offset: 0n, maxBytes: 1000 }], {
      maxWaitMs: 5000,
      minBytes: 1,
      maxBytes: 1000,
    });
    await new Promise((r) => setTimeout(r, 30));
    await e.append([{ topicId: T, partition: 0, records: batchOf('wake') }]);
    const [woken] = await waiting;
    expect(recordsOf(woken?.batches ?? [])).toEqual([{ offset: 0n, value: 'wake' }]);
    expect(Date.now() - started).toBeLessThan(4000);
    const idleStart = Date.now();
    const [idle] = await e.fetch([{ topicId: T, partition: 0, offset: 1n, maxBytes: 1000 }], {
      maxWaitMs: 200,
      minBytes: 1,
      maxBytes: 1000,
    });
    expect(idle?.batches).toEqual([]);
    expect(Date.now() - idleStart).toBeGreaterThanOrEqual(190);
  });

  it('answers offsets outside the log with OFFSET_OUT_OF_RANGE', async () => {
    const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore());
    await e.claim(T, 0);
    await e.append([{ topicId: T, partition: 0, records: batchOf('only') }]);
    const [beyond] = await e.fetch(
      [{ topicId: T, partition: 0, offset: 5n, maxBytes: 1000 }],
      fetchAll,
    );
    expect(beyond?.errorCode).toBe(KafkaError.OFFSET_OUT_OF_RANGE);
    expect(beyond?.highWatermark).toBe(1n);
  });

  it('hands a released partition over gracefully: what was sent before commits, later appends are refused, then the claim goes', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const a = await engine(metadata, objects);
    const b = await engine(metadata, objects);
    await a.claim(T, 0);
    // One flush stalls in its PUT (in flight) while another append waits behind it (pending).
    const gate = deferred();
    objects.gate = gate.promise;
    const inFlight = a.append([{ topicId: T, partition: 0, records: batchOf('in-flight') }]);
    await new Promise((r) => setTimeout(r, 20));
    const pending = a.append([{ topicId: T, partition: 0, records: batchOf('pending') }]);
    const released = a.release(T, 0);
    const [late] = await a.append([{ topicId: T, partition: 0, records: batchOf('late') }]);
    expect(late?.errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
    expect(late?.ok === false && late.message).toMatch(/moving to another storage node/);
    // The claim stays until what was accepted has committed.
    expect(await b.claim(T, 0)).toMatchObject({ kind: 'held', owner: a.nodeId });
    objects.gate = undefined;
    gate.resolve();
    expect((await inFlight).map((o) => offsetOf(o))).toEqual([0n]);
    expect((await pending).map((o) => offsetOf(o))).toEqual([1n]);
    await released;
    expect(a.owner(T, 0)).toBeUndefined();
    const claimB = await b.claim(T, 0);
    expect(claimB.kind === 'claimed' && claimB.log.highWatermark).toBe(2n);
    const [next] = await b.append([{ topicId: T, partition: 0, records: batchOf('next') }]);
    expect(offsetOf(next)).toBe(2n);
  });

  it('stops gracefully: accepted appends commit before the partitions are let go', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const a = await StorageEngine.start(testEngineOptions('stopping', metadata, objects));
    await a.claim(T, 0);
    const gate = deferred();
    objects.gate = gate.promise;
    const accepted = a.append([{ topicId: T, partition: 0, records: batchOf('accepted') }]);
    await new Promise((r) => setTimeout(r, 20));
    const stopped = a.stop();
    const [late] = await a.append([{ topicId: T, partition: 0, records: batchOf('late') }]);
    expect(late?.errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
    objects.gate = undefined;
    gate.resolve();
    expect((await accepted).map((o) => offsetOf(o))).toEqual([0n]);
    await stopped;
    const b = await engine(metadata, objects);
    const claimed = await b.claim(T, 0);
    expect(claimed.kind === 'claimed' && claimed.log.highWatermark).toBe(1n);
  });

  it('fences the old owner: after another node claims the partition, its commits fail and only the new owner writes', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const a = await engine(metadata, objects);
    const b = await engine(metadata, objects);
    await a.claim(T, 0);
    expect(await b.claim(T, 0)).toMatchObject({ kind: 'held', owner: a.nodeId, epoch: 1 });
    await a.append([{ topicId: T, partition: 0, records: batchOf('a-1') }]);
    // A's claim vanishes (as when its lease expires) while A still believes it owns the partition.
    await metadata.txn([], [{ type: 'delete', key: keys.partitionOwner(T, 0) }]);
    const claimB = await b.claim(T, 0);
    expect(claimB.kind === 'claimed' && claimB.log.epoch).toBe(2);
    const [stale] = await a.append([{ topicId: T, partition: 0, records: batchOf('a-2-stale') }]);
    expect(stale?.errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
    expect(a.owner(T, 0)).toBeUndefined();
    const [fresh] = await b.append([{ topicId: T, partition: 0, records: batchOf('b-1') }]);
    expect(offsetOf(fresh)).toBe(1n);
    const [read] = await b.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }],
      fetchAll,
    );
    expect(recordsOf(read?.batches ?? [])).toEqual([
      { offset: 0n, value: 'a-1' },
      { offset: 1n, value: 'b-1' },
    ]);
  });

  it('recovers a partition from etcd and S3 alone when a new node claims it', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const a = await engine(metadata, objects);
    await a.claim(T, 0);
    for (let i = 0; i < 5; i++)
      await a.append([{ topicId: T, partition: 0, records: batchOf(`r${i}`) }]);
    await a.stop(); // revokes its lease: the claim goes away
    const b = await engine(metadata, objects);
    const claim = await b.claim(T, 0);
    expect(claim.kind === 'claimed' && [claim.log.epoch, claim.log.highWatermark]).toEqual([2, 5n]);
    const [read] = await b.fetch(
      [{ topicId: T, partition: 0, offset: 2n, maxBytes: 1 << 20 }],
      fetchAll,
    );
    expect(recordsOf(read?.batches ?? [])).toEqual(
      [2, 3, 4].map((i) => ({ offset: BigInt(i), value: `r${i}` })),
    );
    const batch = read?.batches[0];
    expect(
      batch && Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength).readInt32BE(12),
    ).toBe(1); // leader epoch of the writer
  });

  it('lists offsets: earliest, latest, max timestamp and the first offset at or after a timestamp', async () => {
    const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore());
    await e.claim(T, 0);
    // offsets 0-1 at t=1000,1001; 2-4 at t=5000,5001,5002; 5 at t=3000
    await e.append([{ topicId: T, partition: 0, records: batchAt(1000n, 'a', 'b') }]);
    await e.append([{ topicId: T, partition: 0, records: batchAt(5000n, 'c', 'd', 'e') }]);
    await e.append([{ topicId: T, partition: 0, records: batchAt(3000n, 'f') }]);
    const ask = async (timestamp: bigint) => {
      const [r] = await e.listOffsets([{ topicId: T, partition: 0, timestamp }]);
      return r && [r.errorCode, r.offset, r.timestamp];
    };
    expect(await ask(-2n)).toEqual([0, 0n, -1n]);
    expect(await ask(-1n)).toEqual([0, 6n, -1n]);
    expect(await ask(-3n)).toEqual([0, 4n, 5002n]);
    expect(await ask(0n)).toEqual([0, 0n, 1000n]);
    expect(await ask(1001n)).toEqual([0, 1n, 1001n]);
    expect(await ask(1002n)).toEqual([0, 2n, 5000n]);
    expect(await ask(5001n)).toEqual([0, 3n, 5001n]);
    expect(await ask(9999n)).toEqual([0, -1n, -1n]);
    // A partition this node does not own answers from etcd (never written: empty).
    const [other] = await e.listOffsets([{ topicId: T, partition: 9, timestamp: -1n }]);
    expect(other).toMatchObject({ errorCode: 0, offset: 0n });
  });

  it('shares the request byte budget across partitions, always returning a first batch', async () => {
    const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore());
    await e.claim(T, 0);
    await e.claim(T, 1);
    const big = 'x'.repeat(600);
    for (let i = 0; i < 3; i++) {
      await e.append([
        { topicId: T, partition: 0, records: batchOf(`${big}${i}`) },
        { topicId: T, partition: 1, records: batchOf(`${big}${i}`) },
      ]);
    }
    const parts = [0, 1].map((partition) => ({
      topicId: T,
      partition,
      offset: 0n,
      maxBytes: 1 << 20,
    }));
    const tight = await e.fetch(parts, { maxWaitMs: 0, minBytes: 0, maxBytes: 100 });
    expect(tight.map((r) => r.batches.length)).toEqual([1, 0]); // one batch over the budget, then nothing
    const roomy = await e.fetch(parts, { maxWaitMs: 0, minBytes: 0, maxBytes: 3000 });
    const sizes = roomy.map((r) => r.batches.reduce((n, b) => n + b.length, 0));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3000);
    expect(roomy[0]?.batches.length).toBe(3);
    expect(roomy[1]?.batches.length).toBeGreaterThan(0);
  });
});
