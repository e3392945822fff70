/**
 * DescribeClientQuotas on the controlplane, from its metadata view: every entity whose parts
 * match all the filter's components (EXACT: that name; DEFAULT: the default entity;
 * SPECIFIED: any), and with `strict` only entities with no other part, as Kafka filters
 * them. The edge has already refused malformed filters.
 */
import { create } from '@bufbuild/protobuf';
import {
  DescribeClientQuotasResponseSchema,
  QuotaMatchType,
  type DescribeClientQuotasRequest,
  type DescribeClientQuotasResponse,
  type QuotaFilterComponent,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import type { ClientQuotaEntity, EntityPart } from '../../../lib/quota/quota-entity.js';
import { clientQuotaMessage } from '../../../lib/quota/quota-messages.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

function partOf(entity: ClientQuotaEntity, entityType: string): EntityPart {
  if (entityType === 'user') return entity.user;
  if (entityType === 'client-id') return entity.clientId;
  return undefined;
}

function matches(entity: ClientQuotaEntity, c: QuotaFilterComponent): boolean {
  const part = partOf(entity, c.entityType);
  switch (c.matchType) {
    case QuotaMatchType.EXACT_UNSPECIFIED:
      return typeof part === 'string' && part === c.match;
    case QuotaMatchType.DEFAULT:
      return part === null;
    case QuotaMatchType.SPECIFIED:
      return part !== undefined;
  }
}

/** True when the entity has a part that no component names. */
function hasOtherParts(entity: ClientQuotaEntity, req: DescribeClientQuotasRequest): boolean {
  const named = new Set(req.components.map((c) => c.entityType));
  return (
    (entity.user !== undefined && !named.has('user')) ||
    (entity.clientId !== undefined && !named.has('client-id'))
  );
}

export function describeClientQuotas(
  view: MetadataView,
  req: DescribeClientQuotasRequest,
): DescribeClientQuotasResponse {
  return create(DescribeClientQuotasResponseSchema, {
    quotas: view
      .clientQuotas()
      .filter(
        ({ entity }) =>
          req.components.every((c) => matches(entity, c)) &&
          !(req.strict && hasOtherParts(entity, req)),
      )
      .map(({ entity, values }) => clientQuotaMessage(entity, values)),
  });
}
