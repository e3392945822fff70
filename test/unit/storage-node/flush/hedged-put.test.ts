/**
 * Hedged flush PUTs: none before enough PUTs were seen; a PUT slower than the learned
 * percentile is hedged to a second key and the first to land wins, the other is deleted
 * once it lands; a failure is not hedged; the share of hedged PUTs stays within its budget.
 */
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import type { PutOptions } from '../../../../lib/stores/object-store.js';
import { HedgedPuts } from '../../../../storage-node/src/flush/hedged-put.js';

/** A store whose PUTs take the time `delayFor(key)` says (and fail when it says so). */
class SlowStore extends MemoryObjectStore {
  delayFor: (key: string) => number | Error = () => 0;
  override async put(
    key: string,
    body: Uint8Array | readonly Uint8Array[],
    options?: PutOptions,
  ): Promise<void> {
    const d = this.delayFor(key);
    if (d instanceof Error) {
      await new Promise((r) => setTimeout(r, 5));
      throw d;
    }
    if (d > 0) await new Promise((r) => setTimeout(r, d));
    return super.put(key, body, options);
  }
}

const body = [Buffer.from('flush object')];
const settings = { quantile: 0.9, minSamples: 10, maxShare: 0.5 };
const keys = async (s: MemoryObjectStore) => (await s.list('')).objects.map((o) => o.key).sort();

async function warmed(store: SlowStore, hedges: HedgedPuts): Promise<void> {
  for (let i = 0; i < 10; i++) await hedges.put(`w${i}`, `w${i}-h`, body, {});
  await store.delete(await keys(store));
}

describe('HedgedPuts', () => {
  it('does not hedge before it has seen minSamples PUTs', async () => {
    const store = new SlowStore();
    const hedges = new HedgedPuts(store, settings);
    store.delayFor = () => 30;
    expect(await hedges.put('a', 'a-h', body, {})).toEqual({ key: 'a', hedge: 'none' });
    expect(hedges.hedgeDelayMs()).toBeUndefined();
  });

  it('hedges a slow PUT; the hedge wins and the slow object is deleted once it lands', async () => {
    const store = new SlowStore();
    const hedges = new HedgedPuts(store, settings);
    await warmed(store, hedges);
    expect(hedges.hedgeDelayMs()).toBeLessThan(20);
    store.delayFor = (key) => (key === 'slow' ? 200 : 0);
    expect(await hedges.put('slow', 'slow-h', body, {})).toEqual({ key: 'slow-h', hedge: 'won' });
    expect(await keys(store)).toEqual(['slow-h']);
    await new Promise((r) => setTimeout(r, 250));
    expect(await keys(store)).toEqual(['slow-h']);
  });

  it('keeps the first object when it lands before its hedge, and deletes the hedge', async () => {
    const store = new SlowStore();
    const hedges = new HedgedPuts(store, settings);
    await warmed(store, hedges);
    store.delayFor = (key) => (key === 'b' ? 40 : 200);
    expect(await hedges.put('b', 'b-h', body, {})).toEqual({ key: 'b', hedge: 'lost' });
    await new Promise((r) => setTimeout(r, 250));
    expect(await keys(store)).toEqual(['b']);
  });

  it('does not hedge a failure, and reports the first error when both fail', async () => {
    const store = new SlowStore();
    const hedges = new HedgedPuts(store, settings);
    await warmed(store, hedges);
    store.delayFor = () => new Error('503 SlowDown');
    await expect(hedges.put('c', 'c-h', body, {})).rejects.toThrow('503 SlowDown');
    expect(await keys(store)).toEqual([]);
    // Both fail (the first after its hedge started): the first PUT's error.
    store.delayFor = (key) => new Error(key === 'd' ? 'first refused' : 'hedge refused');
    await expect(hedges.put('d', 'd-h', body, {})).rejects.toThrow('first refused');
  });

  it('hedges at most maxShare of the PUTs', async () => {
    const store = new SlowStore();
    const hedges = new HedgedPuts(store, { quantile: 0.5, minSamples: 10, maxShare: 0.2 });
    await warmed(store, hedges);
    store.delayFor = (key) => (key.endsWith('-h') ? 0 : 30);
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await hedges.put(`p${i}`, `p${i}-h`, body, {}));
    const hedged = results.filter((r) => r.hedge !== 'none').length;
    expect(hedged).toBeGreaterThan(0);
    expect(hedged).toBeLessThanOrEqual(Math.ceil(0.2 * 30));
  });
});
