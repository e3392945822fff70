/**
 * One partition owned by this storage node: its committed state (epoch, high watermark,
 * log start, index), the appends waiting for the next flush, and the fencing facts every
 * commit compares (docs/storage.md, "Write path and commit protocol").
 *
 * Offsets are assigned when a flush takes the pending appends (`takePending`), and only
 * become visible when that flush commits (`commit`). A failed flush rolls the next offset
 * back to the high watermark, so no consumer ever sees an offset that is later reused.
 */
import { readBatchHeader } from '../../../lib/kafka/record-batch/batch-header.js';
import {
  setBaseOffset,
  setPartitionLeaderEpoch,
} from '../../../lib/kafka/record-batch/rewrite-batch.js';
import type { IndexEntry } from '../../../lib/metadata/partition-records.js';
import type { PartitionRun } from '../flush/flush-object.js';
import { failure, type AppendOutcome, type PendingAppend } from './append-outcome.js';
import { lastSequence, ProducerStates, type BatchMeta, type RunBatch } from './producer-state.js';

/** The fencing facts of a claim: what every commit of this owner compares in etcd. */
export interface ClaimFacts {
  readonly epoch: number;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  /** Mod revision of the state key as this owner last wrote (or read) it. */
  readonly stateModRevision: number;
  /** Create revision of this owner's claim key. */
  readonly ownerCreateRevision: number;
}

/** Appends taken by a flush, with the offsets they were given. */
export interface TakenRun {
  readonly run: PartitionRun;
  readonly appends: readonly { readonly append: PendingAppend; readonly baseOffset: bigint }[];
  /** The idempotent producers' batches in the run, for their state and the index entry. */
  readonly producerBatches: readonly RunBatch[];
}

