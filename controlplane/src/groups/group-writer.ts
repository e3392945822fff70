/**
 * Every etcd write of the groups a replica coordinates goes through one writer, which
 * coalesces them: while one transaction is in flight, later writes wait and all of them go
 * into the next one, started no sooner than `intervalMs` after the previous one. So the
 * etcd write rate of a replica is bounded by the interval, not by how many consumers
 * commit offsets (issue 6), and a write is acknowledged only once it is in etcd.
 *
 * Each transaction compares the fence of every shard it writes. When a compare fails, the
 * writer finds which shards were lost, fails their writes with ShardLostError, reports
 * them, and retries the rest. Writes are applied in submission order: a write that touches
 * a key already written in the transaction being built starts the next transaction.
 *
 * While etcd is slow or down, waiting writes are bounded (`maxPendingOps`): past the bound a
 * write is refused at once with WriterBackloggedError (clients get the retriable
 * COORDINATOR_NOT_AVAILABLE), so a replica's memory does not grow with the outage.
 */
import {
  MAX_TXN_OPS,
  type Compare,
  type MetadataStore,
  type TxnOp,
} from '../../../lib/stores/metadata-store.js';
import { ShardLostError, type ShardFence } from './shard-fence.js';

/** The writes a group shard makes: keys and prefixes (no key ranges), so conflicts are exact. */
export type GroupOp = Exclude<TxnOp, { readonly type: 'deleteRange' }>;

interface Submission {
  readonly fence: ShardFence;
  readonly ops: readonly GroupOp[];
  remaining: number;
  failed: boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Piece {
  readonly submission: Submission;
  readonly ops: readonly GroupOp[];
}

interface PlannedTxn {
  readonly fences: Map<number, ShardFence>;
  readonly pieces: Piece[];
  readonly keys: Set<string>;
  readonly prefixes: string[];
  opCount: number;
}

export interface GroupWriterOptions {
  /** Least time between the starts of two transactions (default 5 ms). */
  readonly intervalMs?: number;
  /** Called once per shard whose fence failed. */
  readonly onShardLost?: (shard: number) => void;
  /** Ops waiting for a transaction, at most (default 50,000); more are refused. */
  readonly maxPendingOps?: number;
}

/** The writer already holds as many waiting ops as it may: retry later. */
export class WriterBackloggedError extends Error {
  override readonly name = 'WriterBackloggedError';
  constructor(pendingOps: number) {
    super(`${pendingOps} group writes are waiting for etcd; retry later`);
  }
}

const DEFAULT_MAX_PENDING_OPS = 50_000;

export class GroupWriter {
  private pending: Submission[] = [];
  /** Ops of the pending submissions and of the transaction in flight. */
  private pendingOps = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private lastStart = 0;
  private stopped = false;
  /** Writes submitted and transactions committed since start (for metrics and tests). */
  readonly stats = { writes: 0, transactions: 0 };

  constructor(
    private readonly store: MetadataStore,
    private readonly options: GroupWriterOptions = {},
  ) {}

