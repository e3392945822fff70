/**
 * DescribeClientQuotas (key 48, KIP-546): the client quotas whose entities match a filter,
 * answered by the controlplane from its metadata view
 * (controlplane/src/quotas/describe-client-quotas.ts). `kafka-configs --describe
 * --entity-type users|clients` uses it (also before describing a user's SCRAM credentials).
 *
 * v0: the filter is a list of (entity type, match type, match) components, `strict` asking
 * for entities with exactly those types. v1: flexible.
 * As Kafka validates it: entity types user, client-id and ip; match type 0 (exact, with a
 * name), 1 (the default entity, no name) or 2 (any, no name); an entity type named twice, or
 * ip with user or client-id, is INVALID_REQUEST. Kafscale keeps no ip quotas, so a filter on
 * ip matches nothing. When the controlplane does not answer, the response carries
 * REQUEST_TIMED_OUT.
 */
import { QuotaMatchType } from '../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import {
  defaultDescribeClientQuotasResponse,
  describeClientQuotasApi,
  type DescribeClientQuotasRequest,
  type DescribeClientQuotasResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { entityOfMessage } from '../../../lib/quota/quota-messages.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import { CLIENT_ID, IP, USER, kafkaEntityParts } from './client-quota-entities.js';
import { CONTROLPLANE_DOWN } from './config-resources.js';
import type { KafkaHandler } from './kafka-handler.js';

const ENTITY_TYPES = [USER, CLIENT_ID, IP];

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
  if (seen.has(IP) && (seen.has(USER) || seen.has(CLIENT_ID)))
    return 'Invalid entity filter component combination, IP filter component should not be used with user or clientId filter component.';
  return undefined;
}

const MATCH_TYPES: readonly QuotaMatchType[] = [
  QuotaMatchType.EXACT_UNSPECIFIED,
  QuotaMatchType.DEFAULT,
  QuotaMatchType.SPECIFIED,
];

export function describeClientQuotasHandler(
  controlplane: ControlPlaneClient,
): KafkaHandler<DescribeClientQuotasRequest, DescribeClientQuotasResponse> {
  return {
    api: describeClientQuotasApi,
    minVersion: 0,
    maxVersion: 1,
    async handle(request, ctx) {
      const invalid = invalidFilter(request);
      if (invalid !== undefined)
        return {
          ...defaultDescribeClientQuotasResponse(),
          errorCode: KafkaError.INVALID_REQUEST,
          errorMessage: invalid,
          entries: null,
        };
      if (request.components.some((c) => c.entityType === IP))
        return { ...defaultDescribeClientQuotasResponse(), errorMessage: null, entries: [] };
      try {
        const res = await controlplane.describeClientQuotas(
          {
            components: request.components.map((c) => ({
              entityType: c.entityType,
              matchType: MATCH_TYPES[c.matchType] ?? QuotaMatchType.SPECIFIED,
              match: c.match ?? '',
            })),
            strict: request.strict,
          },
          { timeoutMs: 30_000 },
        );
        return {
          ...defaultDescribeClientQuotasResponse(),
          errorMessage: null,
          entries: res.quotas.map((q) => ({
            entity: kafkaEntityParts(entityOfMessage(q.entity)),
            values: Object.entries(q.values).map(([key, value]) => ({ key, value })),
          })),
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane DescribeClientQuotas failed');
        return { ...defaultDescribeClientQuotasResponse(), ...CONTROLPLANE_DOWN, entries: null };
      }
    },
  };
}
