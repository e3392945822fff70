/**
 * The one contract suite of the MetadataStore port (lib/stores/metadata-store.ts): every
 * guarantee of the port's doc comment, checked the same way against every adapter.
 *
 * `open` must give a store over fresh or shared state; tests use a unique key prefix each,
 * and compare revisions relative to what they observe, so adapters over a shared server
 * (etcd) pass too. To make a lease expire, the suite needs a holder that stops keeping it
 * alive: each adapter's Lease offers a `stopKeepAlive()` test hook (not part of the port).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_TXN_OPS,
  TooManyOpsError,
  type Lease,
  type MetadataStore,
  type TxnOp,
  type WatchEvent,
} from '../../lib/stores/metadata-store.js';

export interface ContractSubject {
  store: MetadataStore;
  cleanup(): Promise<void>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : dec.decode(b);
const put = (key: string, value: string, lease?: string): TxnOp =>
  lease === undefined
    ? { type: 'put', key, value: bytes(value) }
    : { type: 'put', key, value: bytes(value), lease };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The adapters' test hook: behave like a holder that died (no revoke, no keep-alive). */
export function stopKeepAlive(lease: Lease): void {
  const hook: unknown = 'stopKeepAlive' in lease ? lease.stopKeepAlive : undefined;
  if (typeof hook !== 'function') throw new Error('this adapter has no stopKeepAlive() hook');
  Reflect.apply(hook, lease, []);
}

interface Delivery {
  revision: number;
  events: readonly WatchEvent[];
}

function eventKey(e: WatchEvent): string {
  return e.type === 'put' ? e.kv.key : e.key;
}

function eventRevision(e: WatchEvent): number {
  return e.type === 'put' ? e.kv.modRevision : e.modRevision;
}

