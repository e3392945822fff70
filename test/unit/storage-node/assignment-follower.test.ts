import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { encodeAssignment } from '../../../lib/metadata/topic-records.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../lib/stores/memory/memory-object-store.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import { AssignmentFollower } from '../../../storage-node/src/assignment-follower.js';
import {
  StorageEngine,
  type StorageEngineOptions,
} from '../../../storage-node/src/storage-engine.js';
import {
  batchOf,
  ControlledObjectStore,
  deferred,
  offsetOf,
} from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAw';
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function node(
  id: string,
  metadata: MetadataStore,
  overrides: Partial<StorageEngineOptions> = {},
  objects = new ControlledObjectStore(new MemoryObjectStore()),
) {
  const engine = await StorageEngine.start({
    nodeId: id,
    metadata,
    objects,
    flushIntervalMs: 5,
    flushBytes: 1 << 20,
    maxInflightFlushes: 2,
    maxBufferedBytes: 16 << 20,
    leaseTtlSeconds: 10,
    recentRunsBytes: 1 << 20,
    ...overrides,
  });
  const follower = new AssignmentFollower(engine, metadata, pino({ level: 'silent' }));
  await follower.start();
  stops.push(
    () => engine.stop(),
    () => follower.stop(),
  );
  return { engine, follower, objects };
}

function assign(store: MetadataStore, partition: number, nodeId: string) {
  return store.txn(
    [],
    [
      {
        type: 'put',
        key: keys.assignment(T, partition),
        value: encodeAssignment({ node: nodeId }),
      },
    ],
  );
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('assignment follower', () => {
  it('claims what is assigned to its node and hands a reassigned partition over', async () => {
    const store = new MemoryMetadataStore();
    const a = await node('a', store);
    const b = await node('b', store);
    await assign(store, 0, 'a');
    await assign(store, 1, 'b');
    await until(() => a.engine.owner(T, 0) !== undefined && b.engine.owner(T, 1) !== undefined);
    expect(a.engine.owner(T, 1)).toBeUndefined();
    expect(
      offsetOf((await a.engine.append([{ topicId: T, partition: 0, records: batchOf('x') }]))[0]),
    ).toBe(0n);

    await assign(store, 0, 'b');
    await until(() => b.engine.owner(T, 0) !== undefined);
    expect(a.engine.owner(T, 0)).toBeUndefined();
    expect(b.engine.owner(T, 0)?.epoch).toBe(2);
    expect(
      offsetOf((await b.engine.append([{ topicId: T, partition: 0, records: batchOf('y') }]))[0]),
    ).toBe(1n);
  });

  it('commits, before letting go, an append whose upload is in flight when the partition is given up', async () => {
    const store = new MemoryMetadataStore();
    const a = await node('a', store);
    await assign(store, 0, 'a');
    await until(() => a.engine.owner(T, 0) !== undefined);
    const gate = deferred();
    a.objects.gate = gate.promise;
    const pending = a.engine.append([{ topicId: T, partition: 0, records: batchOf('caught') }]);
    await until(() => a.objects.puts === 1);
    await assign(store, 0, 'elsewhere');
    await new Promise((r) => setTimeout(r, 50));
    // Still held while the upload it accepted is in flight.
    expect(a.engine.owner(T, 0)).toBeDefined();
    gate.resolve();
    const [outcome] = await pending;
    expect(offsetOf(outcome)).toBe(0n);
    await until(() => a.engine.owner(T, 0) === undefined);
  });

  it('fails, never strands, an append whose upload outlasts the hand-over time', async () => {
    const store = new MemoryMetadataStore();
    const a = await node('a', store, { releaseSettleMs: 100 });
    await assign(store, 0, 'a');
    await until(() => a.engine.owner(T, 0) !== undefined);
    const gate = deferred();
    a.objects.gate = gate.promise;
    const pending = a.engine.append([{ topicId: T, partition: 0, records: batchOf('caught') }]);
    await until(() => a.objects.puts === 1);
    await assign(store, 0, 'elsewhere');
    await until(() => a.engine.owner(T, 0) === undefined);
    gate.resolve();
    const [outcome] = await pending;
    expect(outcome?.errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
  });
});
