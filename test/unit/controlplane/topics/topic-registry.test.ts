/** TopicRegistry over the in-process store: create, races, validate-only, delete, list. */
import { beforeEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { encodeAssignment } from '../../../../lib/metadata/topic-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { TopicRegistry } from '../../../../controlplane/src/topics/topic-registry.js';

let store: MemoryMetadataStore;
let registry: TopicRegistry;
const topic = (name: string, numPartitions = 2) => ({
  name,
  numPartitions,
  replicationFactor: -1,
  configs: {},
});

beforeEach(() => {
  store = new MemoryMetadataStore();
  registry = new TopicRegistry(store, { defaultPartitions: 4, now: () => 1234 });
});

describe('TopicRegistry.create', () => {
  it('creates a topic with a fresh id and the default partition count', async () => {
    const [r] = await registry.create([
      { ...topic('orders', -1), configs: { 'retention.ms': '5' } },
    ]);
    expect(r).toMatchObject({ ok: true, name: 'orders', partitions: 4 });
    const stored = await registry.get('orders');
    expect(stored).toEqual({
      topicId: r?.ok ? r.topicId : '',
      name: 'orders',
      partitions: 4,
      configs: { 'retention.ms': '5' },
      createdAtMs: 1234,
    });
  });

  it('answers TOPIC_ALREADY_EXISTS for an existing name', async () => {
    await registry.create([topic('a')]);
    const [r] = await registry.create([topic('a')]);
    expect(r).toMatchObject({ ok: false, errorCode: KafkaError.TOPIC_ALREADY_EXISTS });
    expect(r?.ok === false && r.message).toContain('"a"');
  });

  it('lets exactly one of 10 concurrent creates of one name win', async () => {
    const registries = Array.from(
      { length: 10 },
      () => new TopicRegistry(store, { defaultPartitions: 1 }),
    );
    const results = (await Promise.all(registries.map((r) => r.create([topic('race')])))).flat();
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(
      results.filter((r) => !r.ok && r.errorCode === KafkaError.TOPIC_ALREADY_EXISTS),
    ).toHaveLength(9);
    expect((await registry.list()).map((t) => t.name)).toEqual(['race']);
  });

  it('validates only, writing nothing, and still reports an existing topic', async () => {
    await registry.create([topic('exists')]);
    const before = (await store.list('/')).revision;
    const results = await registry.create([topic('new', -1), topic('exists'), topic('bad name')], {
      validateOnly: true,
    });
    expect(results).toEqual([
      { ok: true, name: 'new', topicId: undefined, partitions: 4 },
      expect.objectContaining({ ok: false, errorCode: KafkaError.TOPIC_ALREADY_EXISTS }),
      expect.objectContaining({ ok: false, errorCode: KafkaError.INVALID_TOPIC_EXCEPTION }),
    ]);
    expect((await store.list('/')).revision).toBe(before);
  });

  it('fails every copy of a name given twice with INVALID_REQUEST', async () => {
    const results = await registry.create([topic('d'), topic('e'), topic('d')]);
    expect(results.map((r) => (r.ok ? 0 : r.errorCode))).toEqual([
      KafkaError.INVALID_REQUEST,
      0,
      KafkaError.INVALID_REQUEST,
    ]);
  });
});

describe('TopicRegistry.delete', () => {
  async function createWithAssignments(name: string): Promise<string> {
    const [r] = await registry.create([topic(name)]);
    if (!r?.ok || r.topicId === undefined) throw new Error('create failed');
    for (const p of [0, 1]) {
      await store.txn(
        [],
        [
          {
            type: 'put',
            key: keys.assignment(r.topicId, p),
            value: encodeAssignment({ node: 's' }),
          },
        ],
      );
    }
    return r.topicId;
  }

  it('deletes by name, with the topic assignments, in one transaction', async () => {
    const id = await createWithAssignments('gone');
    const other = await createWithAssignments('kept');
    const before = (await store.list('/')).revision;
    expect(await registry.deleteByName('gone')).toEqual({ ok: true, name: 'gone', topicId: id });
    expect((await store.list('/')).revision).toBe(before + 1);
    expect(await registry.get('gone')).toBeUndefined();
    expect((await store.list(keys.topicAssignmentsPrefix(id))).kvs).toHaveLength(0);
    expect((await store.list(keys.topicAssignmentsPrefix(other))).kvs).toHaveLength(2);
  });

  it('deletes by topic id', async () => {
    const id = await createWithAssignments('byid');
    expect(await registry.deleteById(id)).toEqual({ ok: true, name: 'byid', topicId: id });
    expect(await registry.list()).toEqual([]);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION and UNKNOWN_TOPIC_ID for unknown topics', async () => {
    const id = await createWithAssignments('x');
    await registry.deleteByName('x');
    expect(await registry.delete([{ name: 'x' }, { topicId: id }])).toEqual([
      expect.objectContaining({ ok: false, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION }),
      expect.objectContaining({ ok: false, errorCode: KafkaError.UNKNOWN_TOPIC_ID, topicId: id }),
    ]);
  });

  it('never deletes a re-created topic through the old id', async () => {
    const old = await createWithAssignments('again');
    await registry.deleteByName('again');
    const fresh = await createWithAssignments('again');
    expect(fresh).not.toBe(old);
    expect(await registry.deleteById(old)).toMatchObject({
      ok: false,
      errorCode: KafkaError.UNKNOWN_TOPIC_ID,
    });
    expect((await registry.get('again'))?.topicId).toBe(fresh);
  });
});
