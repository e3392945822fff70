/**
 * Enforces retention on the partitions this node owns, every `intervalMs` (Kafka's
 * log.retention.check.interval.ms): for each, the topic's cleanup.policy, retention.ms and
 * retention.bytes decide the new log start (retention-start.ts), which moves exactly as
 * DeleteRecords moves it; the objects whose runs went are handed to the object collector by
 * the engine. One pass at a time; a failed partition is retried at the next pass.
 */
import type { Logger } from '../../../lib/log/logger.js';
import { topicRetention } from '../../../lib/metadata/topic-retention.js';
import type { StorageEngine } from '../storage-engine.js';
import { PeriodicPass } from './periodic-pass.js';
import { retentionStart } from './retention-start.js';
import type { TopicConfigsView } from './topic-configs-view.js';

export interface RetentionRunnerOptions {
  readonly engine: StorageEngine;
  readonly topics: TopicConfigsView;
  readonly intervalMs: number;
  readonly log: Logger;
  readonly now?: () => number;
  /** Told of each partition whose log start retention moved. */
  readonly onTrimmed?: (topicId: string, partition: number, logStartOffset: bigint) => void;
}

export class RetentionRunner {
  private readonly periodic: PeriodicPass;
  private stopped = false;

  constructor(private readonly o: RetentionRunnerOptions) {
    this.periodic = new PeriodicPass('retention pass', o.intervalMs, () => this.pass(), o.log);
  }

  start(): void {
    this.periodic.start();
  }

  /** One pass over every owned partition; resolves when its deletions are done. */
  async pass(): Promise<void> {
    const now = BigInt((this.o.now ?? Date.now)());
    for (const log of this.o.engine.ownedLogs()) {
      if (this.stopped) return;
      const configs = this.o.topics.configsOf(log.topicId);
      if (configs === undefined) continue; // deleted: the sweep removes its data
      const start = retentionStart(log, topicRetention(configs), now);
      if (start === undefined) continue;
      const [answer] = await this.o.engine.deleteRecords([
        { topicId: log.topicId, partition: log.partition, offset: start },
      ]);
      if (answer?.errorCode === 0) {
        this.o.onTrimmed?.(log.topicId, log.partition, answer.lowWatermark);
      } else {
        this.o.log.warn(
          { topicId: log.topicId, partition: log.partition, start, answer },
          'retention could not move the log start; retrying at the next pass',
        );
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.periodic.stop();
  }
}
