/**
 * OffsetFetch (key 9): committed offsets, read from the controlplane replicas that
 * coordinate the groups, one call per replica. A partition without a committed offset has
 * offset -1.
 *
 * v1: offsets kept by the broker (v0 read them from ZooKeeper; both read the same offsets
 * here). Before v2 there is no top-level error: a group-level error is put in every
 * requested partition. v2: top-level error; null topics asks for every committed offset.
 * v3: throttle time. v4: same as v3. v5: leader epoch per partition (KIP-320). v6:
 * flexible. v7: require stable (KIP-447; without transactions every offset is stable).
 * v8: several groups per request (KIP-709), split by coordinating replica and answered in
 * request order. v9: member id and epoch of the new consumer protocol (KIP-848; ignored,
 * there are only classic groups).
 *
 * Authorization (Kafka's): DESCRIBE on the group, else GROUP_AUTHORIZATION_FAILED; a topic
 * asked for without DESCRIBE on it has TOPIC_AUTHORIZATION_FAILED partitions, and a request
 * for every committed offset leaves out the topics the principal may not describe.
 */
import {
  offsetFetchApi,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type OffsetFetchResponsePartition,
} from '../../../lib/kafka/gen/index.js';
import { create } from '@bufbuild/protobuf';
import {
  TopicCommittedOffsetsSchema,
  type OffsetFetchGroupResult,
  type TopicCommittedOffsets,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { Logger } from '../../../lib/log/logger.js';
import {
  GROUP_CALL_TIMEOUT_MS,
  splitByCoordinator,
  type GroupCoordinators,
} from '../routing/group-coordinators.js';
import type { KafkaHandler, RequestContext } from './kafka-handler.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';

interface GroupAsk {
  readonly groupId: string;
  /** null: every committed offset of the group. */
  readonly topics: readonly { name: string; partitionIndexes: number[] }[] | null;
}

interface GroupAnswer {
  readonly errorCode: number;
  readonly topics: readonly TopicCommittedOffsets[];
}

interface OffsetFetchTopicResult {
  name: string;
  partitions: OffsetFetchResponsePartition[];
}

function kafkaTopics(topics: readonly TopicCommittedOffsets[]): OffsetFetchTopicResult[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partition,
      committedOffset: p.committedOffset,
      committedLeaderEpoch: p.committedLeaderEpoch,
      metadata: p.metadata ?? null,
      errorCode: p.errorCode,
    })),
  }));
}

/** Each requested partition with the group's error (responses before v2). */
function errorInEveryPartition(ask: GroupAsk, errorCode: number): OffsetFetchTopicResult[] {
  return (ask.topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({
      partitionIndex,
      committedOffset: -1n,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode,
    })),
  }));
}

/** A topic's partitions answered with an error and no offset. */
function failedTopic(
  t: { name: string; partitionIndexes: number[] },
  errorCode: number,
): TopicCommittedOffsets {
  return create(TopicCommittedOffsetsSchema, {
    name: t.name,
    partitions: t.partitionIndexes.map((partition) => ({
      partition,
      committedOffset: -1n,
      committedLeaderEpoch: -1,
      errorCode,
    })),
  });
}

