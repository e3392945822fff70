/**
 * Before the cold read, the storage node gets time to finish compacting what the earlier
 * phases wrote: a consumer catching up on old data reads segments, in large ranged GETs,
 * and a read right after a produce burst reads whatever compaction had reached by then
 * (in earlier runs, 8.8 MiB/s uncompacted against 18.0 compacted under the s3-standard
 * model). The wait ends once no merge was counted for two compaction intervals; the
 * topic's index entries are then counted, so the run says which case it measured.
 */
import type { EtcdFixture } from '../../test/fixtures/etcd.js';
import { etcdGetPrefix, topicIdOf } from '../../test/support/etcdctl.js';
import { sample, scrape } from '../../test/support/scrape-metrics.js';
import { keys } from '../../lib/metadata/keys.js';

const POLL_MS = 500;

export interface CompactionSettled {
  /** False when merges were still being counted at the time limit. */
  readonly settled: boolean;
  readonly waitedMs: number;
  /** Segments written while waiting. */
  readonly merges: number;
}

/**
 * Waits until the storage node at `metricsPort` counted no merge for twice
 * `compactionIntervalMs` (one pass may start just after a look), or `timeoutMs` passed.
 */
export async function settleCompaction(
  metricsPort: number,
  compactionIntervalMs: number,
  timeoutMs: number,
): Promise<CompactionSettled> {
  const merges = async () =>
    sample(await scrape(metricsPort), 'kafscale_storage_compactions_total') ?? 0;
  const started = Date.now();
  const first = await merges();
  let last = first;
  let quietSince = started;
  for (;;) {
    const now = Date.now();
    if (now - quietSince >= 2 * compactionIntervalMs)
      return { settled: true, waitedMs: now - started, merges: last - first };
    if (now - started >= timeoutMs)
      return { settled: false, waitedMs: now - started, merges: last - first };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const count = await merges();
    if (count !== last) {
      last = count;
      quietSince = Date.now();
    }
  }
}

/** How many index entries (flush runs and segments) the topic's partitions hold in etcd. */
export async function indexEntries(
  etcd: EtcdFixture,
  topic: string,
): Promise<{ readonly partitions: number; readonly entries: number }> {
  const topicId = await topicIdOf(etcd, topic);
  const lines = (await etcdGetPrefix(etcd, keys.topicPartitionsPrefix(topicId), { keysOnly: true }))
    .split('\n')
    .filter((line) => line.includes('/idx/'));
  const partitions = new Set(lines.map((line) => line.slice(0, line.indexOf('/idx/'))));
  return { partitions: partitions.size, entries: lines.length };
}
