import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
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

async function engine(metadata: MetadataStore, objects: ObjectStore): Promise<StorageEngine> {
  const e = await StorageEngine.start(
    testEngineOptions(`node-${engines.length}`, metadata, objects),
  );
  engines.push(e);
  return e;
}

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

const fetchFrom = (e: StorageEngine, offset: bigint) =>
  e
    .fetch([{ topicId: T, partition: 0, offset, maxBytes: 1 << 20 }], {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
    })
    .then(([r]) => r);

describe('DeleteRecords', () => {
  it('moves the log start: reads below are out of range, earliest answers it, the index below goes', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const e = await engine(metadata, objects);
    await e.claim(T, 0);
    for (let i = 0; i < 6; i++)
      offsetOf((await e.append([{ topicId: T, partition: 0, records: batchOf(`v${i}`) }]))[0]);
    expect((await metadata.list(keys.indexPrefix(T, 0))).kvs.length).toBe(6);

    const [answer] = await e.deleteRecords([{ topicId: T, partition: 0, offset: 4n }]);
    expect(answer).toMatchObject({ errorCode: 0, lowWatermark: 4n });
    // One flush per append: the four objects of offsets 0-3 held the deleted runs.
    expect(answer?.releasedObjects).toHaveLength(4);
    expect((await fetchFrom(e, 3n))?.errorCode).toBe(KafkaError.OFFSET_OUT_OF_RANGE);
    expect(recordsOf((await fetchFrom(e, 4n))?.batches ?? []).map((r) => r.value)).toEqual([
      'v4',
      'v5',
    ]);
    expect((await e.listOffsets([{ topicId: T, partition: 0, timestamp: -2n }]))[0]?.offset).toBe(
      4n,
    );
    expect((await metadata.list(keys.indexPrefix(T, 0))).kvs.length).toBe(2);
    // Never backwards; past the high watermark is out of range; -1 means the high watermark.
    expect((await e.deleteRecords([{ topicId: T, partition: 0, offset: 2n }]))[0]).toEqual({
      errorCode: 0,
      lowWatermark: 4n,
    });
    expect((await e.deleteRecords([{ topicId: T, partition: 0, offset: 99n }]))[0]?.errorCode).toBe(
      KafkaError.OFFSET_OUT_OF_RANGE,
    );
    // Appends keep committing after the start moved (state and start key agree).
    offsetOf((await e.append([{ topicId: T, partition: 0, records: batchOf('v6') }]))[0]);
    expect((await e.deleteRecords([{ topicId: T, partition: 0, offset: -1n }]))[0]).toMatchObject({
      errorCode: 0,
      lowWatermark: 7n,
    });

    // A new owner starts from the moved log start.
    await e.release(T, 0);
    const next = await engine(metadata, objects);
    await next.claim(T, 0);
    expect(
      (await next.listOffsets([{ topicId: T, partition: 0, timestamp: -2n }]))[0]?.offset,
    ).toBe(7n);
    expect((await fetchFrom(next, 6n))?.errorCode).toBe(KafkaError.OFFSET_OUT_OF_RANGE);
  });

  it.each([
    ['CreateTime', false],
    ['LogAppendTime', true],
  ])(
    'ListOffsets by timestamp answers nothing below a log start inside a batch (%s)',
    async (_type, logAppendTime) => {
      const e = await engine(new MemoryMetadataStore(), new MemoryObjectStore());
      await e.claim(T, 0);
      const [appended] = await e.append([
        { topicId: T, partition: 0, records: batchAt(1_000n, 'a', 'b', 'c', 'd'), logAppendTime },
      ]);
      offsetOf(appended);
      await e.deleteRecords([{ topicId: T, partition: 0, offset: 2n }]);
      const [found] = await e.listOffsets([{ topicId: T, partition: 0, timestamp: 0n }]);
      const appendTime = appended?.ok === true ? appended.logAppendTimeMs : undefined;
      expect(found).toMatchObject({
        errorCode: 0,
        offset: 2n,
        timestamp: logAppendTime ? appendTime : 1_002n,
      });
    },
  );
});
