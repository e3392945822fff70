/**
 * DescribeClientQuotas (key 48): which client quotas are set. Quotas are not implemented yet
 * (a later slice of the security work, docs/security.md), so none is ever set and the true
 * answer to every valid filter is an empty list. It is served because Kafka's own
 * `kafka-configs --describe --entity-type users` asks it before describing a user's SCRAM
 * credentials, and fails without it.
 *
 * v0: the filter is a list of (entity type, match type, match) components, `strict` asking
 * for entities with exactly those types. v1: flexible.
 * As Kafka validates it: entity types user, client-id and ip; match type 0 (exact, with a
 * name), 1 (the default entity, no name) or 2 (any, no name); an entity type named twice, or
 * ip with user or client-id, is INVALID_REQUEST.
 */
import {
  defaultDescribeClientQuotasResponse,
  describeClientQuotasApi,
  type DescribeClientQuotasRequest,
  type DescribeClientQuotasResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { KafkaHandler } from './kafka-handler.js';

const ENTITY_TYPES = ['user', 'client-id', 'ip'];

/** Why the filter is invalid, or undefined. */
function invalidFilter(request: DescribeClientQuotasRequest): string | undefined {
  const seen = new Set<string>();
  for (const c of request.components) {
    if (!ENTITY_TYPES.includes(c.entityType))
      return `Custom entity type '${c.entityType}' not supported`;
    if (seen.has(c.entityType)) return `Duplicate ${c.entityType} filter component entity type`;
    seen.add(c.entityType);
    const named = c.match !== null;
    if (c.matchType === 0 ? !named : c.matchType === 1 || c.matchType === 2 ? named : true)
      return `Unexpected match type ${c.matchType} or match for ${c.entityType}`;
  }
  if (seen.has('ip') && (seen.has('user') || seen.has('client-id')))
    return 'Invalid entity filter component combination, IP filter component should not be used with user or clientId filter component.';
  return undefined;
}

export function describeClientQuotasHandler(): KafkaHandler<
  DescribeClientQuotasRequest,
  DescribeClientQuotasResponse
> {
  return {
    api: describeClientQuotasApi,
    minVersion: 0,
    maxVersion: 1,
    handle(request) {
      const invalid = invalidFilter(request);
      if (invalid !== undefined)
        return {
          ...defaultDescribeClientQuotasResponse(),
          errorCode: KafkaError.INVALID_REQUEST,
          errorMessage: invalid,
          entries: null,
        };
      return { ...defaultDescribeClientQuotasResponse(), errorMessage: null, entries: [] };
    },
  };
}
