/**
 * Merges consecutive index entries of one owned partition into one segment object
 * (`seg/<topicId>/<p>/<first>-<last>-<random>.kfs`, the flush object layout with one part):
 * the batches are copied as stored (offsets and epochs already set; nothing re-encoded),
 * the segment's entry records a batch position about every MiB so reads start near their
 * offset, and the swap is one etcd transaction that compares this owner's claim and that
 * the first and last replaced entries still exist, deletes the replaced keys after the first
 * with one range delete (a window may hold more entries than a transaction may have ops),
 * writes the segment's entry under the first one's key and records the segment object. Only
 * this owner changes its index, and it serializes compaction with its other index changes
 * (StorageEngine.exclusive), so the claim and the ends stand for the whole window. The
 * sources are read from the node's cache, or with up to SOURCE_READS_IN_FLIGHT ranged GETs
 * at once. Nothing else of the partition
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
/** Ranged GETs of one merge's sources in flight at once. */
const SOURCE_READS_IN_FLIGHT = 8;
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
      /** The segment's batches, as written (for the cache). */
      readonly batches: readonly Uint8Array[];
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
  const batches = (await readSources(deps, window)).flat();
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
  const firstKey = keys.indexEntry(log.topicId, log.partition, first.baseOffset);
  const lastKey = keys.indexEntry(log.topicId, log.partition, last.baseOffset);
  const ops: TxnOp[] = [
    // (firstKey, lastKey]: index keys are fixed-width offsets, so key order is offset order.
    { type: 'deleteRange', from: `${firstKey}\0`, to: `${lastKey}\0` },
    { type: 'put', key: firstKey, value: encodeIndexEntry(segment) },
    {
      type: 'put',
      key: keys.objectRecord(objectKey),
      value: encodeObjectRecord({
        createdAtMs: Date.now(),
        runs: [{ topicId: log.topicId, partition: log.partition, baseOffset: first.baseOffset }],
      }),
    },
  ];
  const exist = [firstKey, lastKey].map((key): Compare => ({
    key,
    target: 'version',
    op: '>',
    value: 0,
  }));
  const swapped = await deps.metadata.txn([claim, ...exist], ops);
  if (!swapped.succeeded) {
    return { kind: 'refused', reason: 'the claim or a replaced entry changed' };
  }
  return {
    kind: 'compacted',
    segment,
    merged: window.length,
    released: [...new Set(window.map((e) => e.objectKey))],
    batches,
  };
}

/** Each entry's batches, in window order, with a bounded number of GETs at once. */
async function readSources(
  deps: CompactDeps,
  window: readonly IndexEntry[],
): Promise<(readonly Uint8Array[])[]> {
  const out: (readonly Uint8Array[])[] = new Array<readonly Uint8Array[]>(window.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < window.length; i = next++) {
      const entry = window[i];
      if (entry !== undefined) out[i] = await entryBatches(entry, deps.objects, deps.recent);
    }
  };
  await Promise.all(Array.from({ length: SOURCE_READS_IN_FLIGHT }, worker));
  return out;
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
