/**
 * The in-process MetadataStore: the embedded dev mode's metadata and the unit tests' store.
 * It gives exactly the port's guarantees (see ../metadata-store.ts) with etcd's details
 * where the port leaves room, so code that works here works against etcd:
 * - a transaction is applied synchronously inside `txn` (so it is atomic and serializable),
 *   takes one revision only when it changes something, and is refused like etcd refuses it
 *   (more than MAX_TXN_OPS compares / success ops / failure ops; a key written twice in one
 *   branch; a put to an unknown lease);
 * - a value compare against an absent key is false whatever the operator (as in etcd);
 * - watch events are delivered asynchronously in revision order from a bounded history
 *   (`historyRevisions`); a watch from an older revision fails with `onError`.
 *
 * `MemoryMetadataStore.open({ dir })` adds durability (see durable-log.ts): a transaction
 * resolves, and its watch events are delivered, only after its log record is fsynced.
 * Reads may already see a transaction whose fsync is pending; if that fsync fails, the store
 * refuses every further call (its memory is ahead of its disk). Leases do not survive a
 * restart: keys that were attached to one are deleted, in one revision, when the store opens.
 */
import {
  MetadataStoreUnavailableError,
  type Compare,
  type KeyValue,
  type Lease,
  type LeaseId,
  type ListResult,
  type MetadataStore,
  type TxnOp,
  type TxnResult,
  type Watch,
  type WatchOptions,
  checkTxnSize,
} from '../metadata-store.js';
import { DurableLog } from './durable-log.js';
import { MemoryLease } from './memory-lease.js';
import { MemoryState, checkNoDuplicateWrites, type RevisionChange } from './memory-state.js';
import { MemoryWatch } from './memory-watch.js';

export { InvalidTxnError, LeaseNotFoundError } from './memory-state.js';
export { MetadataLogCorruptError } from './log-codec.js';
export { MemoryLease } from './memory-lease.js';

export const DEFAULT_HISTORY_REVISIONS = 100_000;
export const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;

export interface MemoryMetadataStoreOptions {
  /** How many past revisions a watch can start from (default 100,000). */
  readonly historyRevisions?: number;
}

export interface DurableMemoryMetadataStoreOptions extends MemoryMetadataStoreOptions {
  /** Directory of the log and snapshot; created when absent. */
  readonly dir: string;
  /** Log size that triggers a snapshot (default 64 MiB). */
  readonly compactBytes?: number;
}

/** The store was closed, or its disk failed; nothing more is accepted. */
export class MetadataStoreClosedError extends Error {
  override readonly name = 'MetadataStoreClosedError';
}

function copyKv(kv: KeyValue): KeyValue {
  return { ...kv, value: kv.value.slice() };
}

export class MemoryMetadataStore implements MetadataStore {
  private readonly state = new MemoryState();
  private readonly leases = new Map<LeaseId, MemoryLease>();
  private readonly watchers = new Set<MemoryWatch>();
  private readonly historyRevisions: number;
  /** Published revisions, oldest first, from index `historyHead`. */
  private history: RevisionChange[] = [];
  private historyHead = 0;
  /** Revisions up to this one are no longer in the history. */
  private compactedRevision = 0;
  private nextLeaseId = Date.now();
  private log: DurableLog | undefined;
  private closedError: Error | undefined;

  constructor(options: MemoryMetadataStoreOptions = {}) {
    this.historyRevisions = Math.max(1, options.historyRevisions ?? DEFAULT_HISTORY_REVISIONS);
  }

  /** A durable store over `dir`: replays its snapshot and log, then drops leased keys. */
  static async open(options: DurableMemoryMetadataStoreOptions): Promise<MemoryMetadataStore> {
    const store = new MemoryMetadataStore(options);
    const { log, recovered } = await DurableLog.open(
      options.dir,
      options.compactBytes ?? DEFAULT_COMPACT_BYTES,
      () => ({ revision: store.state.revision, kvs: store.state.all() }),
    );
    if (recovered.snapshot !== undefined) {
      store.state.load(recovered.snapshot.revision, recovered.snapshot.kvs);
    }
    store.compactedRevision = store.state.revision;
    for (const change of recovered.changes) {
      store.state.replay(change);
      store.remember(change);
    }
    store.log = log;
    const orphaned = store.state.leasedKeys();
    if (orphaned.length > 0) {
      const change = store.state.apply(
        orphaned.map((kv) => ({ type: 'delete', key: kv.key })),
        () => true,
      );
      if (change !== undefined) await store.commit(change);
    }
    return store;
  }

