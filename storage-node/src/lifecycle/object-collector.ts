/**
 * Deletes an object once nothing can read it (docs/storage.md, "Object lifecycle"): its
 * `objects/` record lists the run each partition has in it, and the object is garbage when
 * none of those runs' index entries names it any more (retention, DeleteRecords or topic
 * deletion removed them) and the record is older than the grace period, by which time every
 * run of the object that was ever going to commit has committed. The object goes first,
 * then its record (compared on its revision), so a crash in between leaves a record whose
 * object is gone, which the next sweep finishes.
 */
import { keys } from '../../../lib/metadata/keys.js';
import { BadMetadataValueError } from '../../../lib/metadata/json-value.js';
import { decodeObjectRecord, type ObjectRecord } from '../../../lib/metadata/lifecycle-records.js';
import { decodeIndexEntry } from '../../../lib/metadata/partition-records.js';
import type { KeyValue, MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';

/** What became of one object: deleted, or kept and why. */
export type CollectVerdict =
  | 'deleted'
  | 'referenced'
  /** The record is younger than the grace period: some run may still be committing. */
  | 'young'
  /** No `objects/` record: an orphan for the sweep to judge by the object's age, or gone. */
  | 'unrecorded'
  /** The record is not readable: kept, and reported, rather than guessed at. */
  | 'unreadable';

export interface ObjectCollectorOptions {
  readonly metadata: MetadataStore;
  readonly objects: ObjectStore;
  readonly graceMs: number;
  readonly now?: () => number;
  /** Told of every object deleted. */
  readonly onDeleted?: (objectKey: string, reason: 'unreferenced' | 'orphan') => void;
}

/** Objects whose first live run the collector remembers (the oldest are forgotten first). */
const MAX_REMEMBERED = 100_000;

export class ObjectCollector {
  private readonly now: () => number;
  /**
   * Per object past its grace period, the first run of its record whose entry still named
   * it at the last look. Runs before it never will again (an entry that stops naming an
   * object is gone or names a segment), so the next look starts there: an object released
   * once per partition costs about one etcd read per release, not one per run.
   */
  private readonly firstLiveRun = new Map<string, number>();

  constructor(private readonly o: ObjectCollectorOptions) {
    this.now = o.now ?? Date.now;
  }

  get graceMs(): number {
    return this.o.graceMs;
  }

  /** Deletes the object if nothing references it and its record is past the grace period. */
  async collect(objectKey: string): Promise<CollectVerdict> {
    const kv = await this.o.metadata.get(keys.objectRecord(objectKey));
    if (kv === undefined) return 'unrecorded';
    let record: ObjectRecord;
    try {
      record = decodeObjectRecord(kv.key, kv.value);
    } catch (e) {
      if (e instanceof BadMetadataValueError) return 'unreadable';
      throw e;
    }
    if (this.now() - record.createdAtMs < this.o.graceMs) return 'young';
    if (await this.referenced(objectKey, record)) return 'referenced';
    await this.deleteWithRecord(objectKey, kv);
    this.o.onDeleted?.(objectKey, 'unreferenced');
    return 'deleted';
  }

  /**
   * Deletes an object that has no `objects/` record and was written longer ago than the
   * grace period: its commit failed, or its writer died between the upload and the commit.
   * Checks the record once more right before, so an object recorded since is kept.
   */
  async collectOrphan(objectKey: string, lastModifiedMs: number): Promise<boolean> {
    if (this.now() - lastModifiedMs < this.o.graceMs) return false;
    if ((await this.o.metadata.get(keys.objectRecord(objectKey))) !== undefined) return false;
    await this.o.objects.delete([objectKey]);
    this.o.onDeleted?.(objectKey, 'orphan');
    return true;
  }

  private async referenced(objectKey: string, record: ObjectRecord): Promise<boolean> {
    for (let i = this.firstLiveRun.get(objectKey) ?? 0; i < record.runs.length; i++) {
      const run = record.runs[i];
      if (run === undefined) break;
      if (
        await this.names(keys.indexEntry(run.topicId, run.partition, run.baseOffset), objectKey)
      ) {
        this.remember(objectKey, i);
        return true;
      }
    }
    this.firstLiveRun.delete(objectKey);
    return false;
  }

  /** Whether the index entry at `key` names the object (an unreadable one counts as naming it). */
  private async names(key: string, objectKey: string): Promise<boolean> {
    const entry = await this.o.metadata.get(key);
    if (entry === undefined) return false;
    try {
      return decodeIndexEntry(entry.key, entry.value).objectKey === objectKey;
    } catch (e) {
      if (e instanceof BadMetadataValueError) return true; // unreadable: keep, never guess
      throw e;
    }
  }

  private remember(objectKey: string, run: number): void {
    this.firstLiveRun.delete(objectKey);
    this.firstLiveRun.set(objectKey, run);
    if (this.firstLiveRun.size > MAX_REMEMBERED) {
      const oldest = this.firstLiveRun.keys().next().value;
      if (oldest !== undefined) this.firstLiveRun.delete(oldest);
    }
  }

  private async deleteWithRecord(objectKey: string, kv: KeyValue): Promise<void> {
    await this.o.objects.delete([objectKey]);
    await this.o.metadata.txn(
      [{ key: kv.key, target: 'modRevision', op: '=', value: kv.modRevision }],
      [{ type: 'delete', key: kv.key }],
    );
  }
}