  /** Applies `ops` under the shard's fence; resolves once they are in etcd. */
  write(fence: ShardFence, ops: readonly GroupOp[]): Promise<void> {
    if (this.stopped) return Promise.reject(new ShardLostError(fence.shard));
    if (ops.length === 0) return Promise.resolve();
    if (this.pendingOps + ops.length > (this.options.maxPendingOps ?? DEFAULT_MAX_PENDING_OPS))
      return Promise.reject(new WriterBackloggedError(this.pendingOps));
    this.stats.writes++;
    this.pendingOps += ops.length;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle =
        <T>(fn: (v: T) => void) =>
        (v: T) => {
          if (!settled) this.pendingOps -= ops.length;
          settled = true;
          fn(v);
        };
      this.pending.push({
        fence,
        ops,
        remaining: 0,
        failed: false,
        resolve: settle(resolve),
        reject: settle(reject),
      });
      this.schedule();
    });
  }

  /** Resolves once every write submitted so far has been applied or failed. */
  async drain(): Promise<void> {
    while (this.running || this.pending.length > 0 || this.timer !== undefined) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Fails writes not yet started; waits for the one in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.pending.splice(0)) s.reject(new ShardLostError(s.fence.shard));
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private schedule(): void {
    if (this.running || this.timer !== undefined || this.pending.length === 0) return;
    const wait = Math.max(0, this.lastStart + (this.options.intervalMs ?? 5) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    if (this.running || this.pending.length === 0) return;
    this.running = true;
    this.lastStart = Date.now();
    const batch = this.pending.splice(0);
    try {
      for (const txn of plan(batch)) await this.apply(txn);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private async apply(txn: PlannedTxn): Promise<void> {
    let pieces = txn.pieces.filter((p) => !p.submission.failed);
    while (pieces.length > 0) {
      const fences = new Map(pieces.map((p) => [p.submission.fence.shard, p.submission.fence]));
      const compares: Compare[] = [...fences.values()].map((f) => ({
        key: f.ownerKey,
        target: 'createRevision',
        op: '=',
        value: f.createRevision,
      }));
      let succeeded: boolean;
      try {
        succeeded = (
          await this.store.txn(
            compares,
            pieces.flatMap((p) => p.ops),
          )
        ).succeeded;
      } catch (error) {
        for (const p of pieces) fail(p.submission, error);
        return;
      }
      this.stats.transactions++;
      if (succeeded) {
        for (const p of pieces) {
          if (--p.submission.remaining === 0 && !p.submission.failed) p.submission.resolve();
        }
        return;
      }
      let lost: Set<number>;
      try {
        lost = await this.lostShards([...fences.values()]);
      } catch (error) {
        for (const p of pieces) fail(p.submission, error);
        return;
      }
      for (const shard of lost) this.options.onShardLost?.(shard);
      for (const p of pieces) {
        if (lost.has(p.submission.fence.shard))
          fail(p.submission, new ShardLostError(p.submission.fence.shard));
      }
      pieces = pieces.filter((p) => !p.submission.failed);
      if (lost.size === 0) {
        // Every fence still reads as ours, so the compare raced a claim that came and went:
        // fail these writes (retriable for the client) rather than loop.
        for (const p of pieces) fail(p.submission, new Error('group write conflicted; retry'));
        return;
      }
    }
  }

  private async lostShards(fences: readonly ShardFence[]): Promise<Set<number>> {
    const lost = new Set<number>();
    await Promise.all(
      fences.map(async (f) => {
        const kv = await this.store.get(f.ownerKey);
        if (kv?.createRevision !== f.createRevision) lost.add(f.shard);
      }),
    );
    return lost;
  }
}

function fail(s: Submission, error: unknown): void {
  if (s.failed) return;
  s.failed = true;
  s.reject(error);
}

/** Packs the batch into transactions in order: ≤ MAX_TXN_OPS ops and compares each. */
function plan(batch: readonly Submission[]): PlannedTxn[] {
  const txns: PlannedTxn[] = [];
  let current: PlannedTxn | undefined;
  const open = (): PlannedTxn => {
    current = { fences: new Map(), pieces: [], keys: new Set(), prefixes: [], opCount: 0 };
    txns.push(current);
    return current;
  };
  for (const s of batch) {
    for (let i = 0; i < s.ops.length; i += MAX_TXN_OPS) {
      const ops = s.ops.slice(i, i + MAX_TXN_OPS);
      let txn = current ?? open();
      const newFence = txn.fences.has(s.fence.shard) ? 0 : 1;
      if (
        txn.opCount + ops.length > MAX_TXN_OPS ||
        txn.fences.size + newFence > MAX_TXN_OPS ||
        ops.some((op) => conflicts(txn, op))
      ) {
        txn = open();
      }
      txn.fences.set(s.fence.shard, s.fence);
      txn.pieces.push({ submission: s, ops });
      txn.opCount += ops.length;
      for (const op of ops) {
        if (op.type === 'deletePrefix') txn.prefixes.push(op.prefix);
        else txn.keys.add(op.key);
      }
      s.remaining++;
    }
  }
  return txns;
}

function conflicts(txn: PlannedTxn, op: GroupOp): boolean {
  if (op.type === 'deletePrefix') {
    for (const k of txn.keys) if (k.startsWith(op.prefix)) return true;
    return txn.prefixes.some((p) => p.startsWith(op.prefix) || op.prefix.startsWith(p));
  }
  return txn.keys.has(op.key) || txn.prefixes.some((p) => op.key.startsWith(p));
}