  get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const kv = this.state.get(key);
    return Promise.resolve(kv === undefined ? undefined : copyKv(kv));
  }

  list(prefix: string): Promise<ListResult> {
    this.assertOpen();
    return Promise.resolve({
      kvs: this.state.list(prefix).map(copyKv),
      revision: this.state.revision,
    });
  }

  async txn(
    compares: readonly Compare[],
    success: readonly TxnOp[],
    failure: readonly TxnOp[] = [],
  ): Promise<TxnResult> {
    this.assertOpen();
    checkTxnSize(compares, success, failure);
    checkNoDuplicateWrites(success);
    checkNoDuplicateWrites(failure);
    const succeeded = this.state.evaluate(compares);
    const change = this.state.apply(succeeded ? success : failure, (id) => this.leases.has(id));
    if (change === undefined) return { succeeded, revision: this.state.revision };
    await this.commit(change);
    return { succeeded, revision: change.revision };
  }

  grantLease(ttlSeconds: number): Promise<Lease> {
    this.assertOpen();
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
      return Promise.reject(
        new RangeError(`lease TTL must be a whole number >= 1, got ${ttlSeconds}`),
      );
    }
    const id = String(this.nextLeaseId++);
    const lease = new MemoryLease(id, ttlSeconds, {
      revokeLease: (leaseId) => this.endLease(leaseId, false),
      expireLease: (leaseId) => {
        this.endLease(leaseId, true).catch(() => undefined);
      },
    });
    this.leases.set(id, lease);
    return Promise.resolve(lease);
  }

  watch(prefix: string, options: WatchOptions): Promise<Watch> {
    this.assertOpen();
    const from = options.fromRevision ?? this.state.revision + 1;
    const watch = new MemoryWatch(prefix, from, options, (w) => this.watchers.delete(w));
    if (from <= this.compactedRevision) {
      watch.fail(
        new Error(
          `watch from revision ${from} is not possible: history starts at ${this.compactedRevision + 1}`,
        ),
      );
      return Promise.resolve(watch);
    }
    for (let i = this.historyHead; i < this.history.length; i++) {
      const change = this.history[i];
      if (change !== undefined) watch.offer(change);
    }
    this.watchers.add(watch);
    return Promise.resolve(watch);
  }

  async close(): Promise<void> {
    if (this.closedError !== undefined) return;
    this.closedError = new MetadataStoreClosedError('metadata store is closed');
    for (const lease of this.leases.values()) lease.end(false);
    this.leases.clear();
    for (const w of [...this.watchers])
      w.fail(new MetadataStoreClosedError('metadata store closed'));
    await this.log?.close();
  }

  // -------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closedError !== undefined) throw this.closedError;
  }

  /** Makes `change` durable (when a log is open), then publishes it to watchers. */
  private async commit(change: RevisionChange): Promise<void> {
    if (this.log !== undefined) {
      try {
        await this.log.append(change);
      } catch (e) {
        // Memory is now ahead of disk: refuse everything from here on.
        const error = new MetadataStoreUnavailableError(
          `metadata log write failed: ${e instanceof Error ? e.message : String(e)}`,
        );
        if (this.closedError === undefined) {
          this.closedError = error;
          for (const w of [...this.watchers]) w.fail(error);
        }
        throw error;
      }
    } else {
      await Promise.resolve();
    }
    this.remember(change);
    for (const w of this.watchers) w.offer(change);
  }

  private remember(change: RevisionChange): void {
    this.history.push(change);
    const excess = this.history.length - this.historyHead - this.historyRevisions;
    if (excess > 0) {
      const dropped = this.history[this.historyHead + excess - 1];
      this.historyHead += excess;
      if (dropped !== undefined) this.compactedRevision = dropped.revision;
      if (this.historyHead > 1024 && this.historyHead * 2 > this.history.length) {
        this.history = this.history.slice(this.historyHead);
        this.historyHead = 0;
      }
    }
  }

  private async endLease(id: LeaseId, lost: boolean): Promise<void> {
    const lease = this.leases.get(id);
    if (lease === undefined) return;
    this.leases.delete(id);
    lease.end(lost);
    if (this.closedError !== undefined) return;
    const keys = this.state.all().filter((kv) => kv.lease === id);
    const change = this.state.apply(
      keys.map((kv) => ({ type: 'delete', key: kv.key })),
      () => true,
    );
    if (change !== undefined) await this.commit(change);
  }
}
