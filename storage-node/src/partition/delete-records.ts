/**
 * DeleteRecords for one owned partition: moves the log start offset forward and deletes
 * the index entries that lie wholly below it, in transactions that compare this owner's
 * claim (a stale owner changes nothing). The new start goes to `part/<t>/<p>/start`, not
 * to `state`, so the flush commits' compare-and-swap on `state` is never disturbed; the
 * next commit copies it into `state` as well. The answer names the objects whose runs it
 * deleted, for the object collector (lifecycle/object-collector.ts).
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { encodeLogStart } from '../../../lib/metadata/partition-records.js';
import { MAX_TXN_OPS, type MetadataStore, type TxnOp } from '../../../lib/stores/metadata-store.js';
import type { PartitionLog } from './partition-log.js';

/** DeleteRecords' "up to the high watermark". */
export const TO_HIGH_WATERMARK = -1n;

export interface DeleteRecordsAnswer {
  readonly errorCode: number;
  /** The log start offset after the call, or -1 on error. */
  readonly lowWatermark: bigint;
  readonly message?: string;
  /** Objects that held a run whose index entry this call deleted. */
  readonly releasedObjects?: readonly string[];
}

export async function deleteRecordsBefore(
  store: MetadataStore,
  log: PartitionLog,
  requested: bigint,
): Promise<DeleteRecordsAnswer> {
  const offset = requested === TO_HIGH_WATERMARK ? log.highWatermark : requested;
  if (offset < 0n || offset > log.highWatermark) {
    return {
      errorCode: KafkaError.OFFSET_OUT_OF_RANGE,
      lowWatermark: -1n,
      message: `offset ${requested} is outside [0, ${log.highWatermark}]`,
    };
  }
  if (offset <= log.logStartOffset) return { errorCode: 0, lowWatermark: log.logStartOffset };
  const owner = {
    key: keys.partitionOwner(log.topicId, log.partition),
    target: 'createRevision' as const,
    op: '=' as const,
    value: log.ownerCreateRevision,
  };
  const first = await store.txn(
    [owner],
    [
      {
        type: 'put',
        key: keys.partitionLogStart(log.topicId, log.partition),
        value: encodeLogStart({ logStartOffset: offset, epoch: log.epoch }),
      },
    ],
  );
  if (!first.succeeded) {
    return {
      errorCode: KafkaError.NOT_LEADER_OR_FOLLOWER,
      lowWatermark: -1n,
      message: 'this node no longer owns the partition',
    };
  }
  if (offset > log.logStartOffset) log.logStartOffset = offset;
  // Index entries wholly below the new start: never read again.
  const doomed = log.index.filter((e) => e.lastOffset < offset);
  const deletes: TxnOp[] = doomed.map((e) => ({
    type: 'delete',
    key: keys.indexEntry(log.topicId, log.partition, e.baseOffset),
  }));
  let deleted = 0;
  for (let i = 0; i < deletes.length; i += MAX_TXN_OPS) {
    const done = await store.txn([owner], deletes.slice(i, i + MAX_TXN_OPS));
    if (!done.succeeded) break;
    deleted = Math.min(deletes.length, i + MAX_TXN_OPS);
  }
  log.dropIndexBelow(offset);
  const releasedObjects = [...new Set(doomed.slice(0, deleted).map((e) => e.objectKey))];
  return { errorCode: 0, lowWatermark: log.logStartOffset, releasedObjects };
}
