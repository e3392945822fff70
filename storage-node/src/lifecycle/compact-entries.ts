/**
 * Merges consecutive index entries of one owned partition into one segment object
 * (`seg/<topicId>/<p>/<first>-<last>-<random>.kfs`, the flush object layout with one part):
 * the batches are copied as stored (offsets and epochs already set; nothing re-encoded),
 * the segment's entry records a batch position about every MiB so reads start near their
 * offset, and the swap is one etcd transaction that compares this owner's claim and that
 * every replaced entry still exists, deletes the replaced keys, writes the segment's entry
 * under the first one's key and records the segment object. Nothing else of the partition
 * changes: offsets, epochs, timestamps and the idempotent producers' batches stay as they
 * were. A refused or failed swap leaves the segment unrecorded, an orphan for the sweep.
 */
import { randomBytes } from 'node:crypto';
import { keys, padOffset } from '../../../lib/metadata/keys.js';
import { encodeObjectRecord } from '../../../lib/metadata/lifecycle-records.js';
import {
  encodeIndexEntry,
  type BatchPosition,
  type IndexEntry,
  type ProducerBatch,
} from '../../../lib/metadata/partition-records.js';
import type { Compare, MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import { layoutFlushObject } from '../flush/flush-object.js';
import type { PartitionLog } from '../partition/partition-log.js';
import { entryBatches } from '../read/read-partition.js';
import type { RecentRuns } from '../read/recent-runs.js';

/** Spacing of the recorded batch positions in a segment entry. */
export const POSITION_SPACING_BYTES = 1 << 20;
/** The last batches of each producer an entry keeps (as a flush run's entry does). */
const BATCHES_PER_PRODUCER = 5;

export type CompactOutcome =
  | {
      readonly kind: 'compacted';
      readonly segment: IndexEntry;
      /** How many entries the segment replaced. */
      readonly merged: number;
      /** The objects that held the replaced entries. */
      readonly released: string[];
    }
  | { readonly kind: 'refused'; readonly reason: string };

export interface CompactDeps {
  readonly nodeId: string;
  readonly metadata: MetadataStore;
  readonly objects: ObjectStore;
  readonly recent: RecentRuns;
}

export async function compactEntries(
  deps: CompactDeps,
  log: PartitionLog,
  window: readonly IndexEntry[],
): Promise<CompactOutcome> {
  const first = window[0];
  const last = window.at(-1);
  if (first === undefined || last === undefined || window.length < 2)
    return { kind: 'refused', reason: 'nothing to merge' };
  const batches: Uint8Array[] = [];
  for (const e of window) batches.push(...(await entryBatches(e, deps.objects, deps.recent)));
  const maxTimestamp = window.reduce((m, e) => (e.maxTimestamp > m ? e.maxTimestamp : m), -1n);
  const object = layoutFlushObject(deps.nodeId, [
    {
      topicId: log.topicId,
      partition: log.partition,
      batches,
      firstOffset: first.baseOffset,
      lastOffset: last.lastOffset,
      maxTimestamp,
      epoch: first.epoch,
    },
  ]);
  const objectKey = `seg/${log.topicId}/${log.partition}/${padOffset(first.baseOffset)}-${padOffset(last.lastOffset)}-${randomBytes(4).toString('hex')}.kfs`;
  await deps.objects.put(objectKey, object.chunks, { ifNoneMatch: true });
  const segment: IndexEntry = {
    baseOffset: first.baseOffset,
    lastOffset: last.lastOffset,
    objectKey,
    start: 0,
    length: window.reduce((n, e) => n + e.length, 0),
    maxTimestamp,
    epoch: first.epoch,
    batchCount: window.reduce((n, e) => n + e.batchCount, 0),
    ...producersOf(window),
    positions: positionsOf(batches),
  };
  const claim: Compare = {
    key: keys.partitionOwner(log.topicId, log.partition),
    target: 'createRevision',
    op: '=',
    value: log.ownerCreateRevision,
  };
  const entryKeys = window.map((e) => keys.indexEntry(log.topicId, log.partition, e.baseOffset));
  const ops: TxnOp[] = [
    ...entryKeys.slice(1).map((key): TxnOp => ({ type: 'delete', key })),
    { type: 'put', key: entryKeys[0] ?? '', value: encodeIndexEntry(segment) },
    {
      type: 'put',
      key: keys.objectRecord(objectKey),
      value: encodeObjectRecord({
        createdAtMs: Date.now(),
        runs: [{ topicId: log.topicId, partition: log.partition, baseOffset: first.baseOffset }],
      }),
    },
  ];
  const exist = entryKeys.map((key): Compare => ({ key, target: 'version', op: '>', value: 0 }));
  const swapped = await deps.metadata.txn([claim, ...exist], ops);
  if (!swapped.succeeded) {
    return { kind: 'refused', reason: 'the claim or a replaced entry changed' };
  }
  return {
    kind: 'compacted',
    segment,
    merged: window.length,
    released: [...new Set(window.map((e) => e.objectKey))],
  };
}

/** Batch positions about every POSITION_SPACING_BYTES, starting with the first batch. */
function positionsOf(batches: readonly Uint8Array[]): BatchPosition[] {
  const positions: BatchPosition[] = [];
  let at = 0;
  let lastAt = -Infinity;
  for (const b of batches) {
    if (at - lastAt >= POSITION_SPACING_BYTES) {
      const base = Buffer.from(b.buffer, b.byteOffset, b.byteLength).readBigInt64BE(0);
      positions.push({ offset: base.toString(), at });
      lastAt = at;
    }
    at += b.length;
  }
  return positions;
}

/** The idempotent producers' batches of the merged entries, the last five per producer. */
function producersOf(window: readonly IndexEntry[]): { producers?: ProducerBatch[] } {
  const perProducer = new Map<string, ProducerBatch[]>();
  for (const e of window) {
    for (const b of e.producers ?? []) {
      const list = perProducer.get(b.producerId) ?? [];
      list.push(b);
      if (list.length > BATCHES_PER_PRODUCER) list.shift();
      perProducer.set(b.producerId, list);
    }
  }
  const all = [...perProducer.values()].flat();
  return all.length === 0 ? {} : { producers: all };
}
