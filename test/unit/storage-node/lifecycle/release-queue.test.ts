/**
 * The release queue: an object released many times while young is looked at once, then
 * again a grace period later; a referenced object waits for its next release; a failed
 * collection is dropped for the sweep; the queue's size is bounded.
 */
import { describe, expect, it } from 'vitest';
import type { CollectVerdict } from '../../../../storage-node/src/lifecycle/object-collector.js';
import { ReleaseQueue } from '../../../../storage-node/src/lifecycle/release-queue.js';
import { silentLog } from './lifecycle-harness.js';

const GRACE_MS = 1000;

/** A collector that answers from a table and records what it was asked. */
function rig(verdicts: Record<string, CollectVerdict | Error>, maxPending?: number) {
  let now = 0;
  const asked: string[] = [];
  const collector = {
    graceMs: GRACE_MS,
    collect: (key: string): Promise<CollectVerdict> => {
      asked.push(key);
      const v = verdicts[key];
      if (v === undefined) return Promise.reject(new Error(`unexpected ${key}`));
      return v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
    },
  };
  const queue = new ReleaseQueue({
    collector,
    log: silentLog,
    now: () => now,
    ...(maxPending === undefined ? {} : { maxPending }),
  });
  return {
    queue,
    asked,
    verdicts,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ReleaseQueue', () => {
  it('looks at a young object once however often it is released, then after the grace period', async () => {
    const r = rig({ a: 'young' });
    r.queue.release(['a', 'a']);
    r.queue.release(['a']);
    await r.queue.drain();
    expect(r.asked).toEqual(['a']);
    r.queue.release(['a']);
    r.advance(GRACE_MS - 1);
    await r.queue.drain();
    expect(r.asked).toEqual(['a']);
    r.verdicts.a = 'deleted';
    r.advance(1);
    await r.queue.drain();
    expect(r.asked).toEqual(['a', 'a']);
    expect(r.queue.size).toBe(0);
    await r.queue.stop();
  });

  it('drops a referenced object until it is released again', async () => {
    const r = rig({ a: 'referenced' });
    r.queue.release(['a']);
    await r.queue.drain();
    expect(r.queue.size).toBe(0);
    r.verdicts.a = 'deleted';
    r.queue.release(['a']);
    await r.queue.drain();
    expect(r.asked).toEqual(['a', 'a']);
    await r.queue.stop();
  });

  it('drops a failed collection and goes on with the rest', async () => {
    const r = rig({ a: new Error('etcd unavailable'), b: 'deleted' });
    r.queue.release(['a', 'b']);
    await r.queue.drain();
    expect(r.asked).toEqual(['a', 'b']);
    expect(r.queue.size).toBe(0);
    await r.queue.stop();
  });

  it('holds at most maxPending objects; the rest are left to the sweep', async () => {
    const r = rig({ a: 'young', b: 'young', c: 'young' }, 2);
    r.queue.release(['a', 'b', 'c']);
    expect(r.queue.size).toBe(2);
    await r.queue.drain();
    expect(r.asked).toEqual(['a', 'b']);
    await r.queue.stop();
  });

  it('collects on its own, without a drain call, once released', async () => {
    const r = rig({ a: 'deleted' });
    r.queue.release(['a']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.asked).toEqual(['a']);
    await r.queue.stop();
  });
});
