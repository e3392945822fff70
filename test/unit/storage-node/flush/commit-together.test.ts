/**
 * Flushes that finish uploading while an earlier one is still uploading commit in one etcd
 * transaction (storage-node/src/flush/commit-together.ts); a refused or failed transaction
 * fails exactly what it would have failed one flush at a time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { decodePartitionState } from '../../../../lib/metadata/partition-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import type { MetadataStore, TxnOp } from '../../../../lib/stores/metadata-store.js';
import { fitsOneTransaction } from '../../../../storage-node/src/flush/commit-together.js';
import type { RunToCommit } from '../../../../storage-node/src/flush/commit-runs.js';
import type { FlushEvent } from '../../../../storage-node/src/flush/flusher.js';
import { StorageEngine } from '../../../../storage-node/src/storage-engine.js';
import {
  batchOf,
  ControlledObjectStore,
  recordingTxns,
  deferred,
  offsetOf,
  recordsOf,
  testEngineOptions,
} from '../../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const engines: StorageEngine[] = [];
const fetchAll = { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20 };

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

/** The key an op writes ('' for a prefix delete). */
const keyOf = (op: TxnOp): string => ('key' in op ? op.key : '');

/** A metadata store that records each writing transaction's puts and can fail the next. */
/** Writes a flush commit makes: it records objects. */
const recordsObjects = (s: readonly TxnOp[]) =>
  s.some((op) => keyOf(op).startsWith(keys.objectRecordsPrefix()));

/** The metadata store, recording writing transactions; `flushCommits` are those of flushes. */
function recordingStore(inner: MetadataStore) {
  const recording = recordingTxns(inner);
  return { ...recording, flushCommits: () => recording.writes().filter(recordsObjects) };
}

async function engineWith(
  metadata: MetadataStore,
  objects: ControlledObjectStore,
  onFlush?: (event: FlushEvent) => void,
) {
  const e = await StorageEngine.start(
    testEngineOptions(`node-${engines.length}`, metadata, objects, {
      maxInflightFlushes: 4,
      flushIntervalMs: 600_000,
      ...(onFlush ? { onFlush } : {}),
    }),
  );
  engines.push(e);
  return e;
}

/** Starts three flushes: the first held in its PUT, the other two uploaded behind it. */
async function threeFlushesBehindAHeldOne(
  e: StorageEngine,
  objects: ControlledObjectStore,
  partitionsOfEach: readonly (readonly number[])[],
) {
  const held = deferred();
  objects.gate = held.promise;
  const appends = [];
  for (const [i, partitions] of partitionsOfEach.entries()) {
    appends.push(
      e.append(
        partitions.map((partition) => ({
          topicId: T,
          partition,
          records: batchOf(`f${String(i)}-p${String(partition)}`),
        })),
      ),
    );
    e.flushNow();
    await new Promise((r) => setTimeout(r, 10));
    objects.gate = undefined;
  }
  await new Promise((r) => setTimeout(r, 20));
  expect(objects.puts).toBe(partitionsOfEach.length);
  return {
    release: () => {
      held.resolve();
    },
    appends,
  };
}

