import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableLog, LOG_FILE, SNAPSHOT_FILE } from '../../lib/stores/memory/durable-log.js';
import {
  MemoryMetadataStore,
  MetadataLogCorruptError,
} from '../../lib/stores/memory/memory-metadata-store.js';
import type { TxnOp } from '../../lib/stores/metadata-store.js';
import { metadataStoreContract } from './metadata-store.contract.js';

const enc = new TextEncoder();
const put = (key: string, value: string, lease?: string): TxnOp =>
  lease === undefined
    ? { type: 'put', key, value: enc.encode(value) }
    : { type: 'put', key, value: enc.encode(value), lease };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

metadataStoreContract('memory', () => {
  const store = new MemoryMetadataStore();
  return Promise.resolve({ store, cleanup: () => store.close() });
});

metadataStoreContract('memory, durable (dir)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kafscale-meta-'));
  const store = await MemoryMetadataStore.open({ dir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('MemoryMetadataStore durability', () => {
  const dirs: string[] = [];
  const newDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'kafscale-meta-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('finds every acknowledged transaction after a crash (no close) and reopen', async () => {
    const dir = await newDir();
    const a = await MemoryMetadataStore.open({ dir });
    await a.txn([], [put('/t/a', '1'), put('/t/b', '2')]);
    const last = await Promise.all(
      Array.from({ length: 30 }, (_, i) => a.txn([], [put(`/t/c${i}`, String(i))])),
    );
    await a.txn([], [put('/t/a', '3')]);
    const expected = await a.list('/');
    // "Crash": open a second store on the files while the first never flushed or closed.
    const b = await MemoryMetadataStore.open({ dir });
    const got = await b.list('/');
    expect(got.revision).toBe(expected.revision);
    expect(got.kvs).toEqual(expected.kvs);
    expect((await b.get('/t/a'))?.version).toBe(2);
    expect(Math.max(...last.map((r) => r.revision))).toBeLessThan(got.revision);
    const next = await b.txn([], [put('/t/d', 'x')]);
    expect(next.revision).toBe(got.revision + 1);
    await b.close();
    await a.close();
  });

  it('replays history so a watch can start before the restart', async () => {
    const dir = await newDir();
    const a = await MemoryMetadataStore.open({ dir });
    const r1 = await a.txn([], [put('/h/1', 'a')]);
    await a.txn([], [put('/h/2', 'b')]);
    await a.close();
    const b = await MemoryMetadataStore.open({ dir });
    const revisions: number[] = [];
    await b.watch('/h/', { fromRevision: r1.revision, onEvents: (_, r) => revisions.push(r) });
    await sleep(50);
    expect(revisions).toEqual([r1.revision, r1.revision + 1]);
    await b.close();
  });

  it('ignores a torn last record and keeps appending after it', async () => {
    const dir = await newDir();
    const a = await MemoryMetadataStore.open({ dir });
    await a.txn([], [put('/t/a', '1')]);
    await a.txn([], [put('/t/b', '2')]);
    await a.close();
    const logPath = join(dir, LOG_FILE);
    const good = (await stat(logPath)).size;
    // A record header that promises 100 bytes, followed by only 10 of them.
    const torn = Buffer.alloc(18);
    torn.writeUInt32BE(100, 0);
    await appendFile(logPath, torn);

    const b = await MemoryMetadataStore.open({ dir });
    expect((await b.list('/t/')).kvs.map((kv) => kv.key)).toEqual(['/t/a', '/t/b']);
    expect((await stat(logPath)).size).toBe(good); // the torn tail was cut off
    await b.txn([], [put('/t/c', '3')]);
    await b.close();

    // A whole last record with a bad checksum is also a torn write.
    const data = await readFile(logPath);
    const last = data.length - 3;
    data[last] = (data[last] ?? 0) ^ 0xff;
    await writeFile(logPath, data);
    const c = await MemoryMetadataStore.open({ dir });
    expect((await c.list('/t/')).kvs.map((kv) => kv.key)).toEqual(['/t/a', '/t/b']);
    await c.close();
  });

  it('refuses a log that is corrupt before its last record, naming file and offset', async () => {
    const dir = await newDir();
    const a = await MemoryMetadataStore.open({ dir });
    await a.txn([], [put('/t/a', '1')]);
    await a.txn([], [put('/t/b', '2')]);
    await a.close();
    const logPath = join(dir, LOG_FILE);
    const data = await readFile(logPath);
    data[10] = (data[10] ?? 0) ^ 0xff; // inside the first record's payload
    await writeFile(logPath, data);
    const err: unknown = await MemoryMetadataStore.open({ dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetadataLogCorruptError);
    expect(String(err)).toContain(logPath);
    expect(String(err)).toContain('offset 0');
  });

  it('deletes keys attached to leases when it reopens', async () => {
    const dir = await newDir();
    const a = await MemoryMetadataStore.open({ dir });
    const lease = await a.grantLease(60);
    await a.txn([], [put('/l/owned', 'x', lease.id), put('/l/plain', 'y')]);
    const before = await a.list('/');
    await a.close();
    const b = await MemoryMetadataStore.open({ dir });
    const after = await b.list('/');
    expect(after.kvs.map((kv) => kv.key)).toEqual(['/l/plain']);
    expect(after.revision).toBe(before.revision + 1);
    await b.close();
    const c = await MemoryMetadataStore.open({ dir });
    expect((await c.list('/')).revision).toBe(after.revision);
    await c.close();
  });

  it('compacts the log into a snapshot and reopens from it', async () => {
    const dir = await newDir();
    const a = await MemoryMetadataStore.open({ dir, compactBytes: 4_096 });
    for (let i = 0; i < 200; i++) await a.txn([], [put(`/s/${i % 50}`, 'v'.repeat(100))]);
    const expected = await a.list('/');
    await a.close();
    expect(await readdir(dir)).toContain(SNAPSHOT_FILE);
    expect((await stat(join(dir, LOG_FILE))).size).toBeLessThan(4_096 + 1_024);
    const b = await MemoryMetadataStore.open({ dir, compactBytes: 4_096 });
    const got = await b.list('/');
    expect(got).toEqual(expected);
    expect((await b.get('/s/0'))?.version).toBe(4);
    const errors: Error[] = [];
    await b.watch('/', {
      fromRevision: 1,
      onEvents: () => undefined,
      onError: (e) => errors.push(e),
    });
    await sleep(50);
    expect(errors).toHaveLength(1); // before the snapshot: no history
    await b.close();
  });

  it('batches concurrent transactions into shared fsyncs', async () => {
    const dir = await newDir();
    const a = await MemoryMetadataStore.open({ dir });
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => a.txn([], [put(`/g/${i}`, 'x')])),
    );
    const elapsed = Date.now() - started;
    expect(new Set(results.map((r) => r.revision)).size).toBe(500);
    expect(elapsed).toBeLessThan(5_000);
    await a.close();
  });

  it('group-commits records that arrive together into one fsync', async () => {
    const dir = await newDir();
    const { log } = await DurableLog.open(dir, 1 << 30, () => ({ revision: 0, kvs: [] }));
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        log.append({
          revision: i + 1,
          events: [{ type: 'delete', key: `/k${i}`, modRevision: i + 1 }],
        }),
      ),
    );
    expect(log.syncCount).toBe(1);
    await log.append({ revision: 101, events: [{ type: 'delete', key: '/x', modRevision: 101 }] });
    expect(log.syncCount).toBe(2);
    await log.close();
    const reopened = await DurableLog.open(dir, 1 << 30, () => ({ revision: 0, kvs: [] }));
    expect(reopened.recovered.changes).toHaveLength(101);
    await reopened.log.close();
  });
});

describe('MemoryMetadataStore history', () => {
  it('calls onError for a watch older than the kept history', async () => {
    const store = new MemoryMetadataStore({ historyRevisions: 10 });
    for (let i = 0; i < 20; i++) await store.txn([], [put(`/k/${i}`, 'x')]);
    const errors: Error[] = [];
    const events: number[] = [];
    await store.watch('/', {
      fromRevision: 5,
      onEvents: (_, r) => events.push(r),
      onError: (e) => errors.push(e),
    });
    await store.watch('/', { fromRevision: 15, onEvents: (_, r) => events.push(r) });
    await sleep(50);
    expect(errors).toHaveLength(1);
    expect(events).toEqual([15, 16, 17, 18, 19, 20]);
    await store.close();
  });
});
