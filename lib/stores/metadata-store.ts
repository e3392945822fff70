/**
 * The metadata port: a versioned key-value store with transactions, leases and watches,
 * shaped after etcd v3 (the production adapter) so that every guarantee Kafscale relies on
 * can be stated here and checked by one contract suite against every adapter.
 *
 * Guarantees every adapter gives:
 * - One global revision, incremented by each successful write transaction (a transaction
 *   with several ops takes one revision). `modRevision` of a key is the revision of its
 *   last write; `createRevision` of its creation; `version` counts writes since creation.
 *   An absent key compares as version 0, modRevision 0 and createRevision 0.
 * - `txn` is atomic and serializable: all compares are evaluated and either every
 *   `success` op or every `failure` op is applied, at one new revision. No other write
 *   interleaves. At most MAX_TXN_OPS compares, and at most MAX_TXN_OPS ops in each branch
 *   (etcd's default limit, counted per list); more is refused with TooManyOpsError before
 *   anything is applied. A key may not be written twice in one branch.
 * - A lease expires when not kept alive for its TTL; every key attached to it is then
 *   deleted in one revision. `onLost` fires when the holder learns its lease is gone.
 * - `watch` delivers every change under a prefix, in revision order, starting at
 *   `fromRevision` (inclusive) or after the current revision; events of one transaction
 *   arrive together. A watch that cannot continue (history compacted, store closed)
 *   calls `onError` and stops.
 */

export type LeaseId = string;

export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  /** The lease the key is attached to, if any. */
  readonly lease: LeaseId | undefined;
}

export type CompareTarget = 'version' | 'createRevision' | 'modRevision';
export type CompareOp = '=' | '!=' | '<' | '>';

export type Compare =
  | {
      readonly key: string;
      readonly target: CompareTarget;
      readonly op: CompareOp;
      readonly value: number;
    }
  | {
      readonly key: string;
      readonly target: 'value';
      readonly op: '=' | '!=';
      readonly value: Uint8Array;
    };

export type TxnOp =
  | {
      readonly type: 'put';
      readonly key: string;
      readonly value: Uint8Array;
      readonly lease?: LeaseId;
    }
  | { readonly type: 'delete'; readonly key: string }
  | { readonly type: 'deletePrefix'; readonly prefix: string }
  /** Deletes every key k with from <= k < to (byte order): many keys in one op. */
  | { readonly type: 'deleteRange'; readonly from: string; readonly to: string };

export interface TxnResult {
  readonly succeeded: boolean;
  /** The store's revision after the transaction (unchanged when nothing was written). */
  readonly revision: number;
}

export interface ListResult {
  readonly kvs: KeyValue[];
  /** The store revision the listing was read at (use it as a watch's fromRevision - 1). */
  readonly revision: number;
}

export interface Lease {
  readonly id: LeaseId;
  readonly ttlSeconds: number;
  /** Called once when the lease is lost (expired, revoked elsewhere, or keep-alive failed). */
  onLost(listener: () => void): void;
  /** Ends the lease; its keys are deleted. */
  revoke(): Promise<void>;
}

export type WatchEvent =
  | { readonly type: 'put'; readonly kv: KeyValue }
  | { readonly type: 'delete'; readonly key: string; readonly modRevision: number };

export interface WatchOptions {
  /** First revision to deliver (inclusive); default: changes after the current revision. */
  readonly fromRevision?: number;
  /** Events of one revision, in order. */
  readonly onEvents: (events: readonly WatchEvent[], revision: number) => void;
  readonly onError?: (error: Error) => void;
}

export interface Watch {
  cancel(): Promise<void>;
}

export const MAX_TXN_OPS = 128;

export class TooManyOpsError extends Error {
  override readonly name = 'TooManyOpsError';
}

/** Refuses a transaction over etcd's per-list limit (the port's rule, shared by adapters). */
export function checkTxnSize(
  compares: readonly Compare[],
  success: readonly TxnOp[],
  failure: readonly TxnOp[],
): void {
  if (
    compares.length > MAX_TXN_OPS ||
    success.length > MAX_TXN_OPS ||
    failure.length > MAX_TXN_OPS
  ) {
    throw new TooManyOpsError(
      `transaction has ${compares.length} compares, ${success.length} success ops and ` +
        `${failure.length} failure ops; at most ${MAX_TXN_OPS} of each are allowed`,
    );
  }
}

/** The store could not be reached or answered with an error; the operation may be retried. */
export class MetadataStoreUnavailableError extends Error {
  override readonly name = 'MetadataStoreUnavailableError';
}

export interface MetadataStore {
  get(key: string): Promise<KeyValue | undefined>;
  /** Every key with the prefix, in key order. */
  list(prefix: string): Promise<ListResult>;
  txn(
    compares: readonly Compare[],
    success: readonly TxnOp[],
    failure?: readonly TxnOp[],
  ): Promise<TxnResult>;
  /** A lease kept alive by the adapter until revoked or lost. */
  grantLease(ttlSeconds: number): Promise<Lease>;
  watch(prefix: string, options: WatchOptions): Promise<Watch>;
  close(): Promise<void>;
}
