/**
 * Group commit (docs/storage.md, steps 2-4): takes every owned partition's pending appends
 * into one object per flush. When no flush is in flight, pending appends go out at once (on
 * the next turn of the event loop, so that appends arriving together share the object);
 * while flushes are in flight, another starts once `pipelineBytes` are pending (so a steady
 * stream of produce requests keeps several uploads going, and its latency is one PUT and
 * commit, not several); smaller amounts wait for a flush to finish or for the pacing's wait
 * counted from the start of the last flush (flush-pacing.ts: fixed, or a share of the
 * measured flush latency between `minFlushIntervalMs` and `flushIntervalMs`). Light load
 * thus pays no flush window, and many small appends (many partitions) still share objects.
 * `flushBytes` pending always flush at once. Up to `maxInflightFlushes` objects upload at
 * once; commits apply strictly in flush order (uploads that finished together may share one
 * transaction, commit-together.ts), so a partition's runs commit in offset order. A PUT
 * slower than most is hedged (hedged-put.ts). A failed upload or commit fails exactly the
 * appends its object carried, and every later run of the same partitions (numbered after
 * it), then lets the partitions reuse those offsets.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import { failure } from '../partition/append-outcome.js';
import type { PartitionLog, TakenRun } from '../partition/partition-log.js';
import { commitRuns, type RunToCommit } from './commit-runs.js';
import { FLUSH_OBJECT_PREFIX, layoutFlushObject } from './flush-object.js';
import {
  DEFAULT_HEDGE,
  HedgedPuts,
  type HedgeSettings,
  type HedgedPutResult,
} from './hedged-put.js';
import { FlushPacing } from './flush-pacing.js';
import { commitTogether, fitsOneTransaction } from './commit-together.js';

export interface FlusherOptions {
  readonly nodeId: string;
  readonly metadata: MetadataStore;
  readonly objects: ObjectStore;
  /** The longest pending appends wait while flushes are in flight. */
  readonly flushIntervalMs: number;
  /** The shortest such wait (default flushIntervalMs: a fixed wait). */
  readonly minFlushIntervalMs?: number;
  readonly flushBytes: number;
  /** Pending bytes that start another flush while flushes are in flight. */
  readonly pipelineBytes: number;
  readonly maxInflightFlushes: number;
  /** When a slow PUT is hedged (default DEFAULT_HEDGE). */
  readonly hedge?: HedgeSettings;
  /** The partitions this node owns now. */
  readonly partitions: () => Iterable<PartitionLog>;
  /** Called for a partition this node must give up (fenced or commit outcome unknown). */
  readonly dropPartition: (log: PartitionLog, reason: string) => void;
  readonly onFlush?: (event: FlushEvent) => void;
  /** Called for each committed run, with the batches the object holds at `start`. */
  readonly onRunCommitted?: (
    objectKey: string,
    start: number,
    batches: readonly Uint8Array[],
  ) => void;
}

export interface FlushEvent {
  readonly objectKey: string;
  readonly bytes: number;
  readonly partitions: number;
  readonly putMs: number;
  readonly outcome: 'committed' | 'put-failed' | 'partial';
  /** Whether the PUT was hedged (hedged-put.ts), and whether the hedge won. */
  readonly hedge: HedgedPutResult['hedge'];
  /** Time from the start of this node's previous flush to this one's (absent for the first). */
  readonly sincePreviousStartMs?: number;
  /** Flushes committed in the same etcd transaction, this one included (1: alone). */
  readonly committedTogether: number;
}

/** A flush's runs still to commit (not failed or given up). */
const liveRuns = (record: FlushRecord): (RunToCommit & { abandoned: boolean })[] =>
  record.runs.filter((r) => !r.abandoned);

interface FlushRecord {
  /** The object's key; a hedge that wins replaces it before the commit. */
  objectKey: string;
  hedge: HedgedPutResult['hedge'];
  readonly runs: (RunToCommit & { abandoned: boolean })[];
  readonly size: number;
  status: 'uploading' | 'uploaded' | 'put-failed';
  putError?: string;
  putMs: number;
  /** performance.now() when the flush started. */
  readonly startedAt: number;
  readonly sincePreviousStartMs: number | undefined;
}

export class Flusher {
  private readonly queue: FlushRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private committing = false;
  private pendingBytes = 0;
  private seq = 0;
  private stopped = false;
  /** performance.now() when the last flush started. */
  private lastStartedAt: number | undefined;
  private readonly puts: HedgedPuts;
  private readonly pacing: FlushPacing;

  constructor(private readonly o: FlusherOptions) {
    this.puts = new HedgedPuts(o.objects, o.hedge ?? DEFAULT_HEDGE);
    this.pacing = new FlushPacing({
      minMs: o.minFlushIntervalMs ?? o.flushIntervalMs,
      maxMs: o.flushIntervalMs,
      slots: o.maxInflightFlushes,
    });
  }

