/**
 * The ControlPlaneService gRPC API (proto/kafscale/controlplane/v1). CreateTopics and
 * DeleteTopics go through the TopicRegistry, whose writes are compare-and-swap, so every
 * replica may serve them (leader or not). Kafka errors travel per topic as data; a store
 * that cannot be reached fails the whole call with UNAVAILABLE. `timeout_ms` is not used:
 * each call finishes as soon as its transactions do.
 */
import { create } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import {
  CreatableTopicResultSchema,
  CreateTopicsResponseSchema,
  DeletableTopicResultSchema,
  DeleteTopicsResponseSchema,
  InitProducerIdResponseSchema,
  type ControlPlaneService,
  type DeletableTopic,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { topicIdFromBytes, topicIdToBytes } from '../../../lib/metadata/topic-records.js';
import { orUnavailable } from './or-unavailable.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import type { DeleteOutcome, TopicRef, TopicRegistry } from '../topics/topic-registry.js';
import { alterConfigs } from '../configs/alter-configs.js';
import type { BrokerSettings } from '../configs/broker-configs.js';
import { describeConfigs } from '../configs/describe-configs.js';
import type { ProducerIdAllocator } from '../producers/producer-id-allocator.js';
import { createPartitions } from '../topics/create-partitions.js';
import { metadataStream } from './metadata-stream.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import { alterScramCredentials } from '../scram/alter-scram-credentials.js';
import { describeScramCredentials } from '../scram/describe-scram-credentials.js';
import { alterClientQuotas } from '../quotas/alter-client-quotas.js';
import { describeClientQuotas } from '../quotas/describe-client-quotas.js';

export interface ControlPlaneServiceOptions {
  readonly registry: TopicRegistry;
  /** Where SCRAM credentials and client quotas are written. */
  readonly store: MetadataStore;
  readonly producerIds: ProducerIdAllocator;
  readonly view: MetadataView;
  readonly clusterId: string;
  /** The settings DescribeConfigs reports as broker configs (defaults when absent). */
  readonly brokerSettings?: BrokerSettings;
  /** Pending changes a slow watcher may accumulate before it gets a snapshot instead. */
  readonly maxPendingChanges?: number;
}

/** A reference the registry can act on, or the failure of one it cannot. */
function toRef(t: DeletableTopic): TopicRef | DeleteOutcome {
  switch (t.topic.case) {
    case 'name':
      return { name: t.topic.value };
    case 'topicId': {
      const topicId = topicIdFromBytes(t.topic.value);
      if (topicId !== undefined) return { topicId };
      return {
        ok: false,
        name: undefined,
        topicId: undefined,
        errorCode: KafkaError.UNKNOWN_TOPIC_ID,
        message: `topic id ${Buffer.from(t.topic.value).toString('hex')} is not a valid topic id`,
      };
    }
    case undefined:
      return {
        ok: false,
        name: undefined,
        topicId: undefined,
        errorCode: KafkaError.INVALID_REQUEST,
        message: 'a topic to delete names neither a topic nor a topic id',
      };
  }
}

export function controlPlaneService(
  options: ControlPlaneServiceOptions,
): ServiceImpl<typeof ControlPlaneService> {
  const { registry, view, clusterId, producerIds } = options;
  return {
    async initProducerId(req) {
      // Transactions do not exist yet: a transactional producer is refused clearly (the
      // edge also refuses FindCoordinator for transactional ids). An idempotent producer
      // gets a new id with epoch 0 every time, as Kafka gives it (KafkaApis, no
      // transactional id).
      if (req.transactionalId !== '') {
        return create(InitProducerIdResponseSchema, {
          errorCode: KafkaError.INVALID_REQUEST,
          producerId: -1n,
          producerEpoch: -1,
        });
      }
      const producerId = await orUnavailable('InitProducerId', () => producerIds.allocate());
      return create(InitProducerIdResponseSchema, {
        errorCode: KafkaError.NONE,
        producerId,
        producerEpoch: 0,
      });
    },

    createPartitions: (req) => createPartitions(registry, req),
    describeConfigs: (req) => describeConfigs(view, req, options.brokerSettings),
    alterConfigs: (req) => alterConfigs(registry, view, req),
    alterUserScramCredentials: (req) =>
      orUnavailable('AlterUserScramCredentials', () =>
        alterScramCredentials(options.store, view, req),
      ),
    describeUserScramCredentials: (req) => describeScramCredentials(view, req),
    alterClientQuotas: (req) =>
      orUnavailable('AlterClientQuotas', () => alterClientQuotas(options.store, view, req)),
    describeClientQuotas: (req) => describeClientQuotas(view, req),

    watchMetadata(_req, context) {
      return metadataStream(view, clusterId, context.signal, options.maxPendingChanges);
    },

    async createTopics(req) {
      const outcomes = await orUnavailable('CreateTopics', () =>
        registry.create(
          req.topics.map((t) => ({
            name: t.name,
            numPartitions: t.numPartitions,
            replicationFactor: t.replicationFactor,
            configs: t.configs,
          })),
          { validateOnly: req.validateOnly },
        ),
      );
      return create(CreateTopicsResponseSchema, {
        topics: outcomes.map((o) =>
          o.ok
            ? create(CreatableTopicResultSchema, {
                name: o.name,
                topicId: o.topicId === undefined ? new Uint8Array(0) : topicIdToBytes(o.topicId),
                errorCode: KafkaError.NONE,
                numPartitions: o.partitions,
              })
            : create(CreatableTopicResultSchema, {
                name: o.name,
                errorCode: o.errorCode,
                errorMessage: o.message,
                numPartitions: -1,
              }),
        ),
      });
    },

    async deleteTopics(req) {
      const refs = req.topics.map(toRef);
      const valid = refs.filter((r): r is TopicRef => !('ok' in r));
      const deleted = await orUnavailable('DeleteTopics', () => registry.delete(valid));
      let next = 0;
      const outcomes = refs.map((r) => ('ok' in r ? r : deleted[next++]));
      return create(DeleteTopicsResponseSchema, {
        topics: outcomes.map((o) =>
          create(DeletableTopicResultSchema, {
            name: o?.name ?? '',
            topicId: o?.topicId === undefined ? new Uint8Array(0) : topicIdToBytes(o.topicId),
            errorCode: o === undefined ? KafkaError.UNKNOWN_SERVER_ERROR : o.ok ? 0 : o.errorCode,
            errorMessage: o === undefined || o.ok ? '' : o.message,
          }),
        ),
      });
    },
  };
}
