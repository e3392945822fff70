/**
 * The object sweep, run by one storage node at a time (the holder of `lifecycle/sweeper`,
 * attached to its own lease), every `intervalMs`:
 *   1. deleted topics (`deleted-topics/<id>`): each partition's keys go in one transaction,
 *      then the objects their index named are collected; the record goes once nothing is
 *      left under `part/<id>/` and the deletion is older than the grace period (a claim that
 *      raced the deletion may recreate a partition's state; a later pass removes it again);
 *   2. every `objects/` record: the object is collected if nothing references it any more
 *      (catches what an owner's own collection missed: young then, or a crash);
 *   3. orphans: objects under `data/` and `seg/` older than the grace period with no record (their
 *      commit failed, or the writer died between upload and commit).
 * Each step is idempotent, so a sweep interrupted by a crash resumes on the next holder.
 */
import { BadMetadataValueError } from '../../../lib/metadata/json-value.js';
import { keys } from '../../../lib/metadata/keys.js';
import { decodeDeletedTopic } from '../../../lib/metadata/lifecycle-records.js';
import { decodeIndexEntry } from '../../../lib/metadata/partition-records.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { Lease, MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import type { ObjectCollector } from './object-collector.js';
import { PeriodicPass } from './periodic-pass.js';

/** Prefixes of the objects storage nodes write: flush objects and compacted segments. */
const OBJECT_PREFIXES = ['data/', 'seg/'] as const;
const LIST_PAGE = 1000;

export interface SweepStats {
  topicsFinished: number;
  partitionsDeleted: number;
  objectsDeleted: number;
  orphansDeleted: number;
}

export interface SweeperOptions {
  readonly nodeId: string;
  readonly metadata: MetadataStore;
  readonly objects: ObjectStore;
  readonly collector: ObjectCollector;
  readonly intervalMs: number;
  readonly leaseTtlSeconds: number;
  readonly log: Logger;
  readonly now?: () => number;
  readonly onPass?: (stats: SweepStats, ms: number) => void;
}

export class Sweeper {
  private readonly periodic: PeriodicPass;
  private lease: Lease | undefined;
  private leaseLost = false;
  private stopped = false;

  constructor(private readonly o: SweeperOptions) {
    this.periodic = new PeriodicPass(
      'object sweep',
      o.intervalMs,
      () => this.passIfHolder(),
      o.log,
    );
  }

  start(): void {
    this.periodic.start();
  }

  /** Runs a pass if this node holds (or can take) the sweeper seat. */
  async passIfHolder(): Promise<SweepStats | undefined> {
    if (!(await this.holdSeat())) return undefined;
    return this.pass();
  }

  /** One full sweep (callers make sure one node sweeps at a time). */
  async pass(): Promise<SweepStats> {
    const started = Date.now();
    const stats: SweepStats = {
      topicsFinished: 0,
      partitionsDeleted: 0,
      objectsDeleted: 0,
      orphansDeleted: 0,
    };
    await this.sweepDeletedTopics(stats);
    const recorded = await this.sweepObjectRecords(stats);
    await this.sweepOrphans(recorded, stats);
    this.o.onPass?.(stats, Date.now() - started);
    return stats;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  private async holdSeat(): Promise<boolean> {
    if (this.lease === undefined || this.leaseLost) {
      const lease = await this.o.metadata.grantLease(this.o.leaseTtlSeconds);
      this.lease = lease;
      this.leaseLost = false;
      lease.onLost(() => {
        if (this.lease === lease) this.leaseLost = true;
      });
    }
    const seat = keys.sweeper();
    const took = await this.o.metadata.txn(
      [{ key: seat, target: 'createRevision', op: '=', value: 0 }],
      [{ type: 'put', key: seat, value: Buffer.from(this.o.nodeId), lease: this.lease.id }],
    );
    if (took.succeeded) return true;
    const holder = await this.o.metadata.get(seat);
    return holder?.lease === this.lease.id;
  }

  private async sweepDeletedTopics(stats: SweepStats): Promise<void> {
    const { kvs } = await this.o.metadata.list(keys.deletedTopicsPrefix());
    for (const kv of kvs) {
      const topicId = kv.key.slice(keys.deletedTopicsPrefix().length);
      let partitions: number;
      let deletedAtMs: number;
      try {
        ({ partitions, deletedAtMs } = decodeDeletedTopic(kv.key, kv.value));
      } catch (e) {
        if (!(e instanceof BadMetadataValueError)) throw e;
        this.o.log.warn({ key: kv.key, err: e }, 'unreadable deleted-topic record left alone');
        continue;
      }
      for (let p = 0; p < partitions; p++) {
        const objects = await this.deletePartitionKeys(topicId, p);
        if (objects !== undefined) stats.partitionsDeleted++;
        for (const key of objects ?? []) {
          if ((await this.o.collector.collect(key)) === 'deleted') stats.objectsDeleted++;
        }
      }
      const left = await this.o.metadata.list(keys.topicPartitionsPrefix(topicId));
      if (left.kvs.length === 0 && this.now() - deletedAtMs >= this.o.collector.graceMs) {
        await this.o.metadata.txn(
          [{ key: kv.key, target: 'modRevision', op: '=', value: kv.modRevision }],
          [{ type: 'delete', key: kv.key }],
        );
        stats.topicsFinished++;
      }
    }
  }

  /** Deletes one partition's keys; the objects its index named, or undefined if none were left. */
  private async deletePartitionKeys(
    topicId: string,
    partition: number,
  ): Promise<string[] | undefined> {
    const prefix = keys.partitionPrefix(topicId, partition);
    const { kvs } = await this.o.metadata.list(prefix);
    if (kvs.length === 0) return undefined;
    const objects = new Set<string>();
    const indexPrefix = keys.indexPrefix(topicId, partition);
    for (const kv of kvs) {
      if (!kv.key.startsWith(indexPrefix)) continue;
      try {
        objects.add(decodeIndexEntry(kv.key, kv.value).objectKey);
      } catch (e) {
        if (!(e instanceof BadMetadataValueError)) throw e;
      }
    }
    await this.o.metadata.txn([], [{ type: 'deletePrefix', prefix }]);
    return [...objects];
  }

  /** Collects every recorded object; returns the keys that still have a record. */
  private async sweepObjectRecords(stats: SweepStats): Promise<Set<string>> {
    const prefix = keys.objectRecordsPrefix();
    const { kvs } = await this.o.metadata.list(prefix);
    const recorded = new Set<string>();
    for (const kv of kvs) {
      if (this.stopped) break;
      const objectKey = kv.key.slice(prefix.length);
      if ((await this.o.collector.collect(objectKey)) === 'deleted') stats.objectsDeleted++;
      else recorded.add(objectKey);
    }
    return recorded;
  }

  private async sweepOrphans(recorded: ReadonlySet<string>, stats: SweepStats): Promise<void> {
    for (const prefix of OBJECT_PREFIXES) {
      let after: string | undefined;
      do {
        const page = await this.o.objects.list(prefix, {
          limit: LIST_PAGE,
          ...(after === undefined ? {} : { after }),
        });
        for (const object of page.objects) {
          if (this.stopped) return;
          if (recorded.has(object.key)) continue;
          if (await this.o.collector.collectOrphan(object.key, object.lastModifiedMs))
            stats.orphansDeleted++;
        }
        after = page.next;
      } while (after !== undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.periodic.stop();
    await this.lease?.revoke().catch(() => undefined);
  }
}
