/**
 * Helpers for storage-engine tests: batches with known values, stores that count or stall
 * calls, and a reader that turns fetched batches back into (offset, value) pairs.
 */
import type {
  ByteRange,
  ListPage,
  ObjectInfo,
  ObjectStore,
  PutOptions,
} from '../../lib/stores/object-store.js';
import type { Compare, MetadataStore, TxnOp, TxnResult } from '../../lib/stores/metadata-store.js';
import type { AppendOutcome } from '../../storage-node/src/partition/append-outcome.js';
import type { StorageEngineOptions } from '../../storage-node/src/storage-engine.js';
import { buildRecordBatchSync } from '../../lib/kafka/record-batch/build-batch.js';
import { readBatchRecordsSync } from '../../lib/kafka/record-batch/read-batch-records.js';
import { MemoryObjectStore } from '../../lib/stores/memory/memory-object-store.js';

/** A memory object store that records the GETs it served: key and range. */
export class RangeRecordingStore extends MemoryObjectStore {
  readonly gets: { key: string; range: ByteRange | undefined }[] = [];
  override get(key: string, range?: ByteRange): Promise<Buffer> {
    this.gets.push({ key, range });
    return super.get(key, range);
  }
}

/** Engine options for unit tests: 5 ms flushes, small budgets; `overrides` win. */
export function testEngineOptions(
  nodeId: string,
  metadata: MetadataStore,
  objects: ObjectStore,
  overrides: Partial<StorageEngineOptions> = {},
): StorageEngineOptions {
  return {
    nodeId,
    metadata,
    objects,
    flushIntervalMs: 5,
    flushBytes: 1 << 20,
    maxInflightFlushes: 4,
    maxBufferedBytes: 64 << 20,
    leaseTtlSeconds: 10,
    recentRunsBytes: 8 << 20,
    ...overrides,
  };
}

/** The base offset of a successful append; fails the test with the error otherwise. */
export function offsetOf(outcome: AppendOutcome | undefined): bigint {
  if (outcome === undefined) throw new Error('no outcome');
  if (!outcome.ok)
    throw new Error(`append failed with error ${outcome.errorCode}: ${outcome.message}`);
  return outcome.baseOffset;
}

/** One batch holding the given values (keys null), timestamps baseTimestamp + index. */
export function batchAt(baseTimestamp: bigint, ...values: string[]): Buffer {
  return buildRecordBatchSync({
    baseTimestamp,
    records: values.map((v, i) => ({ key: null, value: Buffer.from(v), timestampDelta: i })),
  });
}

export function batchOf(...values: string[]): Buffer {
  return batchAt(1_700_000_000_000n, ...values);
}

/** (offset, value) of every record in fetched batches. */
export function recordsOf(batches: readonly Uint8Array[]): { offset: bigint; value: string }[] {
  return batches.flatMap((b) => {
    const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const base = view.readBigInt64BE(0);
    return readBatchRecordsSync(view).map((r) => ({
      offset: base + BigInt(r.offsetDelta),
      value: r.value === null ? '<null>' : Buffer.from(r.value).toString(),
    }));
  });
}

/** An object store that counts puts and can hold or fail them on demand. */
export class ControlledObjectStore implements ObjectStore {
  puts = 0;
  /** When set, the next puts wait for this promise; when it rejects, they fail. */
  gate: Promise<void> | undefined;
  failNext = 0;

  constructor(private readonly inner: ObjectStore) {}

  async put(
    key: string,
    body: Uint8Array | readonly Uint8Array[],
    options?: PutOptions,
  ): Promise<void> {
    this.puts++;
    const gate = this.gate;
    if (gate) await gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('injected put failure');
    }
    await this.inner.put(key, body, options);
  }

  get(key: string, range?: ByteRange): Promise<Buffer> {
    return this.inner.get(key, range);
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    return this.inner.head(key);
  }

  list(
    prefix: string,
    options?: { readonly after?: string; readonly limit?: number },
  ): Promise<ListPage> {
    return this.inner.list(prefix, options);
  }

  delete(keys: readonly string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

export interface RecordingTxns {
  readonly store: MetadataStore;
  /** Transactions with writes that reached the store. */
  count(): number;
  /** Their write operations, in order. */
  writes(): readonly (readonly TxnOp[])[];
  /** Fails the next writing transaction whose writes `match` (etcd going away), once. */
  failNext(match: (writes: readonly TxnOp[]) => boolean): void;
}

/** Wraps a metadata store to record transactions that write, and to fail one on demand. */
export function recordingTxns(store: MetadataStore): RecordingTxns {
  const writes: (readonly TxnOp[])[] = [];
  let failing: ((writes: readonly TxnOp[]) => boolean) | undefined;
  const counted: MetadataStore = {
    get: (k) => store.get(k),
    list: (p) => store.list(p),
    txn: (c: readonly Compare[], s: readonly TxnOp[], f?: readonly TxnOp[]): Promise<TxnResult> => {
      if (s.length > 0 && failing?.(s) === true) {
        failing = undefined;
        return Promise.reject(new Error('etcd went away'));
      }
      if (s.length > 0) writes.push(s);
      return store.txn(c, s, f);
    },
    grantLease: (t) => store.grantLease(t),
    watch: (p, o) => store.watch(p, o),
    close: () => store.close(),
  };
  return {
    store: counted,
    count: () => writes.length,
    writes: () => writes,
    failNext: (match) => {
      failing = match;
    },
  };
}

export function deferred(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
} {
  let resolve: () => void = () => undefined;
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
