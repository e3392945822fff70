/**
 * CreatePartitions (key 37), answered by the controlplane, which raises each topic's
 * partition count with Kafka's rules (controlplane/src/topics/create-partitions.ts).
 *
 * v1: same as v0 (throttling after the response). v2: flexible. v3: quota violations are
 * reported as THROTTLING_QUOTA_EXCEEDED (KIP-599; no quotas yet).
 *
 * A topic named twice is answered once, with INVALID_REQUEST ("Duplicate topic name."), as
 * Kafka's controller does. Manual assignments are accepted, but replication is S3's, so
 * only their number matters: it must be the number of partitions added, checked here
 * against this edge's view (Kafka's INVALID_REPLICA_ASSIGNMENT message); the broker ids in
 * them are ignored. The response waits, within the request's timeout, until this edge's
 * view shows the new partitions claimed by their storage nodes, so a client that adds
 * partitions and produces to them at once succeeds.
 *
 * Authorization (Kafka's): ALTER on each topic, else TOPIC_AUTHORIZATION_FAILED.
 */
import {
  createPartitionsApi,
  type CreatePartitionsRequest,
  type CreatePartitionsRequestCreatePartitionsTopic,
  type CreatePartitionsResponse,
  type CreatePartitionsResponseCreatePartitionsTopicResult,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ClusterView } from '../cluster-view.js';
import { awaitWritable } from '../routing/await-topics.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import type { KafkaHandler } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

type Result = CreatePartitionsResponseCreatePartitionsTopicResult;

function result(name: string, errorCode: number, errorMessage: string | null): Result {
  return { name, errorCode, errorMessage };
}

/** The assignment error Kafka gives when their number is not the number of new partitions. */
function assignmentMismatch(
  t: CreatePartitionsRequestCreatePartitionsTopic,
  cluster: ClusterView,
): Result | undefined {
  if (t.assignments === null) return undefined;
  const current = cluster.topic(t.name)?.partitions.length;
  // Unknown here, or not an increase: the controlplane gives the error Kafka checks first.
  if (current === undefined || t.count <= current) return undefined;
  const added = t.count - current;
  if (t.assignments.length === added) return undefined;
  return result(
    t.name,
    KafkaError.INVALID_REPLICA_ASSIGNMENT,
    `Attempted to add ${added} additional partition(s), but only ${t.assignments.length} assignment(s) were specified.`,
  );
}

export function createPartitionsHandler(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<CreatePartitionsRequest, CreatePartitionsResponse> {
  return {
    api: createPartitionsApi,
    minVersion: 0,
    maxVersion: 3,
    async handle(request, ctx) {
      const counts = new Map<string, number>();
      for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
      const answered = new Map<string, Result>();
      const forward: CreatePartitionsRequestCreatePartitionsTopic[] = [];
      for (const t of request.topics) {
        if (answered.has(t.name)) continue;
        const refused =
          (counts.get(t.name) ?? 0) > 1
            ? result(t.name, KafkaError.INVALID_REQUEST, 'Duplicate topic name.')
            : !authorizer.authorize(ctx, AclOperation.ALTER, ResourceType.TOPIC, t.name)
              ? result(t.name, KafkaError.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.')
              : assignmentMismatch(t, cluster);
        if (refused === undefined) forward.push(t);
        else answered.set(t.name, refused);
      }
      if (forward.length > 0) {
        try {
          const res = await controlplane.createPartitions(
            {
              validateOnly: request.validateOnly,
              timeoutMs: request.timeoutMs,
              topics: forward.map((t) => ({ name: t.name, count: t.count })),
            },
            { timeoutMs: Math.max(1000, request.timeoutMs) },
          );
          for (const r of res.results) {
            answered.set(
              r.resourceName,
              result(r.resourceName, r.errorCode, r.errorCode === 0 ? null : r.errorMessage),
            );
          }
          if (!request.validateOnly) {
            const raised = forward.filter((t) => answered.get(t.name)?.errorCode === 0);
            await awaitWritable(cluster, raised, Math.max(0, request.timeoutMs));
          }
        } catch (err) {
          ctx.log.warn({ err }, 'controlplane create partitions failed');
        }
      }
      const names = [...new Set(request.topics.map((t) => t.name))];
      return {
        throttleTimeMs: 0,
        results: names.map(
          (name) =>
            answered.get(name) ??
            result(name, KafkaError.REQUEST_TIMED_OUT, 'the controlplane did not answer'),
        ),
      };
    },
  };
}
