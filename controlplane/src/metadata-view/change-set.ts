/**
 * What changed in the metadata view, by identity only (topic ids, partitions, node ids):
 * a consumer reads the current values from the view. Merging change sets therefore
 * coalesces any number of events into a set no larger than the cluster's metadata.
 */
export class ChangeSet {
  /** Topic ids created, changed as a whole or deleted. */
  readonly topics = new Set<string>();
  /** Partitions whose assignment or owner changed, by topic id. */
  readonly partitions = new Map<string, Set<number>>();
  /** Ids of edges that registered, changed or left. */
  readonly edges = new Set<string>();
  /** Ids of storage nodes that registered, changed or left. */
  readonly storageNodes = new Set<string>();
  /** Ids of controlplane replicas that registered, changed or left. */
  readonly controlplaneReplicas = new Set<string>();
  /** Group shards claimed, released or lost (the shard count counts as a change of all). */
  readonly groupShards = new Set<number>();
  /** Pins and drains that changed (`pins/<topicId>/<p>`, `drains/<id>` keys). */
  readonly placements = new Set<string>();
  /** Users whose SCRAM credentials changed. */
  readonly scramUsers = new Set<string>();
  /** Client quota entities whose values changed, by entity path (lib/quota/quota-entity.ts). */
  readonly clientQuotas = new Set<string>();
  private partitionCount = 0;

  touchPartition(topicId: string, partition: number): void {
    let set = this.partitions.get(topicId);
    if (set === undefined) {
      set = new Set();
      this.partitions.set(topicId, set);
    }
    if (!set.has(partition)) {
      set.add(partition);
      this.partitionCount++;
    }
  }

  merge(other: ChangeSet): void {
    for (const t of other.topics) this.topics.add(t);
    for (const [topicId, ps] of other.partitions) {
      for (const p of ps) this.touchPartition(topicId, p);
    }
    for (const e of other.edges) this.edges.add(e);
    for (const s of other.storageNodes) this.storageNodes.add(s);
    for (const r of other.controlplaneReplicas) this.controlplaneReplicas.add(r);
    for (const g of other.groupShards) this.groupShards.add(g);
    for (const p of other.placements) this.placements.add(p);
    for (const u of other.scramUsers) this.scramUsers.add(u);
    for (const q of other.clientQuotas) this.clientQuotas.add(q);
  }

  /** How many entries the set holds (what coalescing bounds). */
  get size(): number {
    return (
      this.topics.size +
      this.partitionCount +
      this.edges.size +
      this.storageNodes.size +
      this.controlplaneReplicas.size +
      this.groupShards.size +
      this.placements.size +
      this.scramUsers.size +
      this.clientQuotas.size
    );
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }
}

/** One notification of the view: the changes that brought it to `revision`. */
export interface ViewChange {
  readonly revision: number;
  /**
   * The view was rebuilt from a fresh listing (after losing its watch): what changed is
   * not known, consumers start again from a snapshot.
   */
  readonly reset: boolean;
  readonly changes: ChangeSet;
}
