/**
 * Hedged GETs: none before enough GETs of a size were seen; a GET slower than the learned
 * percentile gets a second one and the first answer wins, bytes intact; a failure is not
 * hedged; both failing gives the first error; each size class learns its own threshold;
 * other operations pass through.
 */
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import { ObjectStoreError, type ByteRange } from '../../../../lib/stores/object-store.js';
import {
  withHedgedGets,
  type HedgedGetOutcome,
} from '../../../../storage-node/src/read/hedged-gets.js';

/** How the n-th GET goes: answers after ms, or fails after ms. */
type GetPlan = number | { readonly failAfterMs: number; readonly error: Error };

/** A store whose n-th GET goes as `planFor(n, range)` says. */
class SlowGets extends MemoryObjectStore {
  gets = 0;
  planFor: (n: number, range?: ByteRange) => GetPlan = () => 0;
  override async get(key: string, range?: ByteRange): Promise<Buffer> {
    const plan = this.planFor(this.gets++, range);
    const ms = typeof plan === 'number' ? plan : plan.failAfterMs;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    if (typeof plan !== 'number') throw plan.error;
    return super.get(key, range);
  }
}

const settings = { quantile: 0.9, minSamples: 10, maxShare: 0.5 };
const SMALL: ByteRange = { start: 0, end: 9 };
const LARGE: ByteRange = { start: 0, end: 8 * 1024 * 1024 };
const content = Buffer.from('0123456789abcdef');

async function setUp() {
  const store = new SlowGets();
  await store.put('obj', content);
  const outcomes: HedgedGetOutcome[] = [];
  const hedged = withHedgedGets(store, { settings, onHedge: (o) => outcomes.push(o) });
  return { store, hedged, outcomes };
}

async function warm(hedged: ReturnType<typeof withHedgedGets>, range: ByteRange, n = 10) {
  for (let i = 0; i < n; i++) await hedged.get('obj', range);
}

describe('withHedgedGets', () => {
  it('does not hedge before it has seen minSamples GETs', async () => {
    const { store, hedged, outcomes } = await setUp();
    store.planFor = () => 40;
    expect((await hedged.get('obj', SMALL)).toString()).toBe('0123456789');
    expect(store.gets).toBe(1);
    expect(outcomes).toEqual([]);
  });

  it('hedges a slow GET; the hedge answers first with the same bytes', async () => {
    const { store, hedged, outcomes } = await setUp();
    await warm(hedged, SMALL);
    const slow = store.gets;
    store.planFor = (n) => (n === slow ? 300 : 0);
    expect((await hedged.get('obj', { start: 2, end: 5 })).toString()).toBe('2345');
    expect(store.gets).toBe(slow + 2);
    expect(outcomes).toEqual(['won']);
  });

  it('keeps the first answer when it comes before the hedge', async () => {
    const { store, hedged, outcomes } = await setUp();
    await warm(hedged, SMALL);
    const first = store.gets;
    store.planFor = (n) => (n === first ? 40 : 400);
    expect((await hedged.get('obj', SMALL)).toString()).toBe('0123456789');
    expect(store.gets).toBe(first + 2);
    expect(outcomes).toEqual(['lost']);
  });

  it('does not hedge a GET that fails before it is due a hedge', async () => {
    const { store, hedged, outcomes } = await setUp();
    store.planFor = () => 30;
    await warm(hedged, SMALL);
    const at = store.gets;
    const error = new ObjectStoreError('fast failure', true);
    store.planFor = () => ({ failAfterMs: 0, error });
    await expect(hedged.get('obj', SMALL)).rejects.toBe(error);
    expect(store.gets).toBe(at + 1);
    expect(outcomes).toEqual([]);
  });

  it('gives the first error when the GET and its hedge both fail', async () => {
    const { store, hedged } = await setUp();
    await warm(hedged, SMALL);
    const at = store.gets;
    const first = new ObjectStoreError('first GET failed', true);
    const second = new ObjectStoreError('hedge failed', true);
    store.planFor = (n) =>
      n === at ? { failAfterMs: 200, error: first } : { failAfterMs: 0, error: second };
    await expect(hedged.get('obj', SMALL)).rejects.toBe(first);
    expect(store.gets).toBe(at + 2);
  });

  it('learns a threshold per size class: slow large reads do not hide a slow small one', async () => {
    const { store, hedged, outcomes } = await setUp();
    store.planFor = (_n, range) => (range === LARGE ? 150 : 0);
    await warm(hedged, LARGE);
    await warm(hedged, SMALL);
    const slowSmall = store.gets;
    store.planFor = (n) => (n === slowSmall ? 100 : 0);
    await hedged.get('obj', SMALL);
    expect(outcomes).toEqual(['won']);
  });

  it('passes the other operations through', async () => {
    const { store, hedged } = await setUp();
    await hedged.put('other', Buffer.from('x'));
    expect((await hedged.head('other'))?.size).toBe(1);
    expect((await hedged.list('')).objects.map((o) => o.key)).toEqual(['obj', 'other']);
    await hedged.delete(['other']);
    expect(await store.head('other')).toBeUndefined();
  });
});
