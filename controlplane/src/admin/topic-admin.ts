/**
 * Topics through the admin API: list, describe (with each partition's place and offsets),
 * create, delete, alter configs and add partitions. Creating, deleting, altering and
 * adding go through the same TopicRegistry, alterConfigs and createPartitions as Kafka's
 * CreateTopics, DeleteTopics, IncrementalAlterConfigs and CreatePartitions, so the rules
 * are Kafka's and exist once.
 */
import { create } from '@bufbuild/protobuf';
import {
  AlterTopicConfigsResponseSchema,
  CreatePartitionsResponseSchema,
  CreateTopicResponseSchema,
  DeleteTopicResponseSchema,
  DescribeTopicResponseSchema,
  ListTopicsResponseSchema,
  PartitionStatusSchema,
  TopicSummarySchema,
  type AlterTopicConfigsRequest,
  type AlterTopicConfigsResponse,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type CreateTopicRequest,
  type CreateTopicResponse,
  type DeleteTopicResponse,
  type DescribeTopicResponse,
  type ListTopicsResponse,
  type TopicSummary,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import {
  AlterConfigOp,
  AlterConfigsRequestSchema,
  CreatePartitionsRequestSchema as KafkaCreatePartitionsRequestSchema,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import { alterConfigs } from '../configs/alter-configs.js';
import { ResourceType } from '../configs/config-types.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import type { TopicEntry } from '../metadata-view/cluster-state.js';
import { createPartitions as raiseTopicPartitions } from '../topics/create-partitions.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import { invalidArgument, kafkaFailure, notFound } from './admin-errors.js';
import { orUnavailable } from '../services/or-unavailable.js';
import { factsOrEmpty, partitionFacts } from './partition-facts.js';

export interface TopicAdminDeps {
  readonly store: MetadataStore;
  readonly view: MetadataView;
  readonly registry: TopicRegistry;
}

function summary(t: TopicEntry): TopicSummary {
  return create(TopicSummarySchema, {
    name: t.record.name,
    topicId: t.record.topicId,
    partitions: t.record.partitions,
    configs: { ...t.record.configs },
  });
}

/** The topic named, or NOT_FOUND naming it. */
export function requireTopic(view: MetadataView, name: string): TopicEntry {
  if (name === '') throw invalidArgument('a topic name is required');
  const topic = view.topicByName(name);
  if (topic === undefined) throw notFound(`topic '${name}' does not exist`);
  return topic;
}

export function listTopics(view: MetadataView): ListTopicsResponse {
  const topics = [...view.topics()].sort((a, b) =>
    a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0,
  );
  return create(ListTopicsResponseSchema, { topics: topics.map(summary) });
}

export async function describeTopic(
  deps: TopicAdminDeps,
  name: string,
): Promise<DescribeTopicResponse> {
  const topic = requireTopic(deps.view, name);
  const { topicId, partitions } = topic.record;
  const facts = await orUnavailable('DescribeTopic', () => partitionFacts(deps.store, topicId));
  const assignments = deps.view.assignmentsOf(topicId);
  const pins = deps.view.pinsOf(topicId);
  const rows = [];
  for (let p = 0; p < partitions; p++) {
    const f = factsOrEmpty(facts, p);
    const owner = deps.view.owner(topicId, p);
    rows.push(
      create(PartitionStatusSchema, {
        partition: p,
        assignedNode: assignments.get(p) ?? '',
        owner: owner?.owner ?? '',
        leaderEpoch: owner?.epoch ?? f.epoch,
        logStartOffset: f.logStartOffset,
        highWatermark: f.highWatermark,
        bytes: f.bytes,
        indexEntries: f.indexEntries,
        pinned: pins.get(p) !== undefined && pins.get(p) === assignments.get(p),
      }),
    );
  }
  return create(DescribeTopicResponseSchema, {
    topic: summary(topic),
    partitions: rows,
    createdAtMs: BigInt(topic.record.createdAtMs),
  });
}

export async function createTopic(
  deps: TopicAdminDeps,
  req: CreateTopicRequest,
): Promise<CreateTopicResponse> {
  if (req.partitions < 0) {
    throw invalidArgument(`partitions must be 0 (the default) or more, got ${req.partitions}`);
  }
  const [outcome] = await orUnavailable('CreateTopic', () =>
    deps.registry.create(
      [
        {
          name: req.name,
          numPartitions: req.partitions === 0 ? -1 : req.partitions,
          replicationFactor: -1,
          configs: req.configs,
        },
      ],
      { validateOnly: req.validateOnly },
    ),
  );
  if (outcome === undefined) throw new Error('the registry answered no outcome');
  if (!outcome.ok) {
    throw kafkaFailure(`create topic '${req.name}'`, outcome.errorCode, outcome.message);
  }
  return create(CreateTopicResponseSchema, {
    topicId: outcome.topicId ?? '',
    partitions: outcome.partitions,
  });
}

export async function deleteTopic(
  deps: TopicAdminDeps,
  name: string,
): Promise<DeleteTopicResponse> {
  if (name === '') throw invalidArgument('a topic name is required');
  const [outcome] = await orUnavailable('DeleteTopic', () => deps.registry.delete([{ name }]));
  if (outcome === undefined) throw new Error('the registry answered no outcome');
  if (!outcome.ok) throw kafkaFailure(`delete topic '${name}'`, outcome.errorCode, outcome.message);
  return create(DeleteTopicResponseSchema, { topicId: outcome.topicId });
}

export async function alterTopicConfigs(
  deps: TopicAdminDeps,
  req: AlterTopicConfigsRequest,
): Promise<AlterTopicConfigsResponse> {
  const twice = req.remove.filter((name) => Object.hasOwn(req.set, name));
  if (twice.length > 0) {
    throw invalidArgument(`configs both set and removed: ${twice.join(', ')}`);
  }
  const response = await orUnavailable('AlterTopicConfigs', () =>
    alterConfigs(
      deps.registry,
      deps.view,
      create(AlterConfigsRequestSchema, {
        incremental: true,
        validateOnly: req.validateOnly,
        resources: [
          {
            resourceType: ResourceType.TOPIC,
            resourceName: req.name,
            configs: [
              ...Object.entries(req.set).map(([name, value]) => ({
                name,
                op: AlterConfigOp.SET_UNSPECIFIED,
                value,
              })),
              ...req.remove.map((name) => ({ name, op: AlterConfigOp.DELETE })),
            ],
          },
        ],
      }),
    ),
  );
  const result = response.results[0];
  if (result === undefined) throw new Error('alterConfigs answered no result');
  if (result.errorCode !== KafkaError.NONE) {
    throw kafkaFailure(
      `alter configs of topic '${req.name}'`,
      result.errorCode,
      result.errorMessage,
    );
  }
  const topic = deps.view.topicByName(req.name);
  return create(AlterTopicConfigsResponseSchema, { configs: { ...topic?.record.configs } });
}

/** Raises one topic's partition count through the same code as Kafka's CreatePartitions. */
export async function createTopicPartitions(
  deps: TopicAdminDeps,
  req: CreatePartitionsRequest,
): Promise<CreatePartitionsResponse> {
  if (req.name === '') throw invalidArgument('a topic name is required');
  const response = await raiseTopicPartitions(
    deps.registry,
    create(KafkaCreatePartitionsRequestSchema, {
      topics: [{ name: req.name, count: req.partitions }],
      validateOnly: req.validateOnly,
    }),
  );
  const result = response.results[0];
  if (result === undefined) throw new Error('createPartitions answered no result');
  if (result.errorCode !== KafkaError.NONE) {
    throw kafkaFailure(
      `create partitions of topic '${req.name}'`,
      result.errorCode,
      result.errorMessage,
    );
  }
  return create(CreatePartitionsResponseSchema, { partitions: req.partitions });
}