  /** Tells the flusher that `bytes` more are pending; starts the flush window or flushes. */
  notifyPending(bytes: number): void {
    this.pendingBytes += bytes;
    if (this.pendingBytes >= this.o.flushBytes) {
      this.flushNow();
      return;
    }
    // With every slot taken, the next finished flush starts one (drain).
    if (this.queue.length >= this.o.maxInflightFlushes) return;
    const waitLeft = this.waitLeftMs();
    if (this.queue.length === 0 || this.pendingBytes >= this.o.pipelineBytes || waitLeft <= 0)
      this.immediate ??= setImmediate(() => {
        this.flushNow();
      });
    else
      this.timer ??= setTimeout(() => {
        this.flushNow();
      }, waitLeft);
  }

  /**
   * What is left of the pacing's wait, counted from the start of the last flush: appends
   * that arrive longer than the wait after it go out at once when a slot is free (a
   * produce request that came alone does not wait a whole interval behind an upload in
   * flight), and flushes still start at most one per wait while others are in flight.
   */
  private waitLeftMs(): number {
    const since =
      this.lastStartedAt === undefined ? Infinity : performance.now() - this.lastStartedAt;
    return Math.max(0, this.pacing.waitMs() - since);
  }

  get inflight(): number {
    return this.queue.length;
  }

  /** How long pending appends now wait while flushes are in flight (flush-pacing.ts), in ms. */
  get waitMs(): number {
    return this.pacing.waitMs();
  }

  stop(): void {
    this.stopped = true;
    this.clearWaits();
  }

