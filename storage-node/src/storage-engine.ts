/**
 * A storage node's engine: the partitions it owns, their appends, group commit and reads.
 * The gRPC service is a thin translation over it; tests drive it directly with in-process
 * stores or with real etcd and MinIO.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaError } from '../../lib/kafka/error-codes.js';
import { RecordBatchError } from '../../lib/kafka/record-batch/batch-errors.js';
import { stampLogAppendTime } from '../../lib/kafka/record-batch/stamp-log-append-time.js';
import { validateProduceRecords } from '../../lib/kafka/record-batch/validate-produce-records.js';
import { keys } from '../../lib/metadata/keys.js';
import type { IndexEntry } from '../../lib/metadata/partition-records.js';
import { encodeNodeRecord, type NodeRegistration } from '../../lib/metadata/topic-records.js';
import type { Lease, MetadataStore } from '../../lib/stores/metadata-store.js';
import { ObjectNotFoundError, type ObjectStore } from '../../lib/stores/object-store.js';
import type { HedgeSettings } from './flush/hedged-put.js';
import { Flusher, type FlushEvent } from './flush/flusher.js';
import { failure, type AppendOutcome } from './partition/append-outcome.js';
import { compactEntries, type CompactOutcome } from './lifecycle/compact-entries.js';
import { compactionWindow, type CompactionSettings } from './lifecycle/compaction-plan.js';
import { claimPartition, type ClaimResult } from './partition/claim-partition.js';
import type { PartitionLog } from './partition/partition-log.js';
import type { ProducerStates } from './partition/producer-state.js';
import { epochEnd, epochStarts, type EpochEndAnswer } from './read/epoch-end.js';
import { deleteRecordsBefore, type DeleteRecordsAnswer } from './partition/delete-records.js';
import { listOffset, type OffsetAnswer, type OffsetSource } from './read/list-offsets.js';
import {
  cacheEntry,
  forgetEntry,
  prefetch,
  readAheadOfFetch,
  readBatches,
} from './read/read-partition.js';
import { RecentRuns, type CacheReadTotals } from './read/recent-runs.js';
import { ReplicaIndexes, type ReplicaSnapshot } from './read/replica-index.js';

export interface StorageEngineOptions {
  readonly nodeId: string;
  readonly metadata: MetadataStore;
  readonly objects: ObjectStore;
  /** The longest pending appends wait while flushes are in flight. */
  readonly flushIntervalMs: number;
  /** The shortest such wait (default flushIntervalMs: fixed); see flush/flush-pacing.ts. */
  readonly minFlushIntervalMs?: number;
  readonly flushBytes: number;
  /** Pending bytes that start another flush while flushes are in flight (default 1 MiB). */
  readonly flushPipelineBytes?: number;
  readonly maxInflightFlushes: number;
  /** When a flush PUT is hedged (default DEFAULT_HEDGE). */
  readonly hedge?: HedgeSettings;
  /** Bytes of appends waiting for a flush or in flight before new appends are refused. */
  readonly maxBufferedBytes: number;
  /**
   * How long a released partition's pending and in-flight appends may take to commit
   * before they fail with NOT_LEADER_OR_FOLLOWER (default 5,000 ms).
   */
  readonly releaseSettleMs?: number;
  readonly leaseTtlSeconds: number;
  readonly recentRunsBytes: number;
  /** Pieces (flush runs or segment pieces) loaded ahead of a sequential reader; 0: none. */
  readonly readAheadPieces?: number;
  readonly onFlush?: (event: FlushEvent) => void;
  /** Called for each idempotent batch answered as a duplicate or refused (error code). */
  readonly onSequenceVerdict?: (verdict: 'duplicate' | 'refused', errorCode: number) => void;
  /** Told of the objects that held runs DeleteRecords or retention just deleted. */
  readonly onRunsDeleted?: (objectKeys: readonly string[]) => void;
}

export interface PartitionRef {
  readonly topicId: string;
  readonly partition: number;
}

export interface AppendPart extends PartitionRef {
  readonly records: Uint8Array;
  /** The topic's max.message.bytes: larger batches get MESSAGE_TOO_LARGE. None: no limit. */
  readonly maxBatchBytes?: number;
  /** The topic keeps LogAppendTime: batches are stamped with this node's clock. */
  readonly logAppendTime?: boolean;
}

