/**
 * The pure state machine behind the in-process metadata store: keys, revisions and the
 * application of one transaction. It has no timers and no I/O so that the same code applies
 * live transactions and replays the durable log.
 */
import {
  type Compare,
  type KeyValue,
  type LeaseId,
  type TxnOp,
  type WatchEvent,
} from '../metadata-store.js';
import { compareKeys } from './key-order.js';

/** What one committed revision changed, in op order (the unit of the log and of watches). */
export interface RevisionChange {
  readonly revision: number;
  readonly events: readonly WatchEvent[];
}

/** Mirrors etcd's refusal of a transaction that writes one key twice (put/put or put/delete). */
export class InvalidTxnError extends Error {
  override readonly name = 'InvalidTxnError';
}

export class LeaseNotFoundError extends Error {
  override readonly name = 'LeaseNotFoundError';
}

/** etcd refuses a branch that puts one key twice or puts a key that a delete in it covers. */
export function checkNoDuplicateWrites(ops: readonly TxnOp[]): void {
  const puts = new Set<string>();
  for (const op of ops) {
    if (op.type !== 'put') continue;
    if (puts.has(op.key))
      throw new InvalidTxnError(`duplicate key given in txn request: ${op.key}`);
    puts.add(op.key);
  }
  if (puts.size === 0) return;
  for (const op of ops) {
    if (op.type === 'delete' && puts.has(op.key)) {
      throw new InvalidTxnError(`duplicate key given in txn request: ${op.key}`);
    }
    if (op.type === 'deletePrefix') {
      for (const key of puts) {
        if (key.startsWith(op.prefix)) {
          throw new InvalidTxnError(`duplicate key given in txn request: ${key}`);
        }
      }
    }
    if (op.type === 'deleteRange') {
      for (const key of puts) {
        if (inRange(key, op.from, op.to)) {
          throw new InvalidTxnError(`duplicate key given in txn request: ${key}`);
        }
      }
    }
  }
}

/** from <= key < to in etcd's key order. */
function inRange(key: string, from: string, to: string): boolean {
  return compareKeys(key, from) >= 0 && compareKeys(key, to) < 0;
}

function compareNumbers(actual: number, op: Compare['op'], expected: number): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '>':
      return actual > expected;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class MemoryState {
  private readonly kvs = new Map<string, KeyValue>();
  private rev = 0;

  get revision(): number {
    return this.rev;
  }

  get(key: string): KeyValue | undefined {
    return this.kvs.get(key);
  }

  /** Every key with the prefix, in key order. */
  list(prefix: string): KeyValue[] {
    const out: KeyValue[] = [];
    for (const [key, kv] of this.kvs) if (key.startsWith(prefix)) out.push(kv);
    out.sort((a, b) => compareKeys(a.key, b.key));
    return out;
  }

  /** Every key attached to a lease. */
  leasedKeys(): KeyValue[] {
    const out: KeyValue[] = [];
    for (const kv of this.kvs.values()) if (kv.lease !== undefined) out.push(kv);
    out.sort((a, b) => compareKeys(a.key, b.key));
    return out;
  }

  evaluate(compares: readonly Compare[]): boolean {
    for (const c of compares) {
      const kv = this.kvs.get(c.key);
      if (c.target === 'value') {
        // etcd: a value compare against an absent key is false for every operator.
        if (kv === undefined) return false;
        const equal = bytesEqual(kv.value, c.value);
        if (c.op === '=' ? !equal : equal) return false;
        continue;
      }
      const actual =
        c.target === 'version'
          ? (kv?.version ?? 0)
          : c.target === 'createRevision'
            ? (kv?.createRevision ?? 0)
            : (kv?.modRevision ?? 0);
      if (!compareNumbers(actual, c.op, c.value)) return false;
    }
    return true;
  }

  /**
   * Applies `ops` at the next revision. Returns the change, or undefined when nothing was
   * written (the revision stays). `leaseExists` vets the leases that puts attach to.
   */
  apply(ops: readonly TxnOp[], leaseExists: (id: LeaseId) => boolean): RevisionChange | undefined {
    for (const op of ops) {
      if (op.type === 'put' && op.lease !== undefined && !leaseExists(op.lease)) {
        throw new LeaseNotFoundError(`requested lease not found: ${op.lease}`);
      }
    }
    const revision = this.rev + 1;
    const events: WatchEvent[] = [];
    for (const op of ops) {
      if (op.type === 'put') {
        const prev = this.kvs.get(op.key);
        const kv: KeyValue = {
          key: op.key,
          value: Uint8Array.from(op.value),
          createRevision: prev?.createRevision ?? revision,
          modRevision: revision,
          version: (prev?.version ?? 0) + 1,
          lease: op.lease,
        };
        this.kvs.set(op.key, kv);
        events.push({ type: 'put', kv });
      } else if (op.type === 'delete') {
        if (this.kvs.delete(op.key))
          events.push({ type: 'delete', key: op.key, modRevision: revision });
      } else {
        const doomed =
          op.type === 'deletePrefix'
            ? this.list(op.prefix)
            : this.list('').filter((kv) => inRange(kv.key, op.from, op.to));
        for (const kv of doomed) {
          this.kvs.delete(kv.key);
          events.push({ type: 'delete', key: kv.key, modRevision: revision });
        }
      }
    }
    if (events.length === 0) return undefined;
    this.rev = revision;
    return { revision, events };
  }

  /** Replays a logged change exactly (used on open). */
  replay(change: RevisionChange): void {
    if (change.revision !== this.rev + 1) {
      throw new Error(`log revision ${change.revision} does not follow ${this.rev}`);
    }
    for (const ev of change.events) {
      if (ev.type === 'put') this.kvs.set(ev.kv.key, ev.kv);
      else this.kvs.delete(ev.key);
    }
    this.rev = change.revision;
  }

  /** Loads a snapshot (used on open). */
  load(revision: number, kvs: readonly KeyValue[]): void {
    this.kvs.clear();
    for (const kv of kvs) this.kvs.set(kv.key, kv);
    this.rev = revision;
  }

  all(): KeyValue[] {
    return [...this.kvs.values()];
  }
}
