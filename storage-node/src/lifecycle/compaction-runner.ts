/**
 * Compacts the partitions this node owns every `intervalMs`: each partition merges windows
 * of small index entries into segments (compaction-plan.ts, compact-entries.ts) until none
 * is worth merging or `maxMergesPerPass` is reached; the replaced objects go to the object
 * collector through the engine. One pass at a time; within a pass, up to `concurrency`
 * partitions are compacted at once, as many as compaction-pace.ts sets from how long the
 * passes before took (a merge waits mostly on its PUT and its etcd transaction, so one
 * partition after another can leave a node with many partitions behind its flushes; several
 * at once slow the flushes that acknowledge produce requests).
 */
import type { Logger } from '../../../lib/log/logger.js';
import type { StorageEngine } from '../storage-engine.js';
import { CompactionPace } from './compaction-pace.js';
import type { CompactionSettings } from './compaction-plan.js';
import { PeriodicPass } from './periodic-pass.js';

export interface CompactionRunnerOptions {
  readonly engine: Pick<StorageEngine, 'ownedLogs' | 'compact'>;
  readonly settings: CompactionSettings;
  readonly intervalMs: number;
  readonly log: Logger;
  /** Merges per partition per pass at most (bounds the work one pass does). */
  readonly maxMergesPerPass?: number;
  /** Partitions compacted at once at most (default 1); compaction-pace.ts picks how many. */
  readonly concurrency?: number;
  /** Told of each merge: entries replaced and the segment's bytes. */
  readonly onCompacted?: (entries: number, bytes: number) => void;
  /** Told of the partitions each pass compacts at once, as the pass starts. */
  readonly onWorkers?: (workers: number) => void;
}

export class CompactionRunner {
  private readonly periodic: PeriodicPass;
  private readonly pace: CompactionPace;
  private stopped = false;

  constructor(private readonly o: CompactionRunnerOptions) {
    this.pace = new CompactionPace(o.concurrency ?? 1, o.intervalMs);
    this.periodic = new PeriodicPass('compaction pass', o.intervalMs, () => this.pass(), o.log);
  }

  start(): void {
    this.periodic.start();
  }

  /** Merges what is worth merging in every owned partition; returns the merges done. */
  async pass(): Promise<number> {
    const logs = [...this.o.engine.ownedLogs()];
    let next = 0;
    let merges = 0;
    const worker = async (): Promise<void> => {
      for (let log = logs[next++]; log !== undefined && !this.stopped; log = logs[next++])
        merges += await this.compactPartition(log);
    };
    const started = Date.now();
    const workers = this.pace.workers;
    this.o.onWorkers?.(workers);
    await Promise.all(Array.from({ length: workers }, worker));
    this.pace.passed(Date.now() - started);
    return merges;
  }

  private async compactPartition(log: { topicId: string; partition: number }): Promise<number> {
    let merges = 0;
    for (let i = 0; i < (this.o.maxMergesPerPass ?? 8) && !this.stopped; i++) {
      const outcome = await this.o.engine.compact(log.topicId, log.partition, this.o.settings);
      if (outcome?.kind !== 'compacted') {
        if (outcome?.kind === 'refused')
          this.o.log.warn(
            { topicId: log.topicId, partition: log.partition, reason: outcome.reason },
            'compaction refused; retrying at the next pass',
          );
        break;
      }
      merges++;
      this.o.onCompacted?.(outcome.merged, outcome.segment.length);
    }
    return merges;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.periodic.stop();
  }
}
