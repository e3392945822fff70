/**
 * The per-partition APIs (ListOffsets, OffsetForLeaderEpoch, DeleteRecords, DescribeProducers)
 * authorize each topic as Kafka does: the partitions of a topic the principal may not act on
 * get TOPIC_AUTHORIZATION_FAILED (before any check of whether the topic exists) and are not
 * sent on to storage nodes.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { ResourceType } from '../../../lib/security/acl/acl-binding.js';
import type { RequestContext } from '../handlers/kafka-handler.js';
import type { RequestAuthorizer } from './request-authorizer.js';

/** The slots whose topic allows `operation`; `deny` answers each of the others. */
export function authorizedTopicSlots<S extends { readonly topicName: string }>(
  authorizer: RequestAuthorizer,
  ctx: RequestContext,
  operation: number,
  slots: readonly S[],
  deny: (slot: S, errorCode: number) => void,
): S[] {
  return slots.filter((s) => {
    if (authorizer.authorize(ctx, operation, ResourceType.TOPIC, s.topicName)) return true;
    deny(s, KafkaError.TOPIC_AUTHORIZATION_FAILED);
    return false;
  });
}
