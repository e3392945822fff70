import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdMetadataStore } from '../../lib/stores/etcd/etcd-metadata-store.js';
import {
  MetadataStoreUnavailableError,
  type TxnOp,
  type TxnResult,
} from '../../lib/stores/metadata-store.js';
import { startEtcd, type EtcdFixture } from '../fixtures/etcd.js';
import { metadataStoreContract } from './metadata-store.contract.js';

const enc = new TextEncoder();
const put = (key: string, value: string, lease?: string): TxnOp =>
  lease === undefined
    ? { type: 'put', key, value: enc.encode(value) }
    : { type: 'put', key, value: enc.encode(value), lease };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let etcd: EtcdFixture | undefined;

function endpoints(): string[] {
  if (etcd === undefined) throw new Error('etcd fixture not started');
  return etcd.endpoints;
}

beforeAll(async () => {
  etcd = await startEtcd();
});

afterAll(async () => {
  await etcd?.stop();
});

metadataStoreContract('etcd', async () => {
  const store = await EtcdMetadataStore.connect({ endpoints: endpoints() });
  return { store, cleanup: () => store.close() };
});

describe('EtcdMetadataStore specifics', () => {
  it('reports a watch from a compacted revision through onError', async () => {
    const store = await EtcdMetadataStore.connect({ endpoints: endpoints() });
    const first = await store.txn([], [put('/compact/a', '1')]);
    const last = await store.txn([], [put('/compact/a', '2')]);
    const raw = new Etcd3({ hosts: endpoints() });
    await raw.kv.compact({ revision: last.revision, physical: true });
    raw.close();
    const errors: Error[] = [];
    await store.watch('/compact/', {
      fromRevision: first.revision,
      onEvents: () => undefined,
      onError: (e) => errors.push(e),
    });
    await sleep(200);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/compact/i);
    await store.close();
  });

  it('fails to connect with MetadataStoreUnavailableError when nothing listens', async () => {
    await expect(
      EtcdMetadataStore.connect({
        endpoints: ['http://127.0.0.1:1'],
        dialTimeoutMs: 500,
        requestTimeoutMs: 1_000,
      }),
    ).rejects.toBeInstanceOf(MetadataStoreUnavailableError);
  });
});

// Last: it freezes the shared etcd for a while.
describe('EtcdMetadataStore faults', () => {
  it('paused etcd: the lease is lost, a txn fails in bounded time or succeeds after resume', async () => {
    const fixture = etcd;
    if (fixture === undefined) throw new Error('etcd fixture not started');
    const store = await EtcdMetadataStore.connect({
      endpoints: fixture.endpoints,
      requestTimeoutMs: 2_000,
    });
    const lease = await store.grantLease(1);
    let lostAt: number | undefined;
    lease.onLost(() => {
      lostAt = Date.now();
    });
    await store.txn([], [put('/fault/owned', 'x', lease.id)]);

    const pausedAt = Date.now();
    fixture.pause();
    let outcome: TxnResult | Error | undefined;
    let settledAt: number | undefined;
    const pending = store.txn([], [put('/fault/during-pause', 'y')]).then(
      (r) => {
        outcome = r;
        settledAt = Date.now();
      },
      (e: unknown) => {
        outcome = e instanceof Error ? e : new Error(String(e));
        settledAt = Date.now();
      },
    );
    try {
      await sleep(3_000); // longer than the TTL (and than the request timeout)
    } finally {
      fixture.resume();
    }
    await Promise.race([pending, sleep(10_000)]);

    expect(lostAt, 'lease reported lost').toBeDefined();
    expect((lostAt ?? 0) - pausedAt).toBeLessThan(2_500);
    expect(settledAt, 'txn settled').toBeDefined();
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(MetadataStoreUnavailableError);
      expect((settledAt ?? 0) - pausedAt).toBeLessThan(2_000 + 1_500);
    } else {
      expect(outcome?.succeeded).toBe(true);
    }

    // After resume the store works again and the lost lease's key is gone.
    let after: TxnResult | undefined;
    for (let i = 0; i < 20 && after === undefined; i++) {
      after = await store.txn([], [put('/fault/after', 'z')]).catch(() => undefined);
      if (after === undefined) await sleep(500);
    }
    expect(after?.succeeded).toBe(true);
    for (let i = 0; i < 30 && (await store.get('/fault/owned')) !== undefined; i++)
      await sleep(200);
    expect(await store.get('/fault/owned')).toBeUndefined();
    await store.close();
  });
});
