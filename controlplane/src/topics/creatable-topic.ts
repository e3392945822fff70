/**
 * The checks of one CreateTopics entry, in Kafka's order: name, partitions, replication
 * factor, configs. The first failure is the topic's error.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { validateTopicConfigs } from './topic-configs.js';
import { topicFailure, type TopicFailure } from './topic-failure.js';
import { validateTopicName } from './topic-name.js';

export interface CreatableTopic {
  readonly name: string;
  /** -1 for the cluster default. */
  readonly numPartitions: number;
  /** -1 or >= 1; accepted and ignored (durability comes from S3, not replicas). */
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
}

export interface TopicLimits {
  /** The partition count of a topic created with -1. */
  readonly defaultPartitions: number;
  /** The most partitions one topic may have (bounds the memory of every view of it). */
  readonly maxPartitions: number;
}

export interface ValidTopic {
  readonly name: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

export type TopicCheck =
  { readonly ok: true; readonly topic: ValidTopic } | ({ readonly ok: false } & TopicFailure);

function failed(f: TopicFailure): TopicCheck {
  return { ok: false, ...f };
}

export function validateCreatableTopic(t: CreatableTopic, limits: TopicLimits): TopicCheck {
  const nameFailure = validateTopicName(t.name);
  if (nameFailure !== undefined) return failed(nameFailure);
  const where = `topic ${JSON.stringify(t.name)}`;
  if (t.numPartitions === 0 || t.numPartitions < -1) {
    return failed(
      topicFailure(
        KafkaError.INVALID_PARTITIONS,
        `${where}: number of partitions ${t.numPartitions} is invalid: it must be -1 (the default) or at least 1`,
      ),
    );
  }
  const partitions = t.numPartitions === -1 ? limits.defaultPartitions : t.numPartitions;
  if (partitions > limits.maxPartitions) {
    return failed(
      topicFailure(
        KafkaError.INVALID_PARTITIONS,
        `${where}: number of partitions ${partitions} is more than the maximum ${limits.maxPartitions}`,
      ),
    );
  }
  if (t.replicationFactor === 0 || t.replicationFactor < -1) {
    return failed(
      topicFailure(
        KafkaError.INVALID_REPLICATION_FACTOR,
        `${where}: replication factor ${t.replicationFactor} is invalid: it must be -1 (the default) or at least 1`,
      ),
    );
  }
  const configFailure = validateTopicConfigs(t.configs);
  if (configFailure !== undefined) {
    return failed({ ...configFailure, message: `${where}: ${configFailure.message}` });
  }
  return { ok: true, topic: { name: t.name, partitions, configs: { ...t.configs } } };
}
