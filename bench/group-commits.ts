/**
 * Offset commits against a real etcd (the test fixture's binary): N committers, each in
 * its own group, commit a new offset one after another for a fixed time through one
 * replica's GroupCoordinator. The coordinator acknowledges a commit only once it is in
 * etcd, and coalesces concurrent commits into one transaction at a time, so commits per
 * second grow with N while etcd transactions per second stay put. The reference row is
 * N = 1 in the same run.
 */
import { create } from '@bufbuild/protobuf';
import { GroupCoordinator } from '../controlplane/src/groups/group-coordinator.js';
import { DEFAULT_GROUP_SETTINGS } from '../controlplane/src/groups/group-settings.js';
import { GroupWriter } from '../controlplane/src/groups/group-writer.js';
import { OffsetCommitRequestSchema } from '../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { keys } from '../lib/metadata/keys.js';
import { EtcdMetadataStore } from '../lib/stores/etcd/etcd-metadata-store.js';
import { startEtcd } from '../test/fixtures/etcd.js';

export interface CommitRow {
  readonly committers: number;
  readonly commitsPerSec: number;
  readonly txnsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export async function groupCommitBenchmarks(
  counts: readonly number[] = [1, 10, 100, 1000],
  seconds = 3,
): Promise<CommitRow[]> {
  const etcd = await startEtcd({ name: 'kafscale-bench' });
  const store = await EtcdMetadataStore.connect({ endpoints: etcd.endpoints });
  const rows: CommitRow[] = [];
  try {
    const ownerKey = keys.groupShardOwner(0);
    const claim = await store.txn([], [{ type: 'put', key: ownerKey, value: Buffer.from('{}') }]);
    for (const n of counts) {
      const writer = new GroupWriter(store, {
        intervalMs: DEFAULT_GROUP_SETTINGS.commitIntervalMs,
      });
      const coordinator = new GroupCoordinator(store, writer, 1, DEFAULT_GROUP_SETTINGS);
      await coordinator.load({ shard: 0, ownerKey, createRevision: claim.revision });
      const latencies: number[] = [];
      const txnsBefore = writer.stats.transactions;
      const deadline = Date.now() + seconds * 1000;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          for (let offset = 1n; Date.now() < deadline; offset++) {
            const t0 = performance.now();
            const r = await coordinator.offsetCommit(
              create(OffsetCommitRequestSchema, {
                groupId: `bench-${n}-${i}`,
                generationId: -1,
                topics: [{ name: 't', partitions: [{ partition: 0, offset, leaderEpoch: -1 }] }],
              }),
            );
            if (r.topics?.[0]?.partitions?.[0]?.errorCode !== 0)
              throw new Error(`commit failed: ${JSON.stringify(r)}`);
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const elapsed = (Date.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      rows.push({
        committers: n,
        commitsPerSec: latencies.length / elapsed,
        txnsPerSec: (writer.stats.transactions - txnsBefore) / elapsed,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
      });
      coordinator.stop();
      await writer.stop();
    }
  } finally {
    await store.close();
    await etcd.stop();
  }
  return rows;
}

export function printCommitTable(rows: readonly CommitRow[]): void {
  const ref = rows[0];
  const header = ['committers', 'commits/s', 'etcd txns/s', 'txns x N=1', 'p50 ms', 'p99 ms'];
  const lines = rows.map((r) => [
    String(r.committers),
    r.commitsPerSec.toFixed(0),
    r.txnsPerSec.toFixed(0),
    ref ? (r.txnsPerSec / ref.txnsPerSec).toFixed(2) : '',
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}
