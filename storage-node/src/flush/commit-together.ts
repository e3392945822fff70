/**
 * Commits several uploaded flush objects in one etcd transaction (docs/storage.md, step 3),
 * when they finished uploading while an earlier commit was running: one fsynced
 * transaction instead of one each, so a backlog of commits clears in one round trip.
 *
 * The transaction compares each partition once (its state's mod revision and the owner's
 * claim, as commit-runs.ts does), writes each partition's state once (the high watermark of
 * its last run), every run's index entry, and every object's `objects/` record. It is used
 * only when all of that fits in one transaction (MAX_TXN_OPS compares and puts).
 *
 * Outcomes: committed (every run, at one revision); refused (a compare failed: nothing was
 * written, and the caller commits the flushes one by one, which finds the fenced
 * partitions); or uncertain (etcd failed mid-transaction: it may or may not have applied).
 */
import {
  MAX_TXN_OPS,
  type Compare,
  type MetadataStore,
  type TxnOp,
} from '../../../lib/stores/metadata-store.js';
import type { IndexEntry } from '../../../lib/metadata/partition-records.js';
import type { PartitionLog } from '../partition/partition-log.js';
import {
  compares,
  indexEntry,
  indexPut,
  objectRecordPut,
  statePut,
  type RunToCommit,
} from './commit-runs.js';

export interface FlushToCommit {
  readonly objectKey: string;
  readonly runs: readonly RunToCommit[];
}

export type TogetherOutcome =
  | {
      readonly kind: 'committed';
      readonly revision: number;
      readonly entries: ReadonlyMap<RunToCommit, IndexEntry>;
    }
  | { readonly kind: 'refused' }
  | { readonly kind: 'uncertain'; readonly reason: string };

/** Distinct partitions of the flushes: two compares and one state put each. */
function partitionsOf(flushes: readonly FlushToCommit[]): Set<PartitionLog> {
  return new Set(flushes.flatMap((f) => f.runs.map((r) => r.log)));
}

/** Whether the flushes' commit fits in one etcd transaction. */
export function fitsOneTransaction(flushes: readonly FlushToCommit[]): boolean {
  const partitions = partitionsOf(flushes).size;
  const runs = flushes.reduce((n, f) => n + f.runs.length, 0);
  return 2 * partitions <= MAX_TXN_OPS && partitions + runs + flushes.length <= MAX_TXN_OPS;
}

export async function commitTogether(
  store: MetadataStore,
  nodeId: string,
  flushes: readonly FlushToCommit[],
): Promise<TogetherOutcome> {
  if (!fitsOneTransaction(flushes))
    throw new RangeError(`${String(flushes.length)} flushes do not fit one transaction`);
  const entries = new Map<RunToCommit, IndexEntry>();
  /** Each partition's last run and its entry: its state after the commit. */
  const last = new Map<PartitionLog, { run: RunToCommit; entry: IndexEntry }>();
  const puts: TxnOp[] = [];
  for (const flush of flushes) {
    for (const run of flush.runs) {
      const entry = indexEntry(flush.objectKey, run);
      entries.set(run, entry);
      last.set(run.log, { run, entry });
      puts.push(indexPut(run, entry));
    }
    puts.push(objectRecordPut(flush.objectKey, flush.runs));
  }
  const checks: Compare[] = [];
  for (const { run, entry } of last.values()) {
    checks.push(...compares(run));
    puts.push(statePut(nodeId, run, entry));
  }
  try {
    const outcome = await store.txn(checks, puts);
    return outcome.succeeded
      ? { kind: 'committed', revision: outcome.revision, entries }
      : { kind: 'refused' };
  } catch (e) {
    return {
      kind: 'uncertain',
      reason: `commit outcome unknown: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
