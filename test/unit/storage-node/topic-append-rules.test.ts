/**
 * The topic configs a storage node applies on append: max.message.bytes (a larger batch is
 * refused with MESSAGE_TOO_LARGE and nothing is stored) and message.timestamp.type=
 * LogAppendTime (batches are stamped with the node's clock, the CRC stays valid, and the
 * produce answer carries the append time), plus how the edge resolves them from a topic's
 * overrides.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  decodeAttributes,
  TimestampType,
} from '../../../lib/kafka/record-batch/batch-attributes.js';
import { computeBatchCrc, storedBatchCrc } from '../../../lib/kafka/record-batch/batch-crc.js';
import { readBatchHeader } from '../../../lib/kafka/record-batch/batch-header.js';
import { keys } from '../../../lib/metadata/keys.js';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  topicAppendRules,
} from '../../../lib/metadata/topic-append-rules.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import {
  batchAt,
  batchOf,
  offsetOf,
  recordsOf,
  testEngineOptions,
} from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const engines: StorageEngine[] = [];

async function ownerOfPartition0(): Promise<{ e: StorageEngine; metadata: MemoryMetadataStore }> {
  const metadata = new MemoryMetadataStore();
  const e = await StorageEngine.start(
    testEngineOptions('node-0', metadata, new MemoryObjectStore()),
  );
  engines.push(e);
  await e.claim(T, 0);
  return { e, metadata };
}

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

async function readAll(e: StorageEngine): Promise<Uint8Array[]> {
  const [r] = await e.fetch([{ topicId: T, partition: 0, offset: 0n, maxBytes: 1 << 20 }], {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
  });
  return r?.batches ?? [];
}

describe('max.message.bytes', () => {
  it('refuses a batch one byte over the limit with MESSAGE_TOO_LARGE, naming both sizes', async () => {
    const { e, metadata } = await ownerOfPartition0();
    const batch = batchOf('a'.repeat(500));
    const [tooBig] = await e.append([
      { topicId: T, partition: 0, records: batch, maxBatchBytes: batch.length - 1 },
    ]);
    expect(tooBig).toMatchObject({ ok: false, errorCode: KafkaError.MESSAGE_TOO_LARGE });
    expect(tooBig?.ok === false && tooBig.message).toContain(
      `is ${batch.length} bytes, above the limit of ${batch.length - 1}`,
    );
    expect((await metadata.list(keys.indexPrefix(T, 0))).kvs).toHaveLength(0);

    const [fits] = await e.append([
      { topicId: T, partition: 0, records: batch, maxBatchBytes: batch.length },
    ]);
    expect(offsetOf(fits)).toBe(0n);
    expect(recordsOf(await readAll(e)).map((r) => r.offset)).toEqual([0n]);
  });
});

describe('message.timestamp.type=LogAppendTime', () => {
  it('stamps each batch with the append time, keeps the CRC valid and answers the time', async () => {
    const { e } = await ownerOfPartition0();
    const before = BigInt(Date.now());
    const [outcome] = await e.append([
      { topicId: T, partition: 0, records: batchAt(1_000n, 'x', 'y'), logAppendTime: true },
    ]);
    const after = BigInt(Date.now());
    expect(offsetOf(outcome)).toBe(0n);
    const appendTime = outcome?.ok === true ? outcome.logAppendTimeMs : undefined;
    expect(appendTime).toBeGreaterThanOrEqual(before);
    expect(appendTime).toBeLessThanOrEqual(after);

    const [stored] = await readAll(e);
    if (stored === undefined) throw new Error('nothing stored');
    const header = readBatchHeader(stored);
    expect(decodeAttributes(header.attributes).timestampType).toBe(TimestampType.LogAppendTime);
    expect(header.maxTimestamp).toBe(appendTime);
    expect(header.baseTimestamp).toBe(1_000n);
    expect(storedBatchCrc(stored)).toBe(computeBatchCrc(stored));

    // ListOffsets by timestamp finds the batch by its append time, not the producer's.
    const [byAppendTime] = await e.listOffsets([
      { topicId: T, partition: 0, timestamp: appendTime ?? 0n },
    ]);
    expect(byAppendTime).toMatchObject({ errorCode: 0, offset: 0n, timestamp: appendTime });
  });

  it('leaves CreateTime batches as the producer wrote them and answers no append time', async () => {
    const { e } = await ownerOfPartition0();
    const batch = batchAt(1_000n, 'x');
    const original = Buffer.from(batch);
    const [outcome] = await e.append([{ topicId: T, partition: 0, records: batch }]);
    expect(outcome?.ok === true && outcome.logAppendTimeMs).toBeUndefined();
    const [stored] = await readAll(e);
    // Only base offset and leader epoch (outside the CRC) may differ.
    expect(Buffer.from(stored ?? []).subarray(17)).toEqual(original.subarray(17));
  });
});

describe('topicAppendRules', () => {
  it("uses Kafka's defaults without overrides", () => {
    expect(topicAppendRules({})).toEqual({
      maxBatchBytes: DEFAULT_MAX_MESSAGE_BYTES,
      logAppendTime: false,
    });
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(1_048_588);
  });

  it('reads the overrides as the controlplane stored them', () => {
    expect(
      topicAppendRules({
        'max.message.bytes': ' 2097152 ',
        'message.timestamp.type': 'LogAppendTime',
      }),
    ).toEqual({ maxBatchBytes: 2_097_152, logAppendTime: true });
    expect(topicAppendRules({ 'max.message.bytes': '0' }).maxBatchBytes).toBe(0);
  });
});
