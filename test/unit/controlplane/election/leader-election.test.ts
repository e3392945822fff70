/** Leader election: one leader, failover within the TTL, and the deposed leader fenced. */
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../lib/metadata/keys.js';
import {
  MemoryLease,
  MemoryMetadataStore,
} from '../../../../lib/stores/memory/memory-metadata-store.js';
import { writeAssignments } from '../../../../controlplane/src/assignment/write-assignments.js';
import {
  LeaderElection,
  type ElectionEvent,
} from '../../../../controlplane/src/election/leader-election.js';
import { decodeLeaderRecord } from '../../../../lib/metadata/leader-record.js';
import { waitFor } from '../helpers.js';

const elections: LeaderElection[] = [];
afterEach(async () => {
  for (const e of elections.splice(0)) await e.stop();
});

function replica(store: MemoryMetadataStore, id: string, ttl = 2): LeaderElection {
  const e = new LeaderElection(store, {
    replicaId: id,
    leaseTtlSeconds: ttl,
    recampaignDelayMs: 200,
  });
  elections.push(e);
  return e;
}

describe('LeaderElection', () => {
  it('elects one replica; a revoked lease hands leadership over and fences the old leader', async () => {
    const store = new MemoryMetadataStore();
    const a = replica(store, 'a');
    const b = replica(store, 'b');
    const events: ElectionEvent[] = [];
    a.on((e) => events.push(e));
    await a.start();
    await b.start();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    const leaderKv = await store.get(keys.controlplaneLeader());
    expect(leaderKv?.createRevision).toBe(a.leaderRevision);
    expect(decodeLeaderRecord('k', leaderKv?.value ?? new Uint8Array()).replicaId).toBe('a');
    const oldFence = a.fence();
    if (oldFence === undefined) throw new Error('a should lead');

    const started = Date.now();
    await a.lease?.revoke();
    await waitFor('b to lead', () => b.isLeader, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(a.isLeader).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['elected', 'deposed']);

    // The deposed leader's fenced write fails its compare.
    const result = await writeAssignments(
      store,
      {
        puts: [{ topicId: 'T', partition: 0, node: 's1' }],
        deletes: [{ topicId: 'T', partition: 1 }],
        unpins: [],
      },
      oldFence,
      new Map([['T', { name: 't', createRevision: 0 }]]),
    );
    expect(result).toMatchObject({ ok: false, reason: 'fenced' });
    // ...while the new leader's passes it.
    const fresh = b.fence();
    if (fresh === undefined) throw new Error('b should lead');
    expect(
      (
        await writeAssignments(
          store,
          { puts: [], deletes: [{ topicId: 'T', partition: 1 }], unpins: [] },
          fresh,
          new Map(),
        )
      ).ok,
    ).toBe(true);

    // a campaigns again and stays a standby.
    await new Promise((r) => setTimeout(r, 400));
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
  });

  it('a standby takes over within the TTL when the leader dies without a word', async () => {
    const store = new MemoryMetadataStore();
    const a = replica(store, 'a', 1);
    const b = replica(store, 'b', 1);
    await a.start();
    await b.start();
    const lease = a.lease;
    if (!(lease instanceof MemoryLease)) throw new Error('expected a memory lease');
    const started = Date.now();
    lease.stopKeepAlive();
    await waitFor('b to lead', () => b.isLeader, 3000);
    expect(Date.now() - started).toBeLessThan(1000 + 500);
  });

  it('resigns on stop so that another replica leads at once', async () => {
    const store = new MemoryMetadataStore();
    const a = replica(store, 'a');
    const b = replica(store, 'b');
    await a.start();
    await b.start();
    await a.stop();
    await waitFor('b to lead', () => b.isLeader, 1000);
  });
});
