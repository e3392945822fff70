/** The broker-side group settings (Kafka's group.* and offsets.* configs), from KAFSCALE_*. */
export interface GroupSettings {
  /** group.min.session.timeout.ms */
  readonly minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  readonly maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms: how long a new group waits for more members. */
  readonly initialRebalanceDelayMs: number;
  /** offset.metadata.max.bytes */
  readonly offsetMetadataMaxBytes: number;
  /** offsets.retention.minutes, in ms: offsets of an empty group live this long. */
  readonly offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  readonly retentionCheckIntervalMs: number;
  /** The most protocol metadata one member may send in JoinGroup (bytes). */
  readonly maxMemberMetadataBytes: number;
  /** Least time between two etcd transactions of group writes (coalescing interval). */
  readonly commitIntervalMs: number;
}

export const DEFAULT_GROUP_SETTINGS: GroupSettings = {
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 3_000,
  offsetMetadataMaxBytes: 4_096,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionCheckIntervalMs: 600_000,
  maxMemberMetadataBytes: 256 * 1024,
  commitIntervalMs: 5,
};

/** KIP-394: a new member that does not complete its first join within this is removed. */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;
