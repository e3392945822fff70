/**
 * Keeps `assign/` in line with the topics and live storage nodes while this replica leads:
 * each change of the metadata view schedules a re-plan (debounced, so a burst of events
 * makes one plan), and the plan is written fenced on the leader's election. One run at a
 * time; a change during a run schedules another. After a write the runner waits until the
 * view has seen it before planning again, so it never re-plans from a view that lags its
 * own writes.
 */
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import { planAssignment, type AssignmentPlan } from './plan-assignment.js';
import {
  writeAssignments,
  type LeaderFence,
  type TopicFence,
  type WriteResult,
} from './write-assignments.js';

export interface AssignmentRunnerOptions {
  readonly store: MetadataStore;
  readonly view: MetadataView;
  /** The current election, or undefined when this replica does not lead. */
  readonly fence: () => LeaderFence | undefined;
  /** Quiet time after a change before planning (default 50 ms). */
  readonly debounceMs?: number;
  /** Delay before retrying after a store error (default 1,000 ms). */
  readonly retryDelayMs?: number;
  /** Told when a write shows this replica was deposed; the runner stops itself. */
  readonly onFenced?: () => void;
  readonly onError?: (error: unknown) => void;
  /** Told after each written plan (for tests and metrics). */
  readonly onWritten?: (plan: AssignmentPlan, result: WriteResult) => void;
}

export class AssignmentRunner {
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Do not plan before the view reaches this revision (our last write). */
  private waitForRevision = 0;

  constructor(private readonly options: AssignmentRunnerOptions) {}

  start(): void {
    this.unsubscribe = this.options.view.subscribe(() => {
      this.schedule(this.options.debounceMs ?? 50);
    });
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Resolves when no run is scheduled or in progress (for tests). */
  async idle(): Promise<void> {
    while (this.running !== undefined || this.timer !== undefined) {
      await (this.running ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.run().finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule(this.options.debounceMs ?? 50);
        }
      });
    }, delayMs);
  }

  private async run(): Promise<void> {
    const { view, store } = this.options;
    const fence = this.options.fence();
    if (this.stopped || fence === undefined || view.revision < this.waitForRevision) return;
    const topics = view.topics();
    const current = new Map<string, ReadonlyMap<number, string>>();
    for (const topicId of view.assignedTopicIds())
      current.set(topicId, view.assignmentsOf(topicId));
    const pins = new Map<string, ReadonlyMap<number, string>>();
    for (const topicId of view.pinnedTopicIds()) pins.set(topicId, view.pinsOf(topicId));
    const plan = planAssignment({
      topics: topics.map((t) => ({ topicId: t.record.topicId, partitions: t.record.partitions })),
      liveNodes: view.storageNodes().map((n) => n.id),
      current,
      pins,
      drained: view.drainedNodes(),
    });
    if (plan.puts.length === 0 && plan.deletes.length === 0 && plan.unpins.length === 0) return;
    const fences = new Map<string, TopicFence>(
      topics.map((t) => [
        t.record.topicId,
        { name: t.record.name, createRevision: t.createRevision },
      ]),
    );
    let result: WriteResult;
    try {
      result = await writeAssignments(store, plan, fence, fences);
    } catch (e) {
      this.options.onError?.(e);
      this.retryLater(this.options.retryDelayMs ?? 1000);
      return;
    }
    this.options.onWritten?.(plan, result);
    if (result.ok) {
      this.waitForRevision = result.revision;
    } else if (result.reason === 'fenced') {
      this.stopped = true;
      this.unsubscribe?.();
      this.options.onFenced?.();
    } else {
      this.retryLater(this.options.debounceMs ?? 50);
    }
  }

  private retryLater(delayMs: number): void {
    setTimeout(() => {
      this.schedule(0);
    }, delayMs).unref();
  }
}
