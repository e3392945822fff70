/**
 * Commits the runs of one uploaded flush object to etcd: one transaction per chunk of
 * partitions, each comparing the partition's state mod revision and the owner's claim,
 * then writing the new state and one index entry (docs/storage.md, step 3).
 *
 * Outcomes per partition: committed; fenced (a compare failed because another owner
 * claimed it, or our claim is gone); or uncertain (etcd failed mid-transaction, so it may
 * or may not have applied). The caller drops uncertain partitions: the next claim reads
 * what etcd really holds, so nothing acknowledged is lost and no offset is reused.
 */
import { keys } from '../../../lib/metadata/keys.js';
import {
  encodeIndexEntry,
  encodePartitionState,
  type IndexEntry,
} from '../../../lib/metadata/partition-records.js';
import { encodeObjectRecord } from '../../../lib/metadata/lifecycle-records.js';
import type { Compare, MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import type { PartitionLog, TakenRun } from '../partition/partition-log.js';
import { ProducerStates } from '../partition/producer-state.js';
import type { PlacedRun } from './flush-object.js';

/**
 * Each partition costs two compares and two puts; etcd allows 128 of each list per
 * transaction, and the first chunk also records the object.
 */
export const PARTITIONS_PER_TXN = 60;

export interface RunToCommit {
  readonly log: PartitionLog;
  readonly taken: TakenRun;
  readonly placed: PlacedRun;
}

export type RunResult =
  | { readonly kind: 'committed'; readonly entry: IndexEntry; readonly revision: number }
  | { readonly kind: 'fenced'; readonly reason: string }
  | { readonly kind: 'uncertain'; readonly reason: string };

export function indexEntry(objectKey: string, r: RunToCommit): IndexEntry {
  const { run } = r.taken;
  return {
    baseOffset: run.firstOffset,
    lastOffset: run.lastOffset,
    objectKey,
    start: r.placed.start,
    length: r.placed.length,
    maxTimestamp: run.maxTimestamp,
    epoch: run.epoch,
    batchCount: run.batches.length,
    ...(r.taken.producerBatches.length === 0
      ? {}
      : { producers: ProducerStates.forIndex(r.taken.producerBatches) }),
  };
}

export function compares(r: RunToCommit): Compare[] {
  const { topicId, partition } = r.log;
  return [
    {
      key: keys.partitionState(topicId, partition),
      target: 'modRevision',
      op: '=',
      value: r.log.stateModRevision,
    },
    {
      key: keys.partitionOwner(topicId, partition),
      target: 'createRevision',
      op: '=',
      value: r.log.ownerCreateRevision,
    },
  ];
}

/** The partition's state once `entry` is its last committed run. */
export function statePut(nodeId: string, r: RunToCommit, entry: IndexEntry): TxnOp {
  const { topicId, partition } = r.log;
  return {
    type: 'put',
    key: keys.partitionState(topicId, partition),
    value: encodePartitionState({
      epoch: r.log.epoch,
      highWatermark: entry.lastOffset + 1n,
      logStartOffset: r.log.logStartOffset,
      owner: nodeId,
    }),
  };
}

export function indexPut(r: RunToCommit, entry: IndexEntry): TxnOp {
  const { topicId, partition } = r.log;
  return {
    type: 'put',
    key: keys.indexEntry(topicId, partition, entry.baseOffset),
    value: encodeIndexEntry(entry),
  };
}

/** The `objects/` record of a flush object: which runs it carries (for the sweeper). */
export function objectRecordPut(objectKey: string, runs: readonly RunToCommit[]): TxnOp {
  return {
    type: 'put',
    key: keys.objectRecord(objectKey),
    value: encodeObjectRecord({
      createdAtMs: Date.now(),
      runs: runs.map((r) => ({
        topicId: r.log.topicId,
        partition: r.log.partition,
        baseOffset: r.taken.run.firstOffset,
      })),
    }),
  };
}

function ops(nodeId: string, r: RunToCommit, entry: IndexEntry): TxnOp[] {
  return [statePut(nodeId, r, entry), indexPut(r, entry)];
}

/** Finds which partitions of a failed chunk lost their claim; the rest can be retried. */
async function splitFenced(
  store: MetadataStore,
  runs: readonly RunToCommit[],
): Promise<{ fenced: RunToCommit[]; intact: RunToCommit[] }> {
  const fenced: RunToCommit[] = [];
  const intact: RunToCommit[] = [];
  for (const r of runs) {
    const { topicId, partition } = r.log;
    const [state, owner] = await Promise.all([
      store.get(keys.partitionState(topicId, partition)),
      store.get(keys.partitionOwner(topicId, partition)),
    ]);
    const same =
      state?.modRevision === r.log.stateModRevision &&
      owner?.createRevision === r.log.ownerCreateRevision;
    (same ? intact : fenced).push(r);
  }
  return { fenced, intact };
}

export async function commitRuns(
  store: MetadataStore,
  nodeId: string,
  objectKey: string,
  runs: readonly RunToCommit[],
): Promise<Map<RunToCommit, RunResult>> {
  const objectRecord = objectRecordPut(objectKey, runs);
  const results = new Map<RunToCommit, RunResult>();
  let first = true;
  for (let i = 0; i < runs.length; i += PARTITIONS_PER_TXN) {
    let chunk = runs.slice(i, i + PARTITIONS_PER_TXN);
    for (let attempt = 1; chunk.length > 0; attempt++) {
      if (attempt > 3) {
        // Refused three times although every compare looked intact when re-read: the
        // state is moving under us; let the next claim sort it out.
        for (const r of chunk)
          results.set(r, { kind: 'uncertain', reason: 'commit refused repeatedly' });
        break;
      }
      const pairs = chunk.map((r) => ({ r, entry: indexEntry(objectKey, r) }));
      const success = pairs.flatMap(({ r, entry }) => ops(nodeId, r, entry));
      if (first) success.push(objectRecord);
      let outcome;
      try {
        outcome = await store.txn(chunk.flatMap(compares), success);
      } catch (e) {
        const reason = `commit outcome unknown: ${e instanceof Error ? e.message : String(e)}`;
        for (const r of chunk) results.set(r, { kind: 'uncertain', reason });
        break;
      }
      if (outcome.succeeded) {
        first = false;
        for (const { r, entry } of pairs)
          results.set(r, { kind: 'committed', entry, revision: outcome.revision });
        break;
      }
      let split;
      try {
        split = await splitFenced(store, chunk);
      } catch (e) {
        const reason = `commit refused and state unreadable: ${e instanceof Error ? e.message : String(e)}`;
        for (const r of chunk) results.set(r, { kind: 'uncertain', reason });
        break;
      }
      for (const r of split.fenced) {
        results.set(r, {
          kind: 'fenced',
          reason: 'another owner claimed the partition, or this claim expired',
        });
      }
      chunk = split.intact;
    }
  }
  return results;
}
