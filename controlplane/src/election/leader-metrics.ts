/**
 * Whether this process leads the controlplane, from its LeaderElection's events, declared
 * once per injected registry:
 * - kafscale_controlplane_leader: 1 while this replica leads, else 0 (the number of tracked
 *   elections leading; one election per process in production). Summed over the replicas
 *   it is 1 in a healthy cluster; 0 means no controlplane leader.
 * - kafscale_controlplane_leader_changes_total{event}: elected | deposed, as this replica saw
 *   them, an election tracked while it leads counting as elected (a count that keeps growing
 *   is a leadership that flaps)
 *
 * Wiring: `leaderMetrics(registry).track(controlplane.election)` once it has started.
 */
import type { Registry } from 'prom-client';
import { counter, gauge, oncePerRegistry } from '../../../lib/metrics/define.js';
import type { ElectionListener } from './leader-election.js';

/** What the metrics read from an election (LeaderElection has both). */
export interface TrackedElection {
  readonly isLeader: boolean;
  on(listener: ElectionListener): () => void;
}

export const leaderMetrics = oncePerRegistry((registry: Registry) => {
  const leading = new Set<TrackedElection>();
  const leader = gauge(registry, {
    name: 'kafscale_controlplane_leader',
    help: 'Whether this controlplane replica leads (1) or not (0); the sum over replicas is 0 when the cluster has no leader.',
  });
  const changes = counter(registry, {
    name: 'kafscale_controlplane_leader_changes_total',
    help: 'Leadership changes of this controlplane replica: elected or deposed.',
    labelNames: ['event'],
  });
  leader.set(0);
  return {
    /** Reports `election` until the returned function is called (it then counts as not leading). */
    track(election: TrackedElection): () => void {
      const stop = election.on((event) => {
        changes.inc({ event: event.type });
        if (event.type === 'elected') leading.add(election);
        else leading.delete(election);
        leader.set(leading.size);
      });
      // Tracking starts once the controlplane has started, often after its first election.
      if (election.isLeader) {
        leading.add(election);
        changes.inc({ event: 'elected' });
      }
      leader.set(leading.size);
      return () => {
        stop();
        leading.delete(election);
        leader.set(leading.size);
      };
    },
  };
});