export interface FetchPart extends PartitionRef {
  readonly offset: bigint;
  readonly maxBytes: number;
}

export interface FetchOptions {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
}

export interface FetchResult {
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  readonly batches: Uint8Array[];
}

/**
 * Reads of partitions this node does not own: how long a snapshot of a partition's index
 * serves reads below its high watermark, how many partitions keep one, and how often a
 * reader waiting at the high watermark looks again (each look is one etcd list).
 */
const REPLICA_SNAPSHOT_MAX_AGE_MS = 5_000;
const REPLICA_SNAPSHOT_PARTITIONS = 1024;
const REPLICA_POLL_MS = 250;
/** How long a released partition's pending and in-flight appends may take to commit. */
const DEFAULT_RELEASE_SETTLE_MS = 5_000;

function snapshotSource(snap: ReplicaSnapshot): OffsetSource {
  return { ...snap, index: snap.entries };
}

/** KAFSCALE_FLUSH_PIPELINE_BYTES's default. */
export const DEFAULT_FLUSH_PIPELINE_BYTES = 1024 * 1024;

const partitionKey = (topicId: string, partition: number) => `${topicId}/${partition}`;

export class StorageEngine {
  private readonly owned = new Map<string, PartitionLog>();
  /** The index-changing task (DeleteRecords, retention, compaction) in progress per partition. */
  private readonly exclusiveTasks = new Map<PartitionLog, Promise<void>>();
  private readonly flusher: Flusher;
  private readonly recent: RecentRuns;
  private readonly replicas: ReplicaIndexes;
  private buffered = 0;
  private registration: NodeRegistration | undefined;
  private stopped = false;
  private readonly renewedListeners: (() => void)[] = [];

  private constructor(
    private readonly o: StorageEngineOptions,
    private lease: Lease,
  ) {
    this.recent = new RecentRuns(o.recentRunsBytes);
    this.replicas = new ReplicaIndexes(o.metadata, {
      maxAgeMs: REPLICA_SNAPSHOT_MAX_AGE_MS,
      maxPartitions: REPLICA_SNAPSHOT_PARTITIONS,
    });
    this.flusher = new Flusher({
      nodeId: o.nodeId,
      metadata: o.metadata,
      objects: o.objects,
      flushIntervalMs: o.flushIntervalMs,
      ...(o.minFlushIntervalMs === undefined ? {} : { minFlushIntervalMs: o.minFlushIntervalMs }),
      flushBytes: o.flushBytes,
      pipelineBytes: o.flushPipelineBytes ?? DEFAULT_FLUSH_PIPELINE_BYTES,
      maxInflightFlushes: o.maxInflightFlushes,
      ...(o.hedge === undefined ? {} : { hedge: o.hedge }),
      partitions: () => this.owned.values(),
      dropPartition: (log, reason) => {
        this.drop(log, reason);
      },
      onRunCommitted: (objectKey, start, batches) => {
        const length = batches.reduce((n, b) => n + b.length, 0);
        this.recent.put(RecentRuns.key(objectKey, start, length), batches);
      },
      ...(o.onFlush ? { onFlush: o.onFlush } : {}),
    });
    this.watchLease(lease);
  }

  /**
   * A lost lease (etcd unreachable past the TTL, or this process frozen) costs every
   * partition: another node may own them now. The node then takes a new lease, registers
   * again and tells its listeners (the assignment follower claims afresh).
   */
  private watchLease(lease: Lease): void {
    lease.onLost(() => {
      for (const log of [...this.owned.values()]) this.drop(log, 'node lease lost');
      void this.renewLease();
    });
  }

