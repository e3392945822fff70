/**
 * What a leader-only write compares: the leader key and the create revision of this
 * replica's own claim on it. A deposed leader's claim is gone, so its writes fail.
 */
export interface LeaderFence {
  readonly key: string;
  readonly createRevision: number;
}