describe('commits of flushes that finished together', () => {
  it('go in one transaction: one state write per partition, every index entry and object record', async () => {
    const metadata = new MemoryMetadataStore();
    const recording = recordingStore(metadata);
    const stored = new MemoryObjectStore();
    const objects = new ControlledObjectStore(stored);
    const events: FlushEvent[] = [];
    const e = await engineWith(recording.store, objects, (event) => events.push(event));
    await e.claim(T, 0);
    await e.claim(T, 1);
    const { release, appends } = await threeFlushesBehindAHeldOne(e, objects, [[0], [0, 1], [0]]);
    expect(recording.flushCommits()).toHaveLength(0);
    release();
    const outcomes = (await Promise.all(appends)).flat();
    expect(outcomes.map((o) => offsetOf(o))).toEqual([0n, 1n, 0n, 2n]);
    const commits = recording.flushCommits();
    expect(commits).toHaveLength(1); // the two behind the held one joined its commit
    expect(events.map((f) => [f.outcome, f.committedTogether])).toEqual(
      Array(3).fill(['committed', 3]),
    );
    const keysWritten = commits[0]?.map(keyOf) ?? [];
    expect(keysWritten.filter((k) => k.startsWith(keys.objectRecordsPrefix()))).toHaveLength(3);
    expect(keysWritten.filter((k) => k === keys.partitionState(T, 0))).toHaveLength(1);
    expect(keysWritten.filter((k) => k === keys.partitionState(T, 1))).toHaveLength(1);
    expect(keysWritten.filter((k) => k.startsWith(keys.indexPrefix(T, 0)))).toHaveLength(3);
    expect(keysWritten.filter((k) => k.startsWith(keys.indexPrefix(T, 1)))).toHaveLength(1);
    const state = await metadata.get(keys.partitionState(T, 0));
    expect(
      state && decodePartitionState(keys.partitionState(T, 0), state.value).highWatermark,
    ).toBe(3n);
    const [p0, p1] = await e.fetch(
      [
        { topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 },
        { topicId: T, partition: 1, offset: 0n, maxBytes: 1 << 20 },
      ],
      fetchAll,
    );
    expect(recordsOf(p0?.batches ?? []).map((r) => r.value)).toEqual(['f0-p0', 'f1-p0', 'f2-p0']);
    expect(recordsOf(p1?.batches ?? []).map((r) => r.value)).toEqual(['f1-p1']);
    // A new owner sees the same log from etcd and S3 alone.
    await e.stop();
    engines.splice(engines.indexOf(e), 1);
    const next = await engineWith(metadata, new ControlledObjectStore(stored));
    await next.claim(T, 0);
    const [again] = await next.fetch(
      [{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }],
      fetchAll,
    );
    expect(recordsOf(again?.batches ?? []).map((r) => r.offset)).toEqual([0n, 1n, 2n]);
  });

  it('fail only the fenced partition when another owner took it meanwhile', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engineWith(metadata, objects);
    await e.claim(T, 0);
    await e.claim(T, 1);
    const { release, appends } = await threeFlushesBehindAHeldOne(e, objects, [[1], [0], [0, 1]]);
    // Partition 0 changes hands under the node: its state is rewritten by someone else.
    const state = await metadata.get(keys.partitionState(T, 0));
    if (!state) throw new Error('no state for partition 0');
    await metadata.txn([], [{ type: 'put', key: keys.partitionState(T, 0), value: state.value }]);
    release();
    const [first, second, third] = await Promise.all(appends);
    expect(offsetOf(first?.[0])).toBe(0n);
    expect(second?.[0]?.errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
    expect(third?.map((o) => o.errorCode)).toEqual([KafkaError.NOT_LEADER_OR_FOLLOWER, 0]);
    expect(offsetOf(third?.[1])).toBe(1n);
  });

  it('fail every carried append with a retriable error when the transaction outcome is unknown', async () => {
    const recording = recordingStore(new MemoryMetadataStore());
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engineWith(recording.store, objects);
    await e.claim(T, 0);
    const { release, appends } = await threeFlushesBehindAHeldOne(e, objects, [[0], [0], [0]]);
    recording.failNext(recordsObjects);
    release();
    const outcomes = (await Promise.all(appends)).flat();
    expect(outcomes.map((o) => o.errorCode)).toEqual(Array(3).fill(KafkaError.REQUEST_TIMED_OUT));
    // The node gave the partition up: the next claim reads what etcd holds.
    expect(e.ownedPartitions()).toEqual([]);
  });
});

describe('fitsOneTransaction', () => {
  const run = (partition: number) => ({ log: { topicId: T, partition } }) as unknown as RunToCommit;
  const logs = new Map<number, RunToCommit>();
  const runOf = (p: number) => {
    const existing = logs.get(p);
    if (existing) return { ...existing };
    const r = run(p);
    logs.set(p, r);
    return { ...r };
  };

  it('counts two compares per partition and a put per partition, run and object', () => {
    const flush = (first: number, count: number) => ({
      objectKey: `o${String(first)}`,
      runs: Array.from({ length: count }, (_, i) => runOf(first + i)),
    });
    expect(fitsOneTransaction([flush(0, 64)])).toBe(false); // 64 + 64 + 1 puts
    expect(fitsOneTransaction([flush(0, 63)])).toBe(true); // 126 compares, 127 puts
    expect(fitsOneTransaction([flush(0, 40), flush(0, 40)])).toBe(true); // 40 + 80 + 2
    expect(fitsOneTransaction([flush(0, 40), flush(0, 40), flush(0, 40)])).toBe(false);
    expect(fitsOneTransaction([flush(0, 50), flush(50, 50)])).toBe(false); // 200 compares
  });
});
