/**
 * The operator's work queue: a key added many times is reconciled once per round, never
 * twice at once, once more when added while running, and again after a failure.
 */
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../../lib/operator/work-queue.js';

function deferred() {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('WorkQueue', () => {
  it('runs a key added many times once, and again once if added while it runs', async () => {
    const runs: string[] = [];
    let running = 0;
    let most = 0;
    const gate = deferred();
    const queue = new WorkQueue(
      async (key) => {
        runs.push(key);
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return { retry: false };
      },
      () => undefined,
    );
    queue.add('a');
    queue.add('a');
    queue.add('b');
    await tick();
    expect(runs).toEqual(['a', 'b']);
    queue.add('a');
    queue.add('a');
    await tick();
    expect(runs).toEqual(['a', 'b']);
    gate.release();
    await tick();
    expect(runs).toEqual(['a', 'b', 'a']);
    expect(most).toBe(2);
    queue.stop();
  });

  it('runs at most `concurrency` keys at once', async () => {
    let running = 0;
    let most = 0;
    const queue = new WorkQueue(
      async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        return { retry: false };
      },
      () => undefined,
      2,
    );
    for (const k of ['a', 'b', 'c', 'd', 'e']) queue.add(k);
    await new Promise((r) => setTimeout(r, 50));
    expect(most).toBe(2);
    queue.stop();
  });

  it('retries a failed or throwing reconcile after a growing delay, and reports the error', async () => {
    const times: number[] = [];
    const errors: unknown[] = [];
    const queue = new WorkQueue(
      (key) => {
        times.push(Date.now());
        if (times.length === 1) return Promise.reject(new Error(`boom ${key}`));
        return Promise.resolve({ retry: times.length < 3 });
      },
      (_key, e) => errors.push(e),
      4,
      { first: 20, max: 1000 },
    );
    queue.add('k');
    for (let waited = 0; times.length < 3 && waited < 2000; waited += 10) await tick();
    await new Promise((r) => setTimeout(r, 50));
    // The third run succeeded: no fourth.
    expect(times).toHaveLength(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom k']);
    const [t0 = 0, t1 = 0, t2 = 0] = times;
    expect(t1 - t0).toBeGreaterThanOrEqual(18);
    expect(t2 - t1).toBeGreaterThanOrEqual(38);
    queue.stop();
  });

  it('does nothing once stopped', async () => {
    let runs = 0;
    const queue = new WorkQueue(
      () => {
        runs++;
        return Promise.resolve({ retry: true });
      },
      () => undefined,
      4,
      { first: 10, max: 10 },
    );
    queue.add('k');
    await tick();
    queue.stop();
    queue.add('k');
    await new Promise((r) => setTimeout(r, 40));
    expect(runs).toBe(1);
  });
});
