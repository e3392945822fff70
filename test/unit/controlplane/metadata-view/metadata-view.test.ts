/** The metadata view: listing then one watch; topics, assignments, owners, nodes. */
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../lib/metadata/keys.js';
import { encodeDrain, encodePin } from '../../../../lib/metadata/placement-records.js';
import { encodeAssignment } from '../../../../lib/metadata/topic-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import type { ViewChange } from '../../../../controlplane/src/metadata-view/change-set.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { TopicRegistry } from '../../../../controlplane/src/topics/topic-registry.js';
import { claimOwner, registerNode, unregisterNode, waitFor } from '../helpers.js';

let view: MetadataView | undefined;
afterEach(async () => {
  await view?.stop();
});

describe('MetadataView', () => {
  it('starts from a listing and follows every change with its revision', async () => {
    const store = new MemoryMetadataStore();
    const registry = new TopicRegistry(store, { defaultPartitions: 2 });
    const [created] = await registry.create([
      { name: 'a', numPartitions: 2, replicationFactor: 1, configs: {} },
    ]);
    const topicId = created?.ok ? (created.topicId ?? '') : '';
    await registerNode(store, 'storage', 's1');
    const v = await MetadataView.start(store);
    view = v;
    expect(v.topics().map((t) => t.record.name)).toEqual(['a']);
    expect(v.storageNodes().map((n) => [n.id, n.host, n.port])).toEqual([
      ['s1', 'storage-s1.local', 9000],
    ]);

    const changes: ViewChange[] = [];
    v.subscribe((c) => changes.push(c));
    await store.txn(
      [],
      [{ type: 'put', key: keys.assignment(topicId, 0), value: encodeAssignment({ node: 's1' }) }],
    );
    await claimOwner(store, topicId, 1, 's2', 4);
    await registerNode(store, 'edge', '7');
    await unregisterNode(store, 'storage', 's1');
    const last = (await store.list('/')).revision;
    await waitFor('the view to catch up', () => v.revision === last);

    expect(v.assignedNode(topicId, 0)).toBe('s1');
    expect(v.owner(topicId, 1)).toEqual({ owner: 's2', epoch: 4 });
    expect(v.edges().map((e) => e.id)).toEqual(['7']);
    expect(v.storageNodes()).toEqual([]);
    expect(changes.map((c) => c.revision)).toEqual([last - 3, last - 2, last - 1, last]);
    expect([...(changes[0]?.changes.partitions.get(topicId) ?? [])]).toEqual([0]);
    expect([...(changes[3]?.changes.storageNodes ?? [])]).toEqual(['s1']);

    await registry.deleteByName('a');
    await waitFor('the topic to go', () => v.topics().length === 0);
    expect(v.topicById(topicId)).toBeUndefined();
    expect(v.assignedNode(topicId, 0)).toBeUndefined();
  });

  it('ignores keys it does not follow and values that do not decode', async () => {
    const store = new MemoryMetadataStore();
    const v = await MetadataView.start(store);
    view = v;
    const changes: ViewChange[] = [];
    v.subscribe((c) => changes.push(c));
    await store.txn(
      [],
      [{ type: 'put', key: keys.indexEntry('tX', 0, 5n), value: new Uint8Array([1]) }],
    );
    await store.txn([], [{ type: 'put', key: keys.topic('broken'), value: Buffer.from('{') }]);
    const last = (await store.list('/')).revision;
    await waitFor('the view to catch up', () => v.revision === last);
    expect(v.topics()).toEqual([]);
    expect(changes).toHaveLength(0);
  });

  it('follows pins and drains, and reports them as placement changes', async () => {
    const store = new MemoryMetadataStore();
    const v = await MetadataView.start(store);
    view = v;
    const changes: ViewChange[] = [];
    v.subscribe((c) => changes.push(c));
    const topicId = 'AAAAAAAAAAAAAAAAAAAAAA';
    await store.txn(
      [],
      [
        { type: 'put', key: keys.pin(topicId, 3), value: encodePin({ node: 's2', pinnedAtMs: 1 }) },
        { type: 'put', key: keys.drain('s1'), value: encodeDrain({ drainedAtMs: 1 }) },
        // Undecodable values count as absent.
        { type: 'put', key: keys.pin(topicId, 4), value: Buffer.from('{"node":7}') },
      ],
    );
    let last = (await store.list('/')).revision;
    await waitFor('the view to catch up', () => v.revision === last);
    expect([...v.pinsOf(topicId)]).toEqual([[3, 's2']]);
    expect([...v.drainedNodes()]).toEqual(['s1']);
    expect(changes.flatMap((c) => [...c.changes.placements]).sort()).toEqual(
      [keys.drain('s1'), keys.pin(topicId, 3), keys.pin(topicId, 4)].sort(),
    );
    await store.txn(
      [],
      [
        { type: 'delete', key: keys.pin(topicId, 3) },
        { type: 'delete', key: keys.drain('s1') },
      ],
    );
    last = (await store.list('/')).revision;
    await waitFor('the view to catch up', () => v.revision === last);
    expect(v.pinsOf(topicId).size).toBe(0);
    expect(v.pinnedTopicIds()).toEqual([]);
    expect(v.drainedNodes().size).toBe(0);
  });
});