export class PartitionLog {
  readonly epoch: number;
  highWatermark: bigint;
  logStartOffset: bigint;
  stateModRevision: number;
  readonly ownerCreateRevision: number;
  /** Where this owner's epoch starts: the log end offset when it claimed the partition. */
  readonly epochStart: bigint;
  /** The next offset to assign; equals the high watermark when nothing is in flight. */
  nextOffset: bigint;
  /** Committed index entries, in offset order. */
  index: IndexEntry[];
  /** Idempotent producers' sequences: committed plus in flight. */
  readonly producers: ProducerStates;
  /** Told of every idempotent batch not written: a duplicate, or refused with an error. */
  onSequenceVerdict: ((verdict: 'duplicate' | 'refused', errorCode: number) => void) | undefined;
  private pending: PendingAppend[] = [];
  private pendingBytesCount = 0;
  private fencedReason: string | undefined;
  /** Set when the partition is being handed over: no new appends, pending ones still flush. */
  private closingForAppends = false;
  /** Runs taken by flushes and not yet committed or abandoned. */
  private runsInFlight = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly topicId: string,
    readonly partition: number,
    facts: ClaimFacts,
    index: IndexEntry[],
  ) {
    this.epoch = facts.epoch;
    this.highWatermark = facts.highWatermark;
    this.logStartOffset = facts.logStartOffset;
    this.stateModRevision = facts.stateModRevision;
    this.ownerCreateRevision = facts.ownerCreateRevision;
    this.nextOffset = facts.highWatermark;
    this.epochStart = facts.highWatermark;
    this.index = index;
    this.producers = ProducerStates.fromIndex(index);
  }

  get pendingBytes(): number {
    return this.pendingBytesCount;
  }

  get fenced(): string | undefined {
    return this.fencedReason;
  }

  /** True once closeForAppends was called: appends are refused, reads go on. */
  get closing(): boolean {
    return this.closingForAppends;
  }

  /** Starts a hand-over: what is pending or in flight still commits; nothing new comes in. */
  closeForAppends(): void {
    this.closingForAppends = true;
  }

  /** Resolves once nothing is pending or in flight, the partition is fenced, or the deadline passes. */
  async waitSettled(deadlineMs: number): Promise<void> {
    while (
      (this.pending.length > 0 || this.runsInFlight > 0) &&
      this.fencedReason === undefined &&
      Date.now() < deadlineMs
    ) {
      await this.waitForCommit(deadlineMs);
    }
  }

  enqueue(append: PendingAppend): void {
    this.pending.push(append);
    this.pendingBytesCount += append.bytes;
  }

  /**
   * Gives the pending appends their offsets and hands them to a flush, or undefined if none.
   * Idempotent batches are checked against their producer's sequence first: a duplicate is
   * answered with the first write's offsets (once that write is committed) and not written
   * again; an out-of-order or fenced batch fails its append.
   */
  takePending(): TakenRun | undefined {
    if (this.pending.length === 0 || this.fencedReason !== undefined) return undefined;
    const taken = this.pending;
    this.pending = [];
    this.pendingBytesCount = 0;
    const firstOffset = this.nextOffset;
    let maxTimestamp = -1n;
    const batches: Uint8Array[] = [];
    const appends: { append: PendingAppend; baseOffset: bigint }[] = [];
    const producerBatches: RunBatch[] = [];
    for (const append of taken) {
      if (!this.admitIdempotent(append)) continue;
      const baseOffset = this.nextOffset;
      for (const batch of append.batches) {
        const header = readBatchHeader(batch);
        setBaseOffset(batch, this.nextOffset);
        setPartitionLeaderEpoch(batch, this.epoch);
        const lastOffset = this.nextOffset + BigInt(header.lastOffsetDelta);
        if (header.producerId >= 0n) {
          const meta: BatchMeta = {
            firstSeq: header.baseSequence,
            lastSeq: lastSequence(header.baseSequence, header.lastOffsetDelta),
            baseOffset: this.nextOffset,
            lastOffset,
            maxTimestamp: header.maxTimestamp,
            committed: false,
            waiting: [],
          };
          this.producers.record(header.producerId, header.producerEpoch, meta);
          producerBatches.push({
            producerId: header.producerId,
            epoch: header.producerEpoch,
            meta,
          });
        }
        this.nextOffset = lastOffset + 1n;
        if (header.maxTimestamp > maxTimestamp) maxTimestamp = header.maxTimestamp;
        batches.push(batch);
      }
      appends.push({ append, baseOffset });
    }
    if (batches.length === 0) return undefined;
    this.runsInFlight++;
    return {
      run: {
        topicId: this.topicId,
        partition: this.partition,
        batches,
        firstOffset,
        lastOffset: this.nextOffset - 1n,
        maxTimestamp,
        epoch: this.epoch,
      },
      appends,
      producerBatches,
    };
  }

  /**
   * Whether an append goes into the log. Its first idempotent batch decides (Kafka's
   * produce requests carry one batch per partition): a duplicate settles the append with
   * the original's offsets, now or when the original commits; a refusal fails it.
   */
  private admitIdempotent(append: PendingAppend): boolean {
    const first = append.batches[0];
    if (first === undefined) return true;
    const header = readBatchHeader(first);
    if (header.producerId < 0n) return true;
    const verdict = this.producers.check(
      header.producerId,
      header.producerEpoch,
      header.baseSequence,
      lastSequence(header.baseSequence, header.lastOffsetDelta),
    );
    switch (verdict.kind) {
      case 'append':
        return true;
      case 'refused':
        this.onSequenceVerdict?.('refused', verdict.errorCode);
        append.settle(failure(verdict.errorCode, verdict.message));
        return false;
      case 'duplicate':
        this.onSequenceVerdict?.('duplicate', 0);
        if (verdict.of.committed) {
          append.settle({
            ok: true,
            errorCode: 0,
            baseOffset: verdict.of.baseOffset,
            logStartOffset: this.logStartOffset,
          });
        } else {
          verdict.of.waiting.push(append.settle);
        }
        return false;
    }
  }

  /** Records a committed run: the high watermark moves, appends succeed, waiting fetches wake. */
  commit(taken: TakenRun, entry: IndexEntry, stateModRevision: number): void {
    this.runsInFlight--;
    this.stateModRevision = stateModRevision;
    this.highWatermark = entry.lastOffset + 1n;
    this.index.push(entry);
    this.producers.committed(taken.producerBatches, this.logStartOffset);
    for (const { append, baseOffset } of taken.appends) {
      append.settle({ ok: true, errorCode: 0, baseOffset, logStartOffset: this.logStartOffset });
    }
    this.wake();
  }

  /** A flush carrying this partition failed: its appends fail and unassigned offsets are reused. */
  abandon(taken: TakenRun, outcome: AppendOutcome): void {
    this.runsInFlight--;
    for (const { append } of taken.appends) append.settle(outcome);
    this.producers.abandoned(taken.producerBatches, outcome);
    this.nextOffset = this.highWatermark;
    this.wake();
  }

  /** The partition is lost to this node: everything pending fails, reads stop. */
  fence(reason: string, outcome: AppendOutcome): void {
    if (this.fencedReason !== undefined) return;
    this.fencedReason = reason;
    for (const append of this.pending) append.settle(outcome);
    this.pending = [];
    this.pendingBytesCount = 0;
    this.wake();
  }

  /**
   * Puts a compacted segment's entry in place of the entries it merged (consecutive, the
   * first at the segment's base offset). False when the index no longer holds them.
   */
  replaceEntries(merged: readonly IndexEntry[], segment: IndexEntry): boolean {
    const at = this.index.findIndex((e) => e.baseOffset === segment.baseOffset);
    const same = merged.every((m, i) => this.index[at + i]?.objectKey === m.objectKey);
    if (at < 0 || !same) return false;
    this.index.splice(at, merged.length, segment);
    return true;
  }

  /** Forgets index entries wholly below `offset` (DeleteRecords moved the log start). */
  dropIndexBelow(offset: bigint): void {
    this.index = this.index.filter((e) => e.lastOffset >= offset);
  }

  /** Resolves when the high watermark moves, the partition is fenced, or the deadline passes. */
  waitForCommit(deadlineMs: number): Promise<void> {
    if (this.fencedReason !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, deadlineMs - Date.now()));
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
