/** A slow watcher's pending changes are coalesced, or replaced by a snapshot past the cap. */
import { describe, expect, it } from 'vitest';
import type { WatchMetadataResponse } from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { metadataStream } from '../../../../controlplane/src/services/metadata-stream.js';
import { registerNode, waitFor } from '../helpers.js';

describe('metadataStream', () => {
  it('coalesces 200 changes of one node into one update, and sends a snapshot past the cap', async () => {
    const store = new MemoryMetadataStore();
    const view = await MetadataView.start(store);
    const abort = new AbortController();
    const stream = metadataStream(view, 'c', abort.signal, 50);
    const pull = async (): Promise<WatchMetadataResponse> => {
      const r = await stream.next();
      if (r.done === true) throw new Error('stream ended');
      return r.value;
    };
    expect((await pull()).event.case).toBe('snapshot');

    for (let i = 0; i < 200; i++) await registerNode(store, 'storage', 's1', undefined, 1000 + i);
    const last = (await store.list('/')).revision;
    await waitFor('the view', () => view.revision === last);
    const update = await pull();
    expect(update.revision).toBe(BigInt(last));
    const nodes = update.event.case === 'update' ? update.event.value.storageNodes : [];
    expect(nodes.map((n) => n.port)).toEqual([1199]);

    for (let i = 0; i < 60; i++) await registerNode(store, 'storage', `n${i}`);
    const last2 = (await store.list('/')).revision;
    await waitFor('the view', () => view.revision === last2);
    const snapshot = await pull();
    expect(snapshot.event.case).toBe('snapshot');
    expect(snapshot.event.case === 'snapshot' && snapshot.event.value.storageNodes.length).toBe(61);
    abort.abort();
    await stream.return(undefined);
    await view.stop();
  });
});
