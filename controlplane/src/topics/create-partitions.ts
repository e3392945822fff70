/**
 * CreatePartitions: raises topics' partition counts, each by one compare-and-swap of the
 * topic key (TopicRegistry.update), with Apache Kafka 3.9's rules and messages
 * (ControllerApis, ReplicationControlManager.createPartitions):
 *
 * - a name given more than once fails every copy with INVALID_REQUEST, "Duplicate topic name.";
 * - an unknown topic (or a name no topic can have) is UNKNOWN_TOPIC_OR_PARTITION;
 * - the new count must be an increase: "Topic already has N partition(s)." when equal,
 *   "The topic T currently has N partition(s); C would not be an increase." when lower,
 *   both INVALID_PARTITIONS; more than the registry's maximum is INVALID_PARTITIONS too;
 * - validate_only checks all of this and writes nothing.
 *
 * Replica assignments are not part of this call: replication is S3's, so only the count of
 * a manual assignment matters, and the edge checks it. Writing the higher count is all it
 * takes: the assignment runner plans the new partitions from the changed topic record, and
 * the storage nodes claim them as they claim any assigned partition.
 */
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  ConfigResourceResultSchema,
  CreatePartitionsResponseSchema,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type PartitionCountChange,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { TopicRecord } from '../../../lib/metadata/topic-records.js';
import { MetadataStoreUnavailableError } from '../../../lib/stores/metadata-store.js';
import { topicFailure, type TopicFailure } from './topic-failure.js';
import { validateTopicName } from './topic-name.js';
import type { TopicRegistry } from './topic-registry.js';

/** Kafka's config resource type of a topic, which every result names. */
const TOPIC_RESOURCE = 2;

/**
 * `current` with `count` partitions, or the failure that keeps it as it is. `maxPartitions`
 * is the registry's limit on one topic's partitions.
 */
export function raisePartitions(
  current: TopicRecord,
  count: number,
  maxPartitions: number,
): TopicRecord | TopicFailure {
  const have = current.partitions;
  if (count === have) {
    return topicFailure(KafkaError.INVALID_PARTITIONS, `Topic already has ${have} partition(s).`);
  }
  if (count < have) {
    return topicFailure(
      KafkaError.INVALID_PARTITIONS,
      `The topic ${current.name} currently has ${have} partition(s); ${count} would not be an increase.`,
    );
  }
  if (count > maxPartitions) {
    return topicFailure(
      KafkaError.INVALID_PARTITIONS,
      `topic ${JSON.stringify(current.name)}: number of partitions ${count} is more than the maximum ${maxPartitions}`,
    );
  }
  return { ...current, partitions: count };
}

async function raiseOne(
  registry: TopicRegistry,
  t: PartitionCountChange,
  validateOnly: boolean,
  maxPartitions: number,
): Promise<TopicFailure | undefined> {
  // A name no topic can have names no topic: Kafka looks it up and finds nothing.
  if (validateTopicName(t.name) !== undefined) {
    return topicFailure(
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
      `topic ${JSON.stringify(t.name)} does not exist`,
    );
  }
  const outcome = await registry.update(
    t.name,
    (current) => raisePartitions(current, t.count, maxPartitions),
    { validateOnly },
  );
  return outcome.ok ? undefined : { errorCode: outcome.errorCode, message: outcome.message };
}

/** One result per requested topic, in request order. */
export async function createPartitions(
  registry: TopicRegistry,
  req: CreatePartitionsRequest,
): Promise<CreatePartitionsResponse> {
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const maxPartitions = registry.maxPartitions;
  let failures: (TopicFailure | undefined)[];
  try {
    failures = await Promise.all(
      req.topics.map((t) =>
        (counts.get(t.name) ?? 0) > 1
          ? Promise.resolve(topicFailure(KafkaError.INVALID_REQUEST, 'Duplicate topic name.'))
          : raiseOne(registry, t, req.validateOnly, maxPartitions),
      ),
    );
  } catch (e) {
    if (e instanceof MetadataStoreUnavailableError) {
      throw new ConnectError(
        `CreatePartitions: metadata store unavailable: ${e.message}`,
        Code.Unavailable,
      );
    }
    throw e;
  }
  return create(CreatePartitionsResponseSchema, {
    results: req.topics.map((t, i) => {
      const f = failures[i];
      return create(ConfigResourceResultSchema, {
        errorCode: f?.errorCode ?? KafkaError.NONE,
        errorMessage: f?.message ?? '',
        resourceType: TOPIC_RESOURCE,
        resourceName: t.name,
      });
    }),
  });
}
