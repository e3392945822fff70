import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderElection } from '../../../../controlplane/src/election/leader-election.js';
import { leaderMetrics } from '../../../../controlplane/src/election/leader-metrics.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { sample } from '../../../support/scrape-metrics.js';
import { waitFor } from '../helpers.js';

const elections: LeaderElection[] = [];
afterEach(async () => {
  for (const e of elections.splice(0)) await e.stop();
});

function replica(store: MemoryMetadataStore, id: string): LeaderElection {
  const e = new LeaderElection(store, {
    replicaId: id,
    leaseTtlSeconds: 2,
    recampaignDelayMs: 200,
  });
  elections.push(e);
  return e;
}

describe('controlplane leader metrics', () => {
  it('say which replica leads, and follow a failover', async () => {
    const store = new MemoryMetadataStore();
    // One registry per replica, as each replica is its own process.
    const [ra, rb] = [new Registry(), new Registry()];
    const a = replica(store, 'a');
    const b = replica(store, 'b');
    leaderMetrics(ra).track(a);
    expect(sample(await ra.metrics(), 'kafscale_controlplane_leader')).toBe(0);
    await a.start();
    await b.start();
    leaderMetrics(rb).track(b); // tracked after its start: its state is read at once
    const leaders = async () => [
      sample(await ra.metrics(), 'kafscale_controlplane_leader'),
      sample(await rb.metrics(), 'kafscale_controlplane_leader'),
    ];
    expect(await leaders()).toEqual([1, 0]);

    await a.lease?.revoke();
    await waitFor('b to lead', () => b.isLeader, 2000);
    expect(await leaders()).toEqual([0, 1]);
    const text = await ra.metrics();
    expect(sample(text, 'kafscale_controlplane_leader_changes_total', { event: 'elected' })).toBe(
      1,
    );
    expect(sample(text, 'kafscale_controlplane_leader_changes_total', { event: 'deposed' })).toBe(
      1,
    );
  });

  it('counts an election tracked while it leads, and an untracked one as not leading', async () => {
    const registry = new Registry();
    const e = replica(new MemoryMetadataStore(), 'solo');
    await e.start();
    const untrack = leaderMetrics(registry).track(e);
    const text = await registry.metrics();
    expect(sample(text, 'kafscale_controlplane_leader')).toBe(1);
    // Tracked while leading: that election counts.
    expect(sample(text, 'kafscale_controlplane_leader_changes_total', { event: 'elected' })).toBe(
      1,
    );
    untrack();
    expect(sample(await registry.metrics(), 'kafscale_controlplane_leader')).toBe(0);
    expect(leaderMetrics(registry)).toBe(leaderMetrics(registry));
  });
});
