/**
 * CreateTopics (key 19), answered by the controlplane (one implementation of the rules
 * behind the Kafka API and the admin API).
 *
 * v1: validate_only and error messages. v2: throttle time. v4: num_partitions and
 * replication_factor may be -1 (broker defaults, KIP-464). v5: flexible; the response
 * carries partitions, replication factor and configs: here the configs the request set
 * (source DYNAMIC_TOPIC_CONFIG), never null on success, since the Java admin client reads
 * them. v6: quota violations are reported as THROTTLING_QUOTA_EXCEEDED (no quotas yet).
 * v7: topic ids.
 *
 * Replication factor is accepted and ignored (durability comes from S3); a manual replica
 * assignment sets only the partition count. The response waits (within the request's
 * timeout) until this edge's view shows the new topics with every partition claimed, so an
 * immediate produce finds them writable.
 *
 * Authorization (Kafka's): CREATE on the cluster allows every topic, else each topic needs
 * CREATE on itself (else TOPIC_AUTHORIZATION_FAILED, not forwarded).
 */
import {
  createTopicsApi,
  defaultCreateTopicsResponseCreatableTopicResult,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { topicIdText } from '../../../lib/metadata/topic-records.js';
import type { ClusterView } from '../cluster-view.js';
import { awaitWritable } from '../routing/await-topics.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import {
  allowEverything,
  onCluster,
  type RequestAuthorizer,
} from '../security/request-authorizer.js';

/** Kafka's config source for a topic-level override. */
const DYNAMIC_TOPIC_CONFIG = 1;

export function createTopicsHandler(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<CreateTopicsRequest, CreateTopicsResponse> {
  return {
    api: createTopicsApi,
    minVersion: 0,
    maxVersion: 7,
    async handle(request, ctx) {
      const counts = new Map<string, number>();
      for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
      const byName = new Map<string, CreateTopicsResponse['topics'][number]>();
      const createsAny = onCluster(authorizer, ctx, AclOperation.CREATE);
      const unique = request.topics.filter((t) => {
        if (counts.get(t.name) !== 1) return false;
        if (
          createsAny ||
          authorizer.authorize(ctx, AclOperation.CREATE, ResourceType.TOPIC, t.name)
        )
          return true;
        byName.set(t.name, {
          ...defaultCreateTopicsResponseCreatableTopicResult(),
          name: t.name,
          errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: 'Authorization failed.',
          numPartitions: -1,
          replicationFactor: -1,
          configs: null,
        });
        return false;
      });
      const requestedConfigs = new Map(
        unique.map((t) => [
          t.name,
          t.configs.map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: false,
            configSource: DYNAMIC_TOPIC_CONFIG,
            isSensitive: false,
          })),
        ]),
      );
      if (unique.length > 0) {
        try {
          const res = await controlplane.createTopics(
            {
              validateOnly: request.validateOnly,
              timeoutMs: request.timeoutMs,
              topics: unique.map((t) => ({
                name: t.name,
                numPartitions: t.assignments.length > 0 ? t.assignments.length : t.numPartitions,
                replicationFactor: t.assignments.length > 0 ? -1 : t.replicationFactor,
                configs: Object.fromEntries(t.configs.map((c) => [c.name, c.value ?? ''])),
              })),
            },
            { timeoutMs: Math.max(1000, request.timeoutMs) },
          );
          for (const r of res.topics) {
            byName.set(r.name, {
              ...defaultCreateTopicsResponseCreatableTopicResult(),
              name: r.name,
              topicId: r.topicId.length === 16 ? topicIdText(r.topicId) : 'AAAAAAAAAAAAAAAAAAAAAA',
              errorCode: r.errorCode,
              errorMessage: r.errorCode === 0 ? null : r.errorMessage,
              numPartitions: r.errorCode === 0 ? r.numPartitions : -1,
              replicationFactor: r.errorCode === 0 ? 1 : -1,
              configs: r.errorCode === 0 ? (requestedConfigs.get(r.name) ?? []) : null,
            });
          }
          if (!request.validateOnly) {
            // Until every partition is claimed, so a produce right after the answer is not
            // refused (a producer without idempotence would retry it out of order).
            const created = res.topics
              .filter((r) => r.errorCode === 0)
              .map((r) => ({ name: r.name, count: r.numPartitions }));
            await awaitWritable(cluster, created, Math.max(0, request.timeoutMs));
          }
        } catch (err) {
          ctx.log.warn({ err }, 'controlplane create topics failed');
        }
      }
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t) => {
          const answered = byName.get(t.name);
          if (answered) return answered;
          const duplicate = (counts.get(t.name) ?? 0) > 1;
          return {
            ...defaultCreateTopicsResponseCreatableTopicResult(),
            name: t.name,
            errorCode: duplicate ? KafkaError.INVALID_REQUEST : KafkaError.REQUEST_TIMED_OUT,
            errorMessage: duplicate
              ? `topic ${t.name} appears more than once in the request`
              : 'the controlplane did not answer',
            numPartitions: -1,
            replicationFactor: -1,
            configs: null,
          };
        }),
      };
    },
  };
}
