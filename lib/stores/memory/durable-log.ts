/**
 * The durable side of the in-process store (embedded dev mode): an append-only log of
 * committed revisions plus a snapshot, both in one directory.
 *
 * - `append` resolves only after the record is fsynced; records that arrive while a sync is
 *   running (or in the same tick) share the next write and sync (group commit).
 * - When the log outgrows `compactBytes`, the whole state is written to `snapshot.tmp`,
 *   fsynced, renamed over `snapshot` (and the directory fsynced), and the log is truncated.
 *   Replay skips log records at or below the snapshot's revision, so a crash between the
 *   rename and the truncation is harmless.
 */
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyValue } from '../metadata-store.js';
import {
  MetadataLogCorruptError,
  changeFromJson,
  changeToJson,
  frameRecord,
  readRecords,
  snapshotFromJson,
  snapshotToJson,
} from './log-codec.js';
import type { RevisionChange } from './memory-state.js';

export const LOG_FILE = 'metadata.log';
export const SNAPSHOT_FILE = 'metadata.snapshot';

export interface RecoveredState {
  readonly snapshot: { readonly revision: number; readonly kvs: KeyValue[] } | undefined;
  /** Logged changes after the snapshot, in revision order. */
  readonly changes: RevisionChange[];
  readonly tornTail: boolean;
}

interface Pending {
  readonly buf: Buffer;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

async function isMissing(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return undefined;
    throw e;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class DurableLog {
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private syncs = 0;

  private constructor(
    private readonly dir: string,
    private readonly fh: FileHandle,
    private size: number,
    private readonly compactBytes: number,
    private readonly snapshotOf: () => { revision: number; kvs: KeyValue[] },
  ) {}

  /** Reads the directory (creating it when absent) and opens the log for appending. */
  static async open(
    dir: string,
    compactBytes: number,
    snapshotOf: () => { revision: number; kvs: KeyValue[] },
  ): Promise<{ log: DurableLog; recovered: RecoveredState }> {
    await mkdir(dir, { recursive: true });
    await rm(join(dir, `${SNAPSHOT_FILE}.tmp`), { force: true });
    const snapshotPath = join(dir, SNAPSHOT_FILE);
    const logPath = join(dir, LOG_FILE);

    let snapshot: RecoveredState['snapshot'];
    const snapData = await isMissing(snapshotPath);
    if (snapData !== undefined) {
      const read = readRecords(snapshotPath, snapData);
      const first = read.records[0];
      if (read.tornTail || read.records.length !== 1 || first === undefined) {
        throw new MetadataLogCorruptError(snapshotPath, read.validBytes, 'incomplete snapshot');
      }
      snapshot = snapshotFromJson(first.payload);
      if (snapshot === undefined) {
        throw new MetadataLogCorruptError(snapshotPath, 0, 'malformed snapshot');
      }
    }

    const changes: RevisionChange[] = [];
    const logData = (await isMissing(logPath)) ?? Buffer.alloc(0);
    const read = readRecords(logPath, logData);
    let last = snapshot?.revision ?? 0;
    for (const { offset, payload } of read.records) {
      const change = changeFromJson(payload);
      if (change === undefined) throw new MetadataLogCorruptError(logPath, offset, 'bad record');
      if (change.revision <= last) continue;
      if (change.revision !== last + 1) {
        throw new MetadataLogCorruptError(
          logPath,
          offset,
          `revision ${change.revision} does not follow ${last}`,
        );
      }
      changes.push(change);
      last = change.revision;
    }

    const fh = await open(logPath, 'a');
    if (read.tornTail) {
      await fh.truncate(read.validBytes);
      await fh.sync();
    }
    const log = new DurableLog(dir, fh, read.validBytes, compactBytes, snapshotOf);
    return { log, recovered: { snapshot, changes, tornTail: read.tornTail } };
  }

  /** How many fsyncs of the log have completed (to observe group commit). */
  get syncCount(): number {
    return this.syncs;
  }

  /** Resolves once `change` is on disk. */
  append(change: RevisionChange): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('metadata log is closed'));
    const buf = frameRecord(changeToJson(change));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ buf, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      // Let the transactions of this tick join the first write.
      await new Promise<void>((r) => setImmediate(r));
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          if (this.failure !== undefined) throw this.failure;
          await this.fh.writev(batch.map((p) => p.buf));
          await this.fh.datasync();
          this.syncs++;
          for (const p of batch) this.size += p.buf.length;
          if (this.size > this.compactBytes) await this.compact();
        } catch (e) {
          this.failure ??= e instanceof Error ? e : new Error(String(e));
          for (const p of batch) p.reject(this.failure);
          continue;
        }
        for (const p of batch) p.resolve();
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Writes the current state as the snapshot and empties the log. */
  private async compact(): Promise<void> {
    const { revision, kvs } = this.snapshotOf();
    const tmp = join(this.dir, `${SNAPSHOT_FILE}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(frameRecord(snapshotToJson(revision, kvs)));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.dir, SNAPSHOT_FILE));
    await fsyncDir(this.dir);
    await this.fh.truncate(0);
    await this.fh.sync();
    this.size = 0;
  }

  /** Waits for pending records, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    await this.fh.close();
  }
}
