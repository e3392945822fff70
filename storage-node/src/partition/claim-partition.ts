/**
 * The claim protocol (docs/storage.md, "Ownership, epochs and recovery"): one transaction
 * that succeeds only if no one holds the partition and its state is as just read; it
 * attaches the claim to this node's lease and bumps the epoch. The winner then recovers
 * the partition from etcd alone: state and index entries.
 */
import { keys } from '../../../lib/metadata/keys.js';
import {
  decodeIndexEntry,
  decodeLogStart,
  decodeOwnerClaim,
  decodePartitionState,
  encodeOwnerClaim,
  encodePartitionState,
  INITIAL_STATE,
  type IndexEntry,
} from '../../../lib/metadata/partition-records.js';
import type { Lease, MetadataStore } from '../../../lib/stores/metadata-store.js';
import { PartitionLog } from './partition-log.js';

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly log: PartitionLog }
  | { readonly kind: 'held'; readonly owner: string; readonly epoch: number };

export async function claimPartition(
  store: MetadataStore,
  nodeId: string,
  lease: Lease,
  topicId: string,
  partition: number,
): Promise<ClaimResult> {
  const stateKey = keys.partitionState(topicId, partition);
  const ownerKey = keys.partitionOwner(topicId, partition);
  for (;;) {
    const [stateKv, ownerKv] = await Promise.all([store.get(stateKey), store.get(ownerKey)]);
    if (ownerKv) {
      const claim = decodeOwnerClaim(ownerKey, ownerKv.value);
      return { kind: 'held', owner: claim.owner, epoch: claim.epoch };
    }
    const state = stateKv ? decodePartitionState(stateKey, stateKv.value) : INITIAL_STATE;
    const epoch = state.epoch + 1;
    const result = await store.txn(
      [
        { key: ownerKey, target: 'version', op: '=', value: 0 },
        { key: stateKey, target: 'modRevision', op: '=', value: stateKv?.modRevision ?? 0 },
      ],
      [
        {
          type: 'put',
          key: ownerKey,
          value: encodeOwnerClaim({ owner: nodeId, epoch }),
          lease: lease.id,
        },
        {
          type: 'put',
          key: stateKey,
          value: encodePartitionState({ ...state, epoch, owner: nodeId }),
        },
      ],
    );
    if (!result.succeeded) continue; // someone moved first: look again
    const [listed, startKv] = await Promise.all([
      store.list(keys.indexPrefix(topicId, partition)),
      store.get(keys.partitionLogStart(topicId, partition)),
    ]);
    const moved = startKv ? decodeLogStart(startKv.key, startKv.value).logStartOffset : -1n;
    const logStartOffset = moved > state.logStartOffset ? moved : state.logStartOffset;
    const index: IndexEntry[] = listed.kvs
      .map((kv) => decodeIndexEntry(kv.key, kv.value))
      .filter((e) => e.lastOffset < state.highWatermark);
    const log = new PartitionLog(
      topicId,
      partition,
      {
        epoch,
        highWatermark: state.highWatermark,
        logStartOffset,
        stateModRevision: result.revision,
        ownerCreateRevision: result.revision,
      },
      index,
    );
    return { kind: 'claimed', log };
  }
}