export function offsetFetchHandler(
  coordinators: GroupCoordinators,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<OffsetFetchRequest, OffsetFetchResponse> {
  /**
   * fetchGroups for what the principal may see: groups without DESCRIBE are not asked,
   * topics without DESCRIBE are answered here (asked for) or left out (all topics).
   */
  async function authorizedFetch(
    asks: readonly GroupAsk[],
    requireStable: boolean,
    ctx: RequestContext,
  ): Promise<GroupAnswer[]> {
    const mayDescribe = (type: number, name: string) =>
      authorizer.authorize(ctx, AclOperation.DESCRIBE, type, name);
    const allowed = asks.filter((a) => mayDescribe(ResourceType.GROUP, a.groupId));
    const forwarded = allowed.map((a) => ({
      groupId: a.groupId,
      topics: a.topics?.filter((t) => mayDescribe(ResourceType.TOPIC, t.name)) ?? null,
    }));
    const fetched = await fetchGroups(forwarded, requireStable, ctx.log);
    return asks.map((a) => {
      const i = allowed.indexOf(a);
      const answer = fetched[i];
      if (i < 0 || answer === undefined)
        return { errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED, topics: [] };
      if (a.topics === null)
        return {
          ...answer,
          topics: answer.topics.filter((t) => mayDescribe(ResourceType.TOPIC, t.name)),
        };
      const denied = a.topics
        .filter((t) => !mayDescribe(ResourceType.TOPIC, t.name))
        .map((t) => failedTopic(t, KafkaError.TOPIC_AUTHORIZATION_FAILED));
      return { ...answer, topics: [...answer.topics, ...denied] };
    });
  }

  /** Asks each replica for its groups; answers are in the order of `asks`. */
  async function fetchGroups(
    asks: readonly GroupAsk[],
    requireStable: boolean,
    log: Logger,
  ): Promise<GroupAnswer[]> {
    const answers = new Map<GroupAsk, GroupAnswer>();
    const { byClient, unheld } = splitByCoordinator(coordinators, asks, (a) => a.groupId);
    for (const a of unheld)
      answers.set(a, { errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE, topics: [] });
    await Promise.all(
      [...byClient].map(async ([client, group]) => {
        let results: OffsetFetchGroupResult[] | undefined;
        try {
          const res = await client.offsetFetch(
            {
              groups: group.map((a) => ({
                groupId: a.groupId,
                topics: (a.topics ?? []).map((t) => ({
                  name: t.name,
                  partitions: t.partitionIndexes,
                })),
                allTopics: a.topics === null,
              })),
              requireStable,
            },
            { timeoutMs: GROUP_CALL_TIMEOUT_MS },
          );
          results = res.groups;
        } catch (err) {
          log.warn({ err, groupIds: group.map((a) => a.groupId) }, 'group coordinator call failed');
        }
        group.forEach((a, i) => {
          const r =
            results?.[i]?.groupId === a.groupId
              ? results[i]
              : results?.find((g) => g.groupId === a.groupId);
          answers.set(
            a,
            r === undefined
              ? { errorCode: KafkaError.NOT_COORDINATOR, topics: [] }
              : { errorCode: r.errorCode, topics: r.topics },
          );
        });
      }),
    );
    return asks.map(
      (a) => answers.get(a) ?? { errorCode: KafkaError.UNKNOWN_SERVER_ERROR, topics: [] },
    );
  }

  return {
    api: offsetFetchApi,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const v = ctx.apiVersion;
      if (v >= 8) {
        const asks: GroupAsk[] = request.groups.map((g) => ({
          groupId: g.groupId,
          topics: g.topics,
        }));
        const answers = await authorizedFetch(asks, request.requireStable, ctx);
        return {
          throttleTimeMs: 0,
          topics: [],
          errorCode: 0,
          groups: asks.map((a, i) => {
            const answer = answers[i];
            return {
              groupId: a.groupId,
              errorCode: answer?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR,
              topics: kafkaTopics(answer?.topics ?? []),
            };
          }),
        };
      }
      const ask: GroupAsk = { groupId: request.groupId, topics: request.topics };
      const [answer] = await authorizedFetch([ask], request.requireStable, ctx);
      const errorCode = answer?.errorCode ?? KafkaError.UNKNOWN_SERVER_ERROR;
      return {
        throttleTimeMs: 0,
        errorCode: v >= 2 ? errorCode : 0,
        topics:
          v < 2 && errorCode !== 0
            ? errorInEveryPartition(ask, errorCode)
            : kafkaTopics(answer?.topics ?? []),
        groups: [],
      };
    },
  };
}
