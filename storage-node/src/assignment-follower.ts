/**
 * Follows the controlplane's assignments (`assign/<topicId>/<p>`): claims every partition
 * assigned to this node and gives up every partition assigned elsewhere. A claim that
 * finds the partition still held (the previous owner's lease has not expired, or it is
 * still releasing) is retried until it succeeds or the assignment changes.
 */
import { keys } from '../../lib/metadata/keys.js';
import { decodeAssignment } from '../../lib/metadata/topic-records.js';
import type { Logger } from '../../lib/log/logger.js';
import type { MetadataStore, Watch, WatchEvent } from '../../lib/stores/metadata-store.js';
import type { StorageEngine } from './storage-engine.js';

const RETRY_MS = 500;

function parseAssignmentKey(key: string): { topicId: string; partition: number } | undefined {
  const rest = key.slice(keys.assignmentsPrefix().length);
  const m = /^([A-Za-z0-9_-]{22})\/(\d+)$/.exec(rest);
  if (!m) return undefined;
  return { topicId: m[1] ?? '', partition: Number(m[2]) };
}

export class AssignmentFollower {
  /** partition key -> assigned node id */
  private readonly assigned = new Map<string, string>();
  private watch: Watch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconciling = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly engine: StorageEngine,
    private readonly store: MetadataStore,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.engine.onLeaseRenewed(() => {
      this.reconcile();
    });
    const listed = await this.store.list(keys.assignmentsPrefix());
    for (const kv of listed.kvs) this.record({ type: 'put', kv });
    this.watch = await this.store.watch(keys.assignmentsPrefix(), {
      fromRevision: listed.revision + 1,
      onEvents: (events) => {
        for (const e of events) this.record(e);
        this.reconcile();
      },
      onError: (err) => {
        this.log.error({ err }, 'assignment watch failed');
      },
    });
    this.reconcile();
  }

  private record(e: WatchEvent): void {
    const key = e.type === 'put' ? e.kv.key : e.key;
    const where = parseAssignmentKey(key);
    if (where === undefined) return;
    const id = `${where.topicId}/${where.partition}`;
    if (e.type === 'delete') this.assigned.delete(id);
    else this.assigned.set(id, decodeAssignment(key, e.kv.value).node);
  }

  /** Brings ownership in line with the assignments; runs one pass at a time. */
  reconcile(): void {
    if (this.stopped) return;
    if (this.reconciling) {
      this.again = true;
      return;
    }
    this.reconciling = true;
    void this.pass()
      .catch((err: unknown) => {
        this.log.warn({ err }, 'reconciling assignments failed; retrying');
        return true;
      })
      .then((pending) => {
        this.reconciling = false;
        if (this.again) {
          this.again = false;
          this.reconcile();
        } else if (pending && !this.stopped) {
          this.timer ??= setTimeout(() => {
            this.timer = undefined;
            this.reconcile();
          }, RETRY_MS);
        }
      });
  }

  /** One pass; true when some claim must be retried later. */
  private async pass(): Promise<boolean> {
    const me = this.engine.nodeId;
    // Released together: their pending appends share one flush.
    await Promise.all(
      this.engine
        .ownedPartitions()
        .filter((p) => this.assigned.get(`${p.topicId}/${p.partition}`) !== me)
        .map((p) => this.engine.release(p.topicId, p.partition)),
    );
    let pending = false;
    for (const [id, node] of this.assigned) {
      if (node !== me) continue;
      const [topicId = '', partition = ''] = id.split('/');
      if (this.engine.owner(topicId, Number(partition))) continue;
      const result = await this.engine.claim(topicId, Number(partition));
      if (result.kind === 'held') pending = true;
    }
    return pending;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.watch?.cancel();
  }
}
