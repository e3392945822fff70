/**
 * What every write of a shard's groups compares: the shard's owner key and the create
 * revision of this replica's claim on it. A replica whose claim expired (and was perhaps
 * taken by another) no longer matches, so its writes fail (architecture invariant 2).
 */
export interface ShardFence {
  readonly shard: number;
  readonly ownerKey: string;
  readonly createRevision: number;
}

/** The shard's claim is gone: this replica no longer coordinates its groups. */
export class ShardLostError extends Error {
  override readonly name = 'ShardLostError';
  constructor(readonly shard: number) {
    super(`group shard ${shard} is no longer held by this replica`);
  }
}
