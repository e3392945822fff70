/** Small helpers shared by the controlplane tests. */
import { keys } from '../../../lib/metadata/keys.js';
import { encodeOwnerClaim } from '../../../lib/metadata/partition-records.js';
import { encodeNodeRecord } from '../../../lib/metadata/topic-records.js';
import type { Lease, MetadataStore } from '../../../lib/stores/metadata-store.js';

/** Registers a storage node or an edge the way the node itself does (key on its lease). */
export async function registerNode(
  store: MetadataStore,
  kind: 'storage' | 'edge',
  id: string,
  lease?: Lease,
  port = 9000,
): Promise<void> {
  const key = kind === 'storage' ? keys.storageNode(id) : keys.edge(id);
  await store.txn(
    [],
    [
      {
        type: 'put',
        key,
        value: encodeNodeRecord({
          id,
          host: `${kind}-${id}.local`,
          port,
          version: 'test',
          startedAtMs: 1,
        }),
        ...(lease === undefined ? {} : { lease: lease.id }),
      },
    ],
  );
}

export async function unregisterNode(
  store: MetadataStore,
  kind: 'storage' | 'edge',
  id: string,
): Promise<void> {
  await store.txn(
    [],
    [{ type: 'delete', key: kind === 'storage' ? keys.storageNode(id) : keys.edge(id) }],
  );
}

export async function claimOwner(
  store: MetadataStore,
  topicId: string,
  partition: number,
  owner: string,
  epoch: number,
): Promise<void> {
  await store.txn(
    [],
    [
      {
        type: 'put',
        key: keys.partitionOwner(topicId, partition),
        value: encodeOwnerClaim({ owner, epoch }),
      },
    ],
  );
}

/** Polls `check` until it returns true, failing after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
