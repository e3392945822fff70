/**
 * The group coordinator's metrics, declared once per injected registry and read at scrape
 * time from the tracked coordinators (summed when one process runs several):
 * - kafscale_group_shards_held: group shards this process coordinates
 * - kafscale_groups{state}: groups by state (Empty, PreparingRebalance, ...)
 * - kafscale_group_members: members of those groups
 * - kafscale_group_writes_total: group writes (offset commits, generations) submitted
 * - kafscale_group_write_transactions_total: etcd transactions that carried them; the
 *   ratio of the two is the coalescing factor
 */
import type { Registry } from 'prom-client';
import { counter, gauge, oncePerRegistry } from '../../../lib/metrics/define.js';
import { GROUP_STATES, type GroupState } from './group.js';

export interface TrackedCoordinator {
  heldShards(): readonly number[];
  summary(): { readonly groups: ReadonlyMap<GroupState, number>; readonly members: number };
}

export interface TrackedWriter {
  readonly stats: { readonly writes: number; readonly transactions: number };
}

export const groupMetrics = oncePerRegistry((registry: Registry) => {
  const tracked = new Set<{ coordinator: TrackedCoordinator; writer: TrackedWriter }>();
  const sum = (f: (t: { coordinator: TrackedCoordinator; writer: TrackedWriter }) => number) => {
    let n = 0;
    for (const t of tracked) n += f(t);
    return n;
  };
  gauge(registry, {
    name: 'kafscale_group_shards_held',
    help: 'Group shards this process coordinates now.',
    collect() {
      this.set(sum((t) => t.coordinator.heldShards().length));
    },
  });
  gauge(registry, {
    name: 'kafscale_groups',
    help: 'Consumer groups of the held shards, by state.',
    labelNames: ['state'],
    collect() {
      for (const state of GROUP_STATES) {
        this.set(
          { state },
          sum((t) => t.coordinator.summary().groups.get(state) ?? 0),
        );
      }
    },
  });
  gauge(registry, {
    name: 'kafscale_group_members',
    help: 'Members of the consumer groups of the held shards.',
    collect() {
      this.set(sum((t) => t.coordinator.summary().members));
    },
  });
  // Counters fed from the writers' running totals at scrape time.
  let reportedWrites = 0;
  let reportedTxns = 0;
  counter(registry, {
    name: 'kafscale_group_writes_total',
    help: 'Group writes (offset commits, completed generations, deletions) submitted to etcd.',
    collect() {
      const now = sum((t) => t.writer.stats.writes);
      if (now > reportedWrites) this.inc(now - reportedWrites);
      reportedWrites = now;
    },
  });
  counter(registry, {
    name: 'kafscale_group_write_transactions_total',
    help: 'etcd transactions that carried the group writes (coalesced).',
    collect() {
      const now = sum((t) => t.writer.stats.transactions);
      if (now > reportedTxns) this.inc(now - reportedTxns);
      reportedTxns = now;
    },
  });
  return {
    track(coordinator: TrackedCoordinator, writer: TrackedWriter): () => void {
      const entry = { coordinator, writer };
      tracked.add(entry);
      return () => {
        tracked.delete(entry);
      };
    },
  };
});
