import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import { epochEnd, epochStarts } from '../../../storage-node/src/read/epoch-end.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { batchOf, offsetOf, testEngineOptions } from '../../support/storage-harness.js';

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

describe('epoch ends (Kafka LeaderEpochFileCache rules)', () => {
  const starts = [
    { epoch: 1, start: 0n },
    { epoch: 3, start: 10n },
    { epoch: 4, start: 25n },
  ];
  it('answers the latest epoch with the log end, an older one with the next start', () => {
    expect(epochEnd(starts, 4, 30n)).toEqual({ leaderEpoch: 4, endOffset: 30n });
    expect(epochEnd(starts, 3, 30n)).toEqual({ leaderEpoch: 3, endOffset: 25n });
    expect(epochEnd(starts, 2, 30n)).toEqual({ leaderEpoch: 1, endOffset: 10n });
    expect(epochEnd(starts, 0, 30n)).toEqual({ leaderEpoch: 0, endOffset: 0n });
    expect(epochEnd(starts, 5, 30n)).toEqual({ leaderEpoch: -1, endOffset: -1n });
    expect(epochEnd(starts, -1, 30n)).toEqual({ leaderEpoch: -1, endOffset: -1n });
  });

  it("counts the current owner's epoch from its claim even before it writes", () => {
    expect(epochStarts([], 2, 0n)).toEqual([{ epoch: 2, start: 0n }]);
  });
});

describe('OffsetForLeaderEpoch across an owner change', () => {
  it('ends the first owner epoch where the second one started writing', async () => {
    const metadata = new MemoryMetadataStore();
    const objects = new MemoryObjectStore();
    const a = await engine(metadata, objects);
    await a.claim(T, 0);
    for (let i = 0; i < 5; i++)
      offsetOf((await a.append([{ topicId: T, partition: 0, records: batchOf(`a${i}`) }]))[0]);
    await a.release(T, 0);
    const b = await engine(metadata, objects);
    await b.claim(T, 0);
    for (let i = 0; i < 3; i++)
      offsetOf((await b.append([{ topicId: T, partition: 0, records: batchOf(`b${i}`) }]))[0]);
    const ask = (currentLeaderEpoch: number, leaderEpoch: number) =>
      b.offsetForLeaderEpoch([{ topicId: T, partition: 0, currentLeaderEpoch, leaderEpoch }])[0];
    expect(ask(-1, 1)).toEqual({ errorCode: 0, leaderEpoch: 1, endOffset: 5n });
    expect(ask(2, 2)).toEqual({ errorCode: 0, leaderEpoch: 2, endOffset: 8n });
    expect(ask(1, 1)?.errorCode).toBe(KafkaError.FENCED_LEADER_EPOCH);
    expect(ask(3, 1)?.errorCode).toBe(KafkaError.UNKNOWN_LEADER_EPOCH);
    expect(
      a.offsetForLeaderEpoch([
        { topicId: T, partition: 0, currentLeaderEpoch: -1, leaderEpoch: 1 },
      ])[0]?.errorCode,
    ).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
  });
});