  private clearWaits(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Bytes appended since the last flush started. */
  get pending(): number {
    return this.pendingBytes;
  }

  /** Starts a flush if a slot is free; otherwise the next finished flush starts it. */
  flushNow(): void {
    this.clearWaits();
    if (this.stopped || this.queue.length >= this.o.maxInflightFlushes) return;
    const runs: (RunToCommit & { abandoned: boolean })[] = [];
    const taken: { log: PartitionLog; taken: TakenRun }[] = [];
    for (const log of this.o.partitions()) {
      const t = log.takePending();
      if (t) taken.push({ log, taken: t });
    }
    this.pendingBytes = 0;
    if (taken.length === 0) return;
    const objectKey = `${FLUSH_OBJECT_PREFIX}${this.o.nodeId}/${Date.now().toString().padStart(14, '0')}-${(this.seq++).toString().padStart(8, '0')}-${Math.random().toString(36).slice(2, 10)}.kfs`;
    const object = layoutFlushObject(
      this.o.nodeId,
      taken.map((t) => t.taken.run),
    );
    object.placed.forEach((placed, i) => {
      const t = taken[i];
      if (t) runs.push({ log: t.log, taken: t.taken, placed, abandoned: false });
    });
    const started = performance.now();
    const record: FlushRecord = {
      objectKey,
      runs,
      size: object.size,
      status: 'uploading',
      putMs: 0,
      startedAt: started,
      hedge: 'none',
      sincePreviousStartMs:
        this.lastStartedAt === undefined ? undefined : started - this.lastStartedAt,
    };
    this.lastStartedAt = started;
    this.queue.push(record);
    this.puts
      .put(objectKey, objectKey.replace(/\.kfs$/, '-h.kfs'), object.chunks, { ifNoneMatch: true })
      .then(
        (result) => {
          record.objectKey = result.key;
          record.hedge = result.hedge;
          record.status = 'uploaded';
        },
        (e: unknown) => {
          record.status = 'put-failed';
          record.putError = e instanceof Error ? e.message : String(e);
        },
      )
      .finally(() => {
        record.putMs = performance.now() - started;
        void this.drain();
      });
  }

  /**
   * Commits finished uploads in flush order: several that finished while a commit ran go
   * in one transaction when they fit (commit-together.ts), the others one at a time.
   */
  private async drain(): Promise<void> {
    if (this.committing) return;
    this.committing = true;
    try {
      for (
        let head = this.queue[0];
        head !== undefined && head.status !== 'uploading';
        head = this.queue[0]
      ) {
        const together = await this.finishTogether();
        if (together > 0) {
          this.queue.splice(0, together);
          continue;
        }
        await this.finish(head);
        this.queue.shift();
      }
    } finally {
      this.committing = false;
    }
    // A slot freed up: flush what accumulated meanwhile.
    if (this.pendingBytes > 0 && this.queue.length < this.o.maxInflightFlushes) this.flushNow();
  }

  /** Fails the runs of partitions given up meanwhile: this node does not commit them any more. */
  private dropGivenUp(record: FlushRecord): void {
    for (const r of record.runs) {
      if (!r.abandoned && r.log.fenced !== undefined) {
        r.abandoned = true;
        r.log.abandon(
          r.taken,
          failure(KafkaError.NOT_LEADER_OR_FOLLOWER, `partition given up: ${r.log.fenced}`),
        );
      }
    }
  }

  /**
   * Commits the uploaded flushes at the head of the queue in one transaction, when there
   * are at least two, each with runs to commit, and they fit. Returns how many it settled
   * (0: none; the caller commits the head alone, as after a refused transaction).
   */
  private async finishTogether(): Promise<number> {
    const ready: FlushRecord[] = [];
    for (const record of this.queue) {
      if (record.status !== 'uploaded') break;
      this.dropGivenUp(record);
      if (liveRuns(record).length === 0) break;
      const next = [...ready, record];
      if (!fitsOneTransaction(next.map((f) => ({ objectKey: f.objectKey, runs: liveRuns(f) }))))
        break;
      ready.push(record);
    }
    if (ready.length < 2) return 0;
    const outcome = await commitTogether(
      this.o.metadata,
      this.o.nodeId,
      ready.map((f) => ({ objectKey: f.objectKey, runs: liveRuns(f) })),
    );
    if (outcome.kind === 'refused') return 0;
    if (outcome.kind === 'committed') {
      for (const record of ready) {
        for (const r of liveRuns(record)) {
          const entry = outcome.entries.get(r);
          if (entry === undefined) throw new Error('a run missing from its own commit');
          r.log.commit(r.taken, entry, outcome.revision);
          this.o.onRunCommitted?.(record.objectKey, r.placed.start, r.taken.run.batches);
        }
        this.pacing.flushed(performance.now() - record.startedAt);
        this.report(record, 'committed', ready.length);
      }
      return ready.length;
    }
    // Uncertain: the partitions are dropped, as after an uncertain commit of one flush; the
    // next claim reads what etcd really holds.
    const failed = failure(KafkaError.REQUEST_TIMED_OUT, outcome.reason);
    const dropped = new Set<PartitionLog>();
    for (const record of ready) {
      for (const r of liveRuns(record)) {
        this.abandonFrom(record, r, failed);
        if (!dropped.has(r.log)) {
          dropped.add(r.log);
          this.o.dropPartition(r.log, outcome.reason);
        }
      }
      this.report(record, 'partial');
    }
    return ready.length;
  }

  private async finish(record: FlushRecord): Promise<void> {
    this.dropGivenUp(record);
    const live = liveRuns(record);
    if (record.status === 'put-failed') {
      const outcome = failure(
        KafkaError.KAFKA_STORAGE_ERROR,
        `object upload failed: ${record.putError ?? ''}`,
      );
      for (const r of live) this.abandonFrom(record, r, outcome);
      this.report(record, 'put-failed');
      return;
    }
    const results = await commitRuns(this.o.metadata, this.o.nodeId, record.objectKey, live);
    let all = true;
    for (const r of live) {
      const result = results.get(r);
      if (result?.kind === 'committed') {
        r.log.commit(r.taken, result.entry, result.revision);
        this.o.onRunCommitted?.(record.objectKey, r.placed.start, r.taken.run.batches);
        continue;
      }
      all = false;
      const reason = result?.reason ?? 'not committed';
      const outcome = failure(
        result?.kind === 'fenced'
          ? KafkaError.NOT_LEADER_OR_FOLLOWER
          : KafkaError.REQUEST_TIMED_OUT,
        reason,
      );
      this.abandonFrom(record, r, outcome);
      this.o.dropPartition(r.log, reason);
    }
    if (all) this.pacing.flushed(performance.now() - record.startedAt);
    this.report(record, all ? 'committed' : 'partial');
  }

  /** Fails a run and every later in-flight run of its partition (their offsets follow it). */
  private abandonFrom(
    record: FlushRecord,
    run: RunToCommit & { abandoned: boolean },
    outcome: ReturnType<typeof failure>,
  ): void {
    const later = this.queue.slice(this.queue.indexOf(record) + 1);
    for (const other of [
      run,
      ...later.flatMap((f) => f.runs.filter((x) => x.log === run.log && !x.abandoned)),
    ]) {
      other.abandoned = true;
      other.log.abandon(other.taken, outcome);
    }
  }

  private report(record: FlushRecord, outcome: FlushEvent['outcome'], together = 1): void {
    this.o.onFlush?.({
      committedTogether: together,
      objectKey: record.objectKey,
      bytes: record.size,
      partitions: record.runs.length,
      putMs: record.putMs,
      outcome,
      hedge: record.hedge,
      ...(record.sincePreviousStartMs === undefined
        ? {}
        : { sincePreviousStartMs: record.sincePreviousStartMs }),
    });
  }
}
