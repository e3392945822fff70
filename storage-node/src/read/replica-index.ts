/**
 * What a storage node needs to serve committed data of a partition it does not own
 * (docs/storage.md, "Reads on any node"): the partition's high watermark, log start and
 * index entries, read from etcd with one list of `part/<topicId>/<p>/` (so state and index
 * are of one revision: a flush commit writes both in one transaction). A snapshot is kept
 * per partition and reloaded when a read reaches its high watermark, when it is older than
 * `maxAgeMs` (retention and DeleteRecords move the log start; compaction replaces entries),
 * or when the caller found one of its objects gone. One load per partition at a time; at
 * most `maxPartitions` snapshots, the least recently used dropped first.
 */
import { keys } from '../../../lib/metadata/keys.js';
import {
  decodeIndexEntry,
  decodeLogStart,
  decodePartitionState,
  type IndexEntry,
} from '../../../lib/metadata/partition-records.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';

export interface ReplicaSnapshot {
  /** The epoch of the owner that last wrote the state (-1 before any). */
  readonly epoch: number;
  readonly entries: readonly IndexEntry[];
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  readonly loadedAtMs: number;
}

export interface ReplicaIndexOptions {
  readonly maxAgeMs: number;
  readonly maxPartitions: number;
}

export class ReplicaIndexes {
  private readonly snapshots = new Map<string, ReplicaSnapshot>();
  private readonly loading = new Map<string, Promise<ReplicaSnapshot>>();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly o: ReplicaIndexOptions,
  ) {}

  /** A snapshot read now (ListOffsets wants the latest watermarks). */
  fresh(topicId: string, partition: number): Promise<ReplicaSnapshot> {
    return this.load(keys.partitionPrefix(topicId, partition));
  }

  /**
   * A snapshot that holds `offset` if the partition had it committed when it was read:
   * the cached one while it is young and `offset` is below its high watermark, else a new
   * one.
   */
  async snapshot(topicId: string, partition: number, offset: bigint): Promise<ReplicaSnapshot> {
    const key = keys.partitionPrefix(topicId, partition);
    const cached = this.snapshots.get(key);
    if (
      cached !== undefined &&
      offset < cached.highWatermark &&
      Date.now() - cached.loadedAtMs < this.o.maxAgeMs
    ) {
      this.snapshots.delete(key);
      this.snapshots.set(key, cached);
      return cached;
    }
    return this.load(key);
  }

  /** Forgets a partition's snapshot (an object it named is gone). */
  invalidate(topicId: string, partition: number): void {
    this.snapshots.delete(keys.partitionPrefix(topicId, partition));
  }

  private load(prefix: string): Promise<ReplicaSnapshot> {
    const inFlight = this.loading.get(prefix);
    if (inFlight !== undefined) return inFlight;
    const loaded = this.read(prefix).finally(() => this.loading.delete(prefix));
    this.loading.set(prefix, loaded);
    return loaded;
  }

  private async read(prefix: string): Promise<ReplicaSnapshot> {
    const { kvs } = await this.metadata.list(prefix);
    let epoch = -1;
    let highWatermark = 0n;
    let logStartOffset = 0n;
    const entries: IndexEntry[] = [];
    for (const kv of kvs) {
      const rest = kv.key.slice(prefix.length);
      if (rest === 'state') {
        const state = decodePartitionState(kv.key, kv.value);
        highWatermark = state.highWatermark;
        epoch = state.epoch;
        if (state.logStartOffset > logStartOffset) logStartOffset = state.logStartOffset;
      } else if (rest === 'start') {
        const moved = decodeLogStart(kv.key, kv.value).logStartOffset;
        if (moved > logStartOffset) logStartOffset = moved;
      } else if (rest.startsWith('idx/')) {
        entries.push(decodeIndexEntry(kv.key, kv.value));
      }
    }
    // Keys are fixed-width offsets, so the listing is in offset order already.
    const snapshot = { epoch, entries, highWatermark, logStartOffset, loadedAtMs: Date.now() };
    this.snapshots.set(prefix, snapshot);
    for (const key of this.snapshots.keys()) {
      if (this.snapshots.size <= this.o.maxPartitions) break;
      this.snapshots.delete(key);
    }
    return snapshot;
  }
}