export function metadataStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: MetadataStore;
    let p: string; // this test's key prefix

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      p = `/contract/${randomUUID()}/`;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    describe('revisions and versions', () => {
      it('counts versions per key and revisions globally', async () => {
        const r1 = await store.txn([], [put(`${p}a`, 'one')]);
        expect(r1.succeeded).toBe(true);
        const a1 = await store.get(`${p}a`);
        expect(a1).toMatchObject({
          key: `${p}a`,
          createRevision: r1.revision,
          modRevision: r1.revision,
          version: 1,
          lease: undefined,
        });
        expect(text(a1?.value)).toBe('one');

        const r2 = await store.txn([], [put(`${p}a`, 'two')]);
        expect(r2.revision).toBe(r1.revision + 1);
        expect(await store.get(`${p}a`)).toMatchObject({
          createRevision: r1.revision,
          modRevision: r2.revision,
          version: 2,
        });

        const r3 = await store.txn([], [{ type: 'delete', key: `${p}a` }]);
        expect(r3.revision).toBe(r2.revision + 1);
        expect(await store.get(`${p}a`)).toBeUndefined();

        const r4 = await store.txn([], [put(`${p}a`, 'again')]);
        expect(await store.get(`${p}a`)).toMatchObject({
          createRevision: r4.revision,
          modRevision: r4.revision,
          version: 1,
        });
      });

      it('gives a multi-op transaction one revision', async () => {
        const r = await store.txn(
          [],
          [put(`${p}x`, '1'), put(`${p}y`, '2'), { type: 'delete', key: `${p}none` }],
        );
        const x = await store.get(`${p}x`);
        const y = await store.get(`${p}y`);
        expect(x?.modRevision).toBe(r.revision);
        expect(y?.modRevision).toBe(r.revision);
        const listed = await store.list(p);
        expect(listed.revision).toBeGreaterThanOrEqual(r.revision);
      });

      it('leaves the revision unchanged when a transaction writes nothing', async () => {
        const before = await store.txn([], [put(`${p}k`, 'v')]);
        const r = await store.txn([], [{ type: 'delete', key: `${p}absent` }]);
        expect(r.succeeded).toBe(true);
        // Nothing was written: the revision is the store's current one, not a new one.
        const listed = await store.list(p);
        expect(r.revision).toBe(listed.revision);
        expect((await store.get(`${p}k`))?.modRevision).toBe(before.revision);
      });

      it('reads a missing key as undefined', async () => {
        expect(await store.get(`${p}missing`)).toBeUndefined();
      });
    });

    describe('compares', () => {
      it('treats an absent key as version, createRevision and modRevision 0', async () => {
        const k = `${p}absent`;
        for (const target of ['version', 'createRevision', 'modRevision'] as const) {
          const eq = await store.txn([{ key: k, target, op: '=', value: 0 }], []);
          expect(eq.succeeded, `${target} = 0`).toBe(true);
          const gt = await store.txn([{ key: k, target, op: '>', value: 0 }], []);
          expect(gt.succeeded, `${target} > 0`).toBe(false);
          const lt = await store.txn([{ key: k, target, op: '<', value: 1 }], []);
          expect(lt.succeeded, `${target} < 1`).toBe(true);
          const ne = await store.txn([{ key: k, target, op: '!=', value: 0 }], []);
          expect(ne.succeeded, `${target} != 0`).toBe(false);
        }
      });

      it('compares versions, revisions and values of a present key', async () => {
        const k = `${p}k`;
        const r = await store.txn([], [put(k, 'v1')]);
        await store.txn([], [put(k, 'v2')]);
        const cases = [
          { c: { key: k, target: 'version', op: '=', value: 2 } as const, want: true },
          { c: { key: k, target: 'version', op: '<', value: 2 } as const, want: false },
          {
            c: { key: k, target: 'createRevision', op: '=', value: r.revision } as const,
            want: true,
          },
          { c: { key: k, target: 'modRevision', op: '>', value: r.revision } as const, want: true },
          {
            c: { key: k, target: 'modRevision', op: '!=', value: r.revision } as const,
            want: true,
          },
          { c: { key: k, target: 'value', op: '=', value: bytes('v2') } as const, want: true },
          { c: { key: k, target: 'value', op: '!=', value: bytes('v2') } as const, want: false },
          { c: { key: k, target: 'value', op: '=', value: bytes('v1') } as const, want: false },
        ];
        for (const { c, want } of cases) {
          const res = await store.txn([c], []);
          expect(res.succeeded, JSON.stringify({ ...c, value: String(c.value) })).toBe(want);
        }
      });

      it('requires every compare to hold', async () => {
        await store.txn([], [put(`${p}a`, '1')]);
        const res = await store.txn(
          [
            { key: `${p}a`, target: 'version', op: '=', value: 1 },
            { key: `${p}b`, target: 'version', op: '>', value: 0 },
          ],
          [put(`${p}c`, 'yes')],
        );
        expect(res.succeeded).toBe(false);
        expect(await store.get(`${p}c`)).toBeUndefined();
      });

      it('lets exactly one of N concurrent compare-and-swaps win', async () => {
        const k = `${p}cas`;
        const base = await store.txn([], [put(k, 'base')]);
        const n = 20;
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            store.txn(
              [{ key: k, target: 'modRevision', op: '=', value: base.revision }],
              [put(k, `writer-${i}`)],
            ),
          ),
        );
        const winners = results.flatMap((r, i) => (r.succeeded ? [i] : []));
        expect(winners).toHaveLength(1);
        const final = await store.get(k);
        expect(text(final?.value)).toBe(`writer-${winners[0] ?? -1}`);
        expect(final?.version).toBe(2);
      });

      it('lets exactly one of N concurrent creators win (version = 0)', async () => {
        const k = `${p}create`;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.txn([{ key: k, target: 'version', op: '=', value: 0 }], [put(k, `c-${i}`)]),
          ),
        );
        expect(results.filter((r) => r.succeeded)).toHaveLength(1);
        expect((await store.get(k))?.version).toBe(1);
      });
    });

    describe('transactions', () => {
      it('applies the failure branch, and only it, when a compare fails', async () => {
        await store.txn([], [put(`${p}guard`, 'g')]);
        const before = await store.list(p);
        const res = await store.txn(
          [{ key: `${p}guard`, target: 'version', op: '=', value: 5 }],
          [put(`${p}s1`, 's'), put(`${p}s2`, 's')],
          [put(`${p}f1`, 'f'), { type: 'delete', key: `${p}guard` }],
        );
        expect(res.succeeded).toBe(false);
        expect(res.revision).toBe(before.revision + 1);
        expect(await store.get(`${p}s1`)).toBeUndefined();
        expect(await store.get(`${p}s2`)).toBeUndefined();
        expect(await store.get(`${p}guard`)).toBeUndefined();
        expect((await store.get(`${p}f1`))?.modRevision).toBe(res.revision);
      });

      it(`refuses more than MAX_TXN_OPS (${MAX_TXN_OPS}) ops and applies nothing`, async () => {
        const before = await store.txn([], [put(`${p}marker`, 'm')]);
        const ops = Array.from({ length: MAX_TXN_OPS + 1 }, (_, i) => put(`${p}k${i}`, 'v'));
        await expect(store.txn([], ops)).rejects.toBeInstanceOf(TooManyOpsError);
        await expect(store.txn([], [], ops)).rejects.toBeInstanceOf(TooManyOpsError);
        const listed = await store.list(p);
        expect(listed.kvs.map((kv) => kv.key)).toEqual([`${p}marker`]);
        expect(listed.revision).toBe(before.revision);

        const ok = await store.txn([], ops.slice(0, MAX_TXN_OPS));
        expect(ok.revision).toBe(before.revision + 1);
        expect((await store.list(p)).kvs).toHaveLength(MAX_TXN_OPS + 1);
      });

      it('refuses a transaction that writes one key twice (as etcd does)', async () => {
        const k = `${p}dup`;
        await expect(store.txn([], [put(k, '1'), put(k, '2')])).rejects.toThrow(/duplicate/i);
        await expect(
          store.txn([], [put(k, '1'), { type: 'deletePrefix', prefix: p }]),
        ).rejects.toThrow(/duplicate/i);
        expect(await store.get(k)).toBeUndefined();
      });
    });

    describe('list and deletePrefix', () => {
      it('lists every key under a prefix in key (byte) order, across many pages', async () => {
        const n = 2_500;
        const value = 'x'.repeat(2_048); // 2,500 x 2 KiB: more than one gRPC message of 4 MiB
        const keys = Array.from({ length: n }, (_, i) => `${p}big/${String(i).padStart(5, '0')}`);
        const shuffled = [...keys].sort(() => Math.random() - 0.5);
        const txns: Promise<unknown>[] = [];
        for (let i = 0; i < shuffled.length; i += MAX_TXN_OPS) {
          txns.push(
            store.txn(
              [],
              shuffled.slice(i, i + MAX_TXN_OPS).map((k) => put(k, value)),
            ),
          );
        }
        await Promise.all(txns);
        await store.txn([], [put(`${p}bif`, 'outside'), put(`${p}bih`, 'outside')]);

        const listed = await store.list(`${p}big/`);
        expect(listed.kvs).toHaveLength(n);
        expect(listed.kvs.map((kv) => kv.key)).toEqual(keys);
        expect(listed.kvs.every((kv) => kv.value.length === value.length)).toBe(true);
      });

      it('orders keys by UTF-8 bytes (code points), not UTF-16 units', async () => {
        const keys = [`${p}a`, `${p}b`, `${p}\u00e9`, `${p}\uffee`, `${p}\u{1f600}`];
        await store.txn(
          [],
          [...keys].reverse().map((k) => put(k, 'v')),
        );
        expect((await store.list(p)).kvs.map((kv) => kv.key)).toEqual(keys);
      });

      it('lists at the current revision and returns nothing for an empty prefix range', async () => {
        const r = await store.txn([], [put(`${p}one`, '1')]);
        const listed = await store.list(`${p}nothing-here/`);
        expect(listed.kvs).toEqual([]);
        expect(listed.revision).toBeGreaterThanOrEqual(r.revision);
      });

      it('deletes a prefix in one revision and leaves its neighbours', async () => {
        await store.txn(
          [],
          [put(`${p}d/1`, '1'), put(`${p}d/2`, '2'), put(`${p}d/3/x`, '3'), put(`${p}e`, 'e')],
        );
        await store.txn([], [put(`${p}d`, 'parent')]);
        const res = await store.txn([], [{ type: 'deletePrefix', prefix: `${p}d/` }]);
        expect(res.succeeded).toBe(true);
        expect((await store.list(p)).kvs.map((kv) => kv.key)).toEqual([`${p}d`, `${p}e`]);
        const again = await store.txn([], [{ type: 'deletePrefix', prefix: `${p}d/` }]);
        expect(again.revision).toBe(res.revision); // nothing left to delete: no new revision
      });

      it('deletes a key range [from, to) in one revision and op, refusing a put inside it', async () => {
        const keys = ['r/0001', 'r/0002', 'r/0002x', 'r/0003', 'r/0004'].map((k) => `${p}${k}`);
        await store.txn(
          [],
          keys.map((k) => put(k, 'v')),
        );
        const range = { type: 'deleteRange', from: `${p}r/0002`, to: `${p}r/0004` } as const;
        await expect(store.txn([], [put(`${p}r/0003`, 'again'), range])).rejects.toThrow(
          /duplicate/i,
        );
        const res = await store.txn([], [range]);
        expect(res.succeeded).toBe(true);
        expect((await store.list(`${p}r/`)).kvs.map((kv) => kv.key)).toEqual([
          `${p}r/0001`,
          `${p}r/0004`,
        ]);
        const again = await store.txn([], [range]);
        expect(again.revision).toBe(res.revision);
      });
    });

    describe('leases', () => {
      it('keeps a lease alive, then expires it when not kept alive', async () => {
        const lease = await store.grantLease(1);
        expect(lease.ttlSeconds).toBe(1);
        let lost = 0;
        lease.onLost(() => {
          lost++;
        });
        await store.txn([], [put(`${p}owned`, 'o', lease.id), put(`${p}plain`, 'p')]);
        expect((await store.get(`${p}owned`))?.lease).toBe(lease.id);
        expect((await store.get(`${p}plain`))?.lease).toBeUndefined();

        await sleep(2_200); // more than twice the TTL: the adapter keeps it alive
        expect(await store.get(`${p}owned`)).toBeDefined();
        expect(lost).toBe(0);

        const watched: Delivery[] = [];
        const current = await store.list(p);
        const watch = await store.watch(p, {
          fromRevision: current.revision + 1,
          onEvents: (events, revision) => watched.push({ events, revision }),
        });
        stopKeepAlive(lease);
        const started = Date.now();
        await waitFor(async () => (await store.get(`${p}owned`)) === undefined, 5_000);
        const expiredAfterMs = Date.now() - started;
        expect(expiredAfterMs).toBeLessThan(5_000);
        await waitFor(() => lost > 0, 3_000);
        expect(await store.get(`${p}plain`)).toBeDefined();
        await waitFor(() => watched.length > 0, 3_000);
        expect(watched[0]?.events).toEqual([
          { type: 'delete', key: `${p}owned`, modRevision: watched[0]?.revision },
        ]);
        await sleep(100);
        expect(lost).toBe(1);
        await watch.cancel();
      });

      it('deletes every key of an expired lease in one revision', async () => {
        const lease = await store.grantLease(1);
        await store.txn([], [put(`${p}l/1`, '1', lease.id), put(`${p}l/2`, '2', lease.id)]);
        await store.txn([], [put(`${p}l/3`, '3', lease.id)]);
        const from = (await store.list(p)).revision + 1;
        const watched: Delivery[] = [];
        const watch = await store.watch(`${p}l/`, {
          fromRevision: from,
          onEvents: (events, revision) => watched.push({ events, revision }),
        });
        stopKeepAlive(lease);
        await waitFor(() => watched.length > 0, 6_000);
        await sleep(200);
        expect(watched).toHaveLength(1);
        expect(watched[0]?.events.map(eventKey).sort()).toEqual([`${p}l/1`, `${p}l/2`, `${p}l/3`]);
        await watch.cancel();
      });

      it('revokes a lease: its keys go at once and it cannot be used again', async () => {
        const lease = await store.grantLease(5);
        let lost = 0;
        lease.onLost(() => lost++);
        await store.txn([], [put(`${p}r/1`, '1', lease.id), put(`${p}r/2`, '2', lease.id)]);
        await lease.revoke();
        expect((await store.list(`${p}r/`)).kvs).toEqual([]);
        await expect(store.txn([], [put(`${p}r/3`, '3', lease.id)])).rejects.toThrow();
        expect(await store.get(`${p}r/3`)).toBeUndefined();
        await sleep(50);
        expect(lost).toBe(0); // revoked by its holder: not "lost"
      });

      it('refuses a TTL below one second', async () => {
        await expect(store.grantLease(0)).rejects.toThrow();
      });
    });

    describe('watch', () => {
      it('replays exactly the history from a past revision, then continues live', async () => {
        const r1 = await store.txn([], [put(`${p}w/a`, '1')]);
        await store.txn([], [put(`${p}other`, 'not watched')]);
        const r2 = await store.txn([], [put(`${p}w/a`, '2'), put(`${p}w/b`, '1')]);
        const r3 = await store.txn([], [{ type: 'delete', key: `${p}w/a` }]);

        const got: Delivery[] = [];
        const watch = await store.watch(`${p}w/`, {
          fromRevision: r1.revision,
          onEvents: (events, revision) => got.push({ events, revision }),
        });
        await waitFor(() => got.length >= 3, 5_000);
        const r4 = await store.txn([], [put(`${p}w/c`, 'live')]);
        await waitFor(() => got.length >= 4, 5_000);
        await sleep(100);

        expect(got.map((d) => d.revision)).toEqual([
          r1.revision,
          r2.revision,
          r3.revision,
          r4.revision,
        ]);
        expect(got[0]?.events).toMatchObject([
          { type: 'put', kv: { key: `${p}w/a`, version: 1, modRevision: r1.revision } },
        ]);
        expect(got[1]?.events).toMatchObject([
          { type: 'put', kv: { key: `${p}w/a`, version: 2, createRevision: r1.revision } },
          { type: 'put', kv: { key: `${p}w/b`, version: 1 } },
        ]);
        expect(got[2]?.events).toEqual([
          { type: 'delete', key: `${p}w/a`, modRevision: r3.revision },
        ]);
        const live = got[3]?.events[0];
        expect(live?.type === 'put' ? text(live.kv.value) : undefined).toBe('live');
        for (const d of got) for (const e of d.events) expect(eventRevision(e)).toBe(d.revision);
        await watch.cancel();
      });

      it('starts after the current revision by default', async () => {
        await store.txn([], [put(`${p}before`, 'x')]);
        const got: Delivery[] = [];
        const watch = await store.watch(p, {
          onEvents: (events, revision) => got.push({ events, revision }),
        });
        const r = await store.txn([], [put(`${p}after`, 'y')]);
        await waitFor(() => got.length >= 1, 5_000);
        await sleep(100);
        expect(got.map((d) => d.revision)).toEqual([r.revision]);
        expect(got[0]?.events.map(eventKey)).toEqual([`${p}after`]);
        await watch.cancel();
      });

      it("delivers one transaction's events together, in op order, never inside txn", async () => {
        const got: Delivery[] = [];
        const watch = await store.watch(p, {
          onEvents: (events, revision) => got.push({ events, revision }),
        });
        await store.txn([], [put(`${p}z`, '0')]);
        await waitFor(() => got.length >= 1, 5_000);
        const pending = store.txn(
          [],
          [put(`${p}m`, '1'), { type: 'delete', key: `${p}z` }, put(`${p}a`, '2')],
        );
        expect(got).toHaveLength(1); // not synchronously inside the txn call
        const r = await pending;
        await waitFor(() => got.length >= 2, 5_000);
        await sleep(100);
        expect(got).toHaveLength(2);
        expect(got[1]?.revision).toBe(r.revision);
        expect(got[1]?.events.map((e) => [e.type, eventKey(e)])).toEqual([
          ['put', `${p}m`],
          ['delete', `${p}z`],
          ['put', `${p}a`],
        ]);
        await watch.cancel();
      });

      it('delivers concurrent writes in revision order, none missing', async () => {
        const got: Delivery[] = [];
        const from = (await store.list(p)).revision + 1;
        const watch = await store.watch(p, {
          fromRevision: from,
          onEvents: (events, revision) => got.push({ events, revision }),
        });
        const n = 60;
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            store.txn([], [put(`${p}c/${i % 7}`, String(i)), put(`${p}d/${i}`, String(i))]),
          ),
        );
        await waitFor(() => got.length >= n, 10_000);
        await sleep(100);
        const revisions = got.map((d) => d.revision);
        expect(revisions).toEqual([...results.map((r) => r.revision)].sort((a, b) => a - b));
        for (const d of got) expect(d.events).toHaveLength(2);
        await watch.cancel();
      });

      it('delivers nothing after cancel', async () => {
        const got: Delivery[] = [];
        const watch = await store.watch(p, {
          onEvents: (events, revision) => got.push({ events, revision }),
        });
        await store.txn([], [put(`${p}1`, 'x')]);
        await waitFor(() => got.length >= 1, 5_000);
        await watch.cancel();
        await store.txn([], [put(`${p}2`, 'y')]);
        await sleep(300);
        expect(got).toHaveLength(1);
      });

      it('only sees keys under its prefix', async () => {
        const got: Delivery[] = [];
        const watch = await store.watch(`${p}in/`, {
          onEvents: (events, revision) => got.push({ events, revision }),
        });
        await store.txn([], [put(`${p}out`, 'x'), put(`${p}in`, 'x')]);
        const r = await store.txn([], [put(`${p}in/1`, 'y'), put(`${p}inx`, 'z')]);
        await waitFor(() => got.length >= 1, 5_000);
        await sleep(100);
        expect(got).toEqual([
          { revision: r.revision, events: [expect.objectContaining({ type: 'put' })] },
        ]);
        expect(got[0]?.events.map(eventKey)).toEqual([`${p}in/1`]);
        await watch.cancel();
      });

      it('reports onError when the store closes', async () => {
        const errors: Error[] = [];
        await store.watch(p, {
          onEvents: () => undefined,
          onError: (e) => errors.push(e),
        });
        await store.close();
        await waitFor(() => errors.length > 0, 3_000);
        expect(errors).toHaveLength(1);
      });
    });
  });
}