  private async renewLease(): Promise<void> {
    while (!this.stopped) {
      try {
        const lease = await this.o.metadata.grantLease(this.o.leaseTtlSeconds);
        this.lease = lease;
        this.watchLease(lease);
        if (this.registration) await this.register(this.registration);
        for (const listener of this.renewedListeners) listener();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Called after the node lost its lease and took a new one. */
  onLeaseRenewed(listener: () => void): void {
    this.renewedListeners.push(listener);
  }

  static async start(options: StorageEngineOptions): Promise<StorageEngine> {
    const lease = await options.metadata.grantLease(options.leaseTtlSeconds);
    return new StorageEngine(options, lease);
  }

  get nodeId(): string {
    return this.o.nodeId;
  }

  /** Publishes this node's address under its lease (`nodes/storage/<id>`). */
  async register(registration: NodeRegistration): Promise<void> {
    this.registration = registration;
    await this.o.metadata.txn(
      [],
      [
        {
          type: 'put',
          key: keys.storageNode(this.o.nodeId),
          value: encodeNodeRecord({
            id: this.o.nodeId,
            ...registration,
            startedAtMs: Date.now(),
          }),
          lease: this.lease.id,
        },
      ],
    );
  }

  /** Bytes of appends accepted and not yet settled (pending or in flight to the store). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** How long pending appends now wait while flushes are in flight (flush/flush-pacing.ts). */
  get flushWaitMs(): number {
    return this.flusher.waitMs;
  }

  /** The logs of the partitions this node owns now (for retention). */
  ownedLogs(): readonly PartitionLog[] {
    return [...this.owned.values()].filter((l) => l.fenced === undefined);
  }

  /** Partitions this node owns now. */
  ownedPartitions(): PartitionRef[] {
    return [...this.owned.values()].map((l) => ({ topicId: l.topicId, partition: l.partition }));
  }

  /**
   * Gives a partition up gracefully: new appends are refused with NOT_LEADER_OR_FOLLOWER
   * (clients retry on the next owner), what is pending is flushed now and what is in flight
   * commits (up to releaseSettleMs; after that the rest fails with NOT_LEADER_OR_FOLLOWER),
   * then the claim is deleted (only if it is still ours) so the next owner can take it.
   */
  async release(topicId: string, partition: number): Promise<void> {
    const log = this.owned.get(partitionKey(topicId, partition));
    if (log === undefined) return;
    if (log.fenced === undefined) {
      log.closeForAppends();
      if (log.pendingBytes > 0) this.flusher.flushNow();
      await log.waitSettled(Date.now() + (this.o.releaseSettleMs ?? DEFAULT_RELEASE_SETTLE_MS));
    }
    this.drop(log, 'partition reassigned');
    const ownerKey = keys.partitionOwner(topicId, partition);
    await this.o.metadata.txn(
      [{ key: ownerKey, target: 'createRevision', op: '=', value: log.ownerCreateRevision }],
      [{ type: 'delete', key: ownerKey }],
    );
  }

  /** Takes ownership of a partition if no one holds it. */
  async claim(topicId: string, partition: number): Promise<ClaimResult> {
    const existing = this.owned.get(partitionKey(topicId, partition));
    if (existing && existing.fenced === undefined) return { kind: 'claimed', log: existing };
    const result = await claimPartition(
      this.o.metadata,
      this.o.nodeId,
      this.lease,
      topicId,
      partition,
    );
    if (result.kind === 'claimed') {
      result.log.onSequenceVerdict = this.o.onSequenceVerdict;
      this.owned.set(partitionKey(topicId, partition), result.log);
    }
    return result;
  }

  owner(topicId: string, partition: number): PartitionLog | undefined {
    const log = this.owned.get(partitionKey(topicId, partition));
    return log?.fenced === undefined ? log : undefined;
  }

  /** Validates and queues each part; resolves per part once its batches are committed. */
  append(parts: readonly AppendPart[]): Promise<AppendOutcome[]> {
    return Promise.all(parts.map((p) => this.appendOne(p)));
  }

  private appendOne(part: AppendPart): Promise<AppendOutcome> {
    const log = this.owner(part.topicId, part.partition);
    if (log === undefined) {
      return Promise.resolve(
        failure(
          KafkaError.NOT_LEADER_OR_FOLLOWER,
          `this node does not own ${part.topicId}/${part.partition}`,
        ),
      );
    }
    if (log.closing) {
      return Promise.resolve(
        failure(
          KafkaError.NOT_LEADER_OR_FOLLOWER,
          `${part.topicId}/${part.partition} is moving to another storage node`,
        ),
      );
    }
    let batches;
    try {
      batches = validateProduceRecords(
        part.records,
        part.maxBatchBytes === undefined ? {} : { maxBatchBytes: part.maxBatchBytes },
      ).map((b) => b.view);
    } catch (e) {
      if (e instanceof RecordBatchError) return Promise.resolve(failure(e.errorCode, e.message));
      throw e;
    }
    const logAppendTimeMs = part.logAppendTime === true ? BigInt(Date.now()) : -1n;
    if (logAppendTimeMs >= 0n) for (const b of batches) stampLogAppendTime(b, logAppendTimeMs);
    const bytes = part.records.length;
    if (this.buffered + bytes > this.o.maxBufferedBytes) {
      return Promise.resolve(
        failure(KafkaError.REQUEST_TIMED_OUT, 'storage node is at its buffered-bytes limit; retry'),
      );
    }
    this.buffered += bytes;
    return new Promise<AppendOutcome>((resolve) => {
      log.enqueue({
        batches,
        bytes,
        settle: (outcome) => {
          this.buffered -= bytes;
          resolve(outcome.ok && logAppendTimeMs >= 0n ? { ...outcome, logAppendTimeMs } : outcome);
        },
      });
      this.flusher.notifyPending(bytes);
    });
  }

  /** Reads every part; waits up to maxWaitMs (one deadline) until minBytes are available. */
  async fetch(parts: readonly FetchPart[], options: FetchOptions): Promise<FetchResult[]> {
    const deadline = Date.now() + options.maxWaitMs;
    for (;;) {
      // Partitions in request order share the request's byte budget; only the first batch
      // of the first partition with data may exceed it (KIP-74).
      const results: FetchResult[] = [];
      let budget = options.maxBytes;
      // The partitions are read one after another for the shared budget; their GETs start
      // together here, so a cold fetch of many partitions waits about one S3 round trip.
      for (const p of parts) {
        const log = this.owner(p.topicId, p.partition);
        if (log !== undefined && p.offset >= log.logStartOffset && p.offset < log.highWatermark)
          prefetch(log.index, p.offset, Math.min(p.maxBytes, budget), this.o.objects, this.recent);
      }
      for (const p of parts) {
        const r = await this.fetchOne(p, Math.min(p.maxBytes, budget), budget === options.maxBytes);
        budget -= r.batches.reduce((m, b) => m + b.length, 0);
        results.push(r);
      }
      const bytes = results.reduce((n, r) => n + r.batches.reduce((m, b) => m + b.length, 0), 0);
      const anyError = results.some((r) => r.errorCode !== 0);
      if (bytes >= Math.max(1, options.minBytes) || anyError || Date.now() >= deadline)
        return results;
      const logs = parts.map((p) => this.owner(p.topicId, p.partition));
      const waits = logs.filter((l) => l !== undefined).map((l) => l.waitForCommit(deadline));
      // Partitions read from etcd snapshots have no commit to wait for: look again soon.
      if (waits.length < logs.length)
        waits.push(sleep(Math.max(0, Math.min(REPLICA_POLL_MS, deadline - Date.now()))));
      await Promise.race(waits);
    }
  }

  private async fetchOne(
    part: FetchPart,
    maxBytes: number,
    atLeastOne: boolean,
  ): Promise<FetchResult> {
    const log = this.owner(part.topicId, part.partition);
    if (log === undefined) return this.fetchCommitted(part, maxBytes, atLeastOne);
    try {
      return await this.readIndexed(log.index, log, part, maxBytes, atLeastOne);
    } catch (e) {
      if (!(e instanceof ObjectNotFoundError)) throw e;
      // Retention or DeleteRecords moved the log start past the offset while this read was
      // on its way, and the collector deleted the object: as Kafka, out of range.
      if (part.offset < log.logStartOffset)
        return {
          highWatermark: log.highWatermark,
          logStartOffset: log.logStartOffset,
          errorCode: KafkaError.OFFSET_OUT_OF_RANGE,
          batches: [],
        };
      throw e;
    }
  }

  /**
   * A read of a partition this node does not own: committed data only, from a snapshot of
   * the partition's index in etcd (read/replica-index.ts), through the same cache and
   * read-ahead as the owner's reads. An object gone meanwhile (retention, DeleteRecords,
   * compaction) means the snapshot is stale: one fresh snapshot, one more try.
   */
  private async fetchCommitted(
    part: FetchPart,
    maxBytes: number,
    atLeastOne: boolean,
  ): Promise<FetchResult> {
    for (let attempt = 1; ; attempt++) {
      const snap = await this.replicas.snapshot(part.topicId, part.partition, part.offset);
      try {
        return await this.readIndexed(snap.entries, snap, part, maxBytes, atLeastOne);
      } catch (e) {
        if (!(e instanceof ObjectNotFoundError) || attempt > 1) throw e;
        this.replicas.invalidate(part.topicId, part.partition);
      }
    }
  }

  /** One partition's read from `entries` within `bounds`; starts read-ahead after data. */
  private async readIndexed(
    entries: readonly IndexEntry[],
    bounds: { readonly highWatermark: bigint; readonly logStartOffset: bigint },
    part: FetchPart,
    maxBytes: number,
    atLeastOne: boolean,
  ): Promise<FetchResult> {
    const base = { highWatermark: bounds.highWatermark, logStartOffset: bounds.logStartOffset };
    if (part.offset < base.logStartOffset || part.offset > base.highWatermark)
      return { ...base, errorCode: KafkaError.OFFSET_OUT_OF_RANGE, batches: [] };
    if (part.offset === base.highWatermark) return { ...base, errorCode: 0, batches: [] };
    const { batches, next } = await readBatches(
      entries,
      part.offset,
      maxBytes,
      this.o.objects,
      this.recent,
      atLeastOne,
    );
    const ahead = this.o.readAheadPieces ?? 0;
    if (ahead > 0 && batches.length > 0)
      readAheadOfFetch(entries, next, ahead, maxBytes, this.o.objects, this.recent);
    return { ...base, errorCode: 0, batches };
  }

  /** ListOffsets: -2 earliest, -1 latest, -3 max timestamp, else the first offset at or after a timestamp. */
  async listOffsets(
    parts: readonly (PartitionRef & { readonly timestamp: bigint })[],
  ): Promise<({ readonly errorCode: number } & OffsetAnswer)[]> {
    return Promise.all(
      parts.map(async (p) => {
        // Not owned here: from a fresh snapshot of the partition's index in etcd.
        const source: OffsetSource =
          this.owner(p.topicId, p.partition) ??
          snapshotSource(await this.replicas.fresh(p.topicId, p.partition));
        return {
          errorCode: 0,
          ...(await listOffset(source, p.timestamp, this.o.objects, this.recent)),
        };
      }),
    );
  }

  /**
   * OffsetForLeaderEpoch: where `leaderEpoch` ended in each owned partition. A client's
   * current epoch older than the owner's is FENCED_LEADER_EPOCH, a newer one
   * UNKNOWN_LEADER_EPOCH (it knows of an owner this node has not become).
   */
  offsetForLeaderEpoch(
    parts: readonly (PartitionRef & {
      readonly currentLeaderEpoch: number;
      readonly leaderEpoch: number;
    })[],
  ): ({ readonly errorCode: number } & EpochEndAnswer)[] {
    return parts.map((p) => {
      const log = this.owner(p.topicId, p.partition);
      if (log === undefined)
        return { errorCode: KafkaError.NOT_LEADER_OR_FOLLOWER, leaderEpoch: -1, endOffset: -1n };
      if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch < log.epoch)
        return { errorCode: KafkaError.FENCED_LEADER_EPOCH, leaderEpoch: -1, endOffset: -1n };
      if (p.currentLeaderEpoch > log.epoch)
        return { errorCode: KafkaError.UNKNOWN_LEADER_EPOCH, leaderEpoch: -1, endOffset: -1n };
      const starts = epochStarts(log.index, log.epoch, log.epochStart);
      return { errorCode: 0, ...epochEnd(starts, p.leaderEpoch, log.highWatermark) };
    });
  }

  /**
   * DeleteRecords: moves each owned partition's log start offset. Calls for one partition
   * run one after another (the owner is its only writer).
   */
  deleteRecords(
    parts: readonly (PartitionRef & { readonly offset: bigint })[],
  ): Promise<DeleteRecordsAnswer[]> {
    return Promise.all(
      parts.map((p) => {
        const log = this.owner(p.topicId, p.partition);
        if (log === undefined) {
          return Promise.resolve({
            errorCode: KafkaError.NOT_LEADER_OR_FOLLOWER,
            lowWatermark: -1n,
            message: 'this node does not own the partition',
          });
        }
        return this.exclusive(log, async () => {
          const answer = await deleteRecordsBefore(this.o.metadata, log, p.offset);
          const released = answer.releasedObjects ?? [];
          if (released.length > 0) this.o.onRunsDeleted?.(released);
          return answer;
        });
      }),
    );
  }

  /**
   * Merges the partition's next window of small index entries into one segment object
   * (lifecycle/compaction-plan.ts); undefined when nothing is worth merging or the node does
   * not own the partition. Runs exclusively with the partition's DeleteRecords and retention.
   */
  compact(
    topicId: string,
    partition: number,
    settings: CompactionSettings,
  ): Promise<CompactOutcome | undefined> {
    const log = this.owner(topicId, partition);
    if (log === undefined) return Promise.resolve(undefined);
    return this.exclusive(log, async () => {
      const window = compactionWindow(log.index, settings);
      if (window === undefined) return undefined;
      const merged = log.index.slice(window.from, window.to);
      const outcome = await compactEntries(
        {
          nodeId: this.o.nodeId,
          metadata: this.o.metadata,
          objects: this.o.objects,
          recent: this.recent,
        },
        log,
        merged,
      );
      if (outcome.kind === 'compacted' && log.replaceEntries(merged, outcome.segment)) {
        for (const e of merged) forgetEntry(e, this.recent);
        cacheEntry(outcome.segment, outcome.batches, this.recent);
        this.o.onRunsDeleted?.(outcome.released);
      }
      return outcome;
    });
  }

  /** Runs `task` after every earlier exclusive task of the partition (its index changes). */
  private exclusive<T>(log: PartitionLog, task: () => Promise<T>): Promise<T> {
    const previous = this.exclusiveTasks.get(log) ?? Promise.resolve();
    const next = previous.then(task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.exclusiveTasks.set(log, settled);
    void settled.then(() => {
      if (this.exclusiveTasks.get(log) === settled) this.exclusiveTasks.delete(log);
    });
    return next;
  }

  /** DescribeProducers: the idempotent producers each owned partition remembers. */
  describeProducers(parts: readonly PartitionRef[]): {
    readonly errorCode: number;
    readonly producers: ReturnType<ProducerStates['summaries']>;
  }[] {
    return parts.map((p) => {
      const log = this.owner(p.topicId, p.partition);
      return log === undefined
        ? { errorCode: KafkaError.NOT_LEADER_OR_FOLLOWER, producers: [] }
        : { errorCode: 0, producers: log.producers.summaries() };
    });
  }

  /** Bytes in the read cache now. */
  cachedBytes(): number {
    return this.recent.size;
  }

  /** Fetch reads of the cache so far, and their bytes, by outcome. */
  cacheReads(): CacheReadTotals {
    return this.recent.readTotals;
  }

  /** Flushes now (operators, tests, shutdown); returns the bytes that were pending. */
  flushNow(): number {
    const pending = this.flusher.pending;
    this.flusher.flushNow();
    return pending;
  }

  private drop(log: PartitionLog, reason: string): void {
    log.fence(reason, failure(KafkaError.NOT_LEADER_OR_FOLLOWER, reason));
    const key = partitionKey(log.topicId, log.partition);
    if (this.owned.get(key) === log) this.owned.delete(key);
  }

  /**
   * Stops: appends are refused from now on, what was accepted is flushed and committed (up
   * to releaseSettleMs), then every partition is dropped and the lease revoked, so the next
   * owners claim them at once. A rolling restart costs clients retries, not acknowledged data.
   */
  async stop(): Promise<void> {
    const logs = [...this.owned.values()].filter((l) => l.fenced === undefined);
    for (const log of logs) log.closeForAppends();
    if (logs.some((l) => l.pendingBytes > 0)) this.flusher.flushNow();
    const deadline = Date.now() + (this.o.releaseSettleMs ?? DEFAULT_RELEASE_SETTLE_MS);
    await Promise.all(logs.map((l) => l.waitSettled(deadline)));
    this.stopped = true;
    this.flusher.stop();
    for (const log of [...this.owned.values()]) this.drop(log, 'storage node stopping');
    await this.lease.revoke().catch(() => undefined);
  }
}
