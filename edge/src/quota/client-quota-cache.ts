/**
 * The client quotas an edge enforces, fed by the controlplane's WatchMetadata stream (a
 * snapshot, then one entry per changed entity): enforcement reads memory, never etcd.
 * `generation` grows at every change, so a connection that resolved its quotas can tell
 * with one comparison whether it must resolve them again.
 */
import type { ClientQuota } from '../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import { entityPath } from '../../../lib/quota/quota-entity.js';
import { entityOfMessage } from '../../../lib/quota/quota-messages.js';

export class ClientQuotaCache {
  private entities = new Map<string, ReadonlyMap<string, number>>();
  private changes = 0;

  /** Replaces everything (a snapshot). */
  replaceAll(quotas: readonly ClientQuota[]): void {
    this.entities = new Map();
    for (const q of quotas) this.set(q);
    this.changes++;
  }

  /** Replaces one entity's values (none: the entity has no quota left). */
  setEntity(quota: ClientQuota): void {
    this.set(quota);
    this.changes++;
  }

  private set(quota: ClientQuota): void {
    const entity = entityOfMessage(quota.entity);
    if (entity.user === undefined && entity.clientId === undefined) return;
    const path = entityPath(entity);
    const values = Object.entries(quota.values);
    if (values.length === 0) this.entities.delete(path);
    else this.entities.set(path, new Map(values));
  }

  /** The values of the entity with this path (lib/quota/quota-entity.ts), if it has any. */
  values(path: string): ReadonlyMap<string, number> | undefined {
    return this.entities.get(path);
  }

  get isEmpty(): boolean {
    return this.entities.size === 0;
  }

  /** Grows at every change. */
  get generation(): number {
    return this.changes;
  }
}
