/**
 * A topic's retention settings, resolved from its overrides with Kafka's defaults:
 * cleanup.policy (delete unless only `compact` is listed), retention.ms (7 days) and
 * retention.bytes (unlimited); a negative limit means none.
 */

export const DEFAULT_RETENTION_MS = 604_800_000n;

export interface TopicRetention {
  /** cleanup.policy includes `delete`: time and size limits apply. */
  readonly deletes: boolean;
  /** Records older than this (by their batch's max timestamp) go; undefined: no limit. */
  readonly retentionMs: bigint | undefined;
  /** The partition keeps at most this many bytes of runs; undefined: no limit. */
  readonly retentionBytes: bigint | undefined;
}

function limit(text: string | undefined, fallback: bigint | undefined): bigint | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text.trim())) return fallback;
  const n = BigInt(text.trim());
  return n < 0n ? undefined : n;
}

export function topicRetention(configs: Readonly<Record<string, string>>): TopicRetention {
  const policy = (configs['cleanup.policy'] ?? 'delete').split(',').map((p) => p.trim());
  return {
    deletes: policy.includes('delete'),
    retentionMs: limit(configs['retention.ms'], DEFAULT_RETENTION_MS),
    retentionBytes: limit(configs['retention.bytes'], undefined),
  };
}
