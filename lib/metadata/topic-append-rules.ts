/**
 * The topic configs that govern how a storage node accepts a batch, resolved from a
 * topic's overrides (the controlplane validated them when they were set) with Kafka's
 * defaults: the edge reads them from its metadata view and sends them with each Append.
 */

/** Kafka's default max.message.bytes (and broker message.max.bytes): 1 MiB + 12 bytes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface TopicAppendRules {
  /** max.message.bytes: the largest batch (after compression, header included). */
  readonly maxBatchBytes: number;
  /** message.timestamp.type=LogAppendTime: the node stamps batches with its own clock. */
  readonly logAppendTime: boolean;
}

export function topicAppendRules(configs: Readonly<Record<string, string>>): TopicAppendRules {
  const max = Number((configs['max.message.bytes'] ?? '').trim());
  return {
    maxBatchBytes:
      configs['max.message.bytes'] !== undefined && Number.isSafeInteger(max) && max >= 0
        ? max
        : DEFAULT_MAX_MESSAGE_BYTES,
    logAppendTime: configs['message.timestamp.type']?.trim() === 'LogAppendTime',
  };
}
