import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { buildRecordBatchSync } from '../../../lib/kafka/record-batch/build-batch.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import { ProducerStates } from '../../../storage-node/src/partition/producer-state.js';
import {
  StorageEngine,
  type StorageEngineOptions,
} from '../../../storage-node/src/storage-engine.js';
import {
  ControlledObjectStore,
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

/** A batch of an idempotent producer: `values.length` records from sequence `seq`. */
function idempotent(producerId: bigint, epoch: number, seq: number, ...values: string[]): Buffer {
  return buildRecordBatchSync({
    baseTimestamp: 1_700_000_000_000n,
    producerId,
    producerEpoch: epoch,
    baseSequence: seq,
    records: values.map((v, i) => ({ key: null, value: Buffer.from(v), timestampDelta: i })),
  });
}

async function readAll(e: StorageEngine) {
  const [read] = await e.fetch([{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }], {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
  });
  return recordsOf(read?.batches ?? []).map((r) => r.value);
}

const append = (e: StorageEngine, records: Buffer) =>
  e.append([{ topicId: T, partition: 0, records }]).then(([o]) => o);

describe('idempotent producers', () => {
  it('answers a retried batch with the first offsets and stores it once', async () => {
    const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore());
    await e.claim(T, 0);
    expect(offsetOf(await append(e, idempotent(7n, 0, 0, 'a', 'b')))).toBe(0n);
    expect(offsetOf(await append(e, idempotent(7n, 0, 2, 'c')))).toBe(2n);
    // The first batch again (a retry after a lost response), then the next one.
    expect(offsetOf(await append(e, idempotent(7n, 0, 0, 'a', 'b')))).toBe(0n);
    expect(offsetOf(await append(e, idempotent(7n, 0, 2, 'c')))).toBe(2n);
    expect(offsetOf(await append(e, idempotent(7n, 0, 3, 'd')))).toBe(3n);
    expect(await readAll(e)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses gaps, older epochs, and a new epoch not starting at 0; other producers are independent', async () => {
    const verdicts: string[] = [];
    const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore(), {
      onSequenceVerdict: (verdict, errorCode) => verdicts.push(`${verdict}:${errorCode}`),
    });
    await e.claim(T, 0);
    offsetOf(await append(e, idempotent(1n, 3, 0, 'a')));
    expect((await append(e, idempotent(1n, 3, 5, 'gap')))?.errorCode).toBe(
      KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    expect((await append(e, idempotent(1n, 2, 1, 'old')))?.errorCode).toBe(
      KafkaError.INVALID_PRODUCER_EPOCH,
    );
    expect((await append(e, idempotent(1n, 4, 1, 'bad-start')))?.errorCode).toBe(
      KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    offsetOf(await append(e, idempotent(1n, 4, 0, 'bumped')));
    // An unknown producer may start anywhere (its state may have been trimmed).
    offsetOf(await append(e, idempotent(2n, 0, 40, 'other')));
    expect(await readAll(e)).toEqual(['a', 'bumped', 'other']);
    // Each batch not written is reported (the engine's metrics count these).
    offsetOf(await append(e, idempotent(1n, 4, 0, 'bumped')));
    expect(verdicts).toEqual([
      `refused:${KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER}`,
      `refused:${KafkaError.INVALID_PRODUCER_EPOCH}`,
      `refused:${KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER}`,
      'duplicate:0',
    ]);
  });

  it('a retry that arrives while the first write is in flight gets its offsets once committed', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects);
    await e.claim(T, 0);
    const gate = deferred();
    objects.gate = gate.promise;
    const first = append(e, idempotent(9n, 0, 0, 'x'));
    await new Promise((r) => setTimeout(r, 30)); // the first flush is uploading
    const retry = append(e, idempotent(9n, 0, 0, 'x'));
    await new Promise((r) => setTimeout(r, 30));
    objects.gate = undefined;
    gate.resolve();
    expect(offsetOf(await first)).toBe(0n);
    expect(offsetOf(await retry)).toBe(0n);
    expect(await readAll(e)).toEqual(['x']);
  });

  it('after a failed flush the producer must resend from the first failed batch', async () => {
    const objects = new ControlledObjectStore(new MemoryObjectStore());
    const e = await engine(new MemoryMetadataStore(), objects);
    await e.claim(T, 0);
    objects.failNext = 1;
    const failed = await append(e, idempotent(5n, 0, 0, 'a'));
    expect(failed?.ok).toBe(false);
    // The next batch may not overtake the failed one...
    expect((await append(e, idempotent(5n, 0, 1, 'b')))?.errorCode).toBe(
      KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    // ...the resent one is written, then the rest follows.
    expect(offsetOf(await append(e, idempotent(5n, 0, 0, 'a')))).toBe(0n);
    expect(offsetOf(await append(e, idempotent(5n, 0, 1, 'b')))).toBe(1n);
    expect(await readAll(e)).toEqual(['a', 'b']);
  });

  it('a new owner rebuilds the producer state from the index and keeps deduplicating', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const first = await engine(metadata, objects);
    await first.claim(T, 0);
    for (let seq = 0; seq < 8; seq++)
      offsetOf(await append(first, idempotent(3n, 1, seq, `v${seq}`)));
    await first.release(T, 0);
    const second = await engine(metadata, objects);
    expect((await second.claim(T, 0)).kind).toBe('claimed');
    // The last five batches are remembered: a retry of seq 7 is a duplicate...
    expect(offsetOf(await append(second, idempotent(3n, 1, 7, 'v7')))).toBe(7n);
    // ...a gap is refused, and the sequence goes on.
    expect((await append(second, idempotent(3n, 1, 10, 'gap')))?.errorCode).toBe(
      KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    expect(offsetOf(await append(second, idempotent(3n, 1, 8, 'v8')))).toBe(8n);
    expect(await readAll(second)).toEqual(Array.from({ length: 9 }, (_, i) => `v${i}`));
  });
});

describe('producer state expiry', () => {
  it('forgets a producer idle past the expiration, not one with a batch in flight', () => {
    const states = new ProducerStates(1000);
    const meta = (seq: number, committed: boolean) => ({
      firstSeq: seq,
      lastSeq: seq,
      baseOffset: BigInt(seq),
      lastOffset: BigInt(seq),
      maxTimestamp: -1n,
      committed,
      waiting: [],
    });
    states.record(1n, 0, meta(0, true), 0);
    states.record(2n, 0, meta(0, false), 0);
    states.expire(500);
    expect(states.size).toBe(2);
    states.expire(2000);
    expect(states.size).toBe(1);
    expect(states.summaries().map((s) => s.producerId)).toEqual([2n]);
  });
});
