/** Client quota entities and values as the controlplane's gRPC messages carry them. */
import { create } from '@bufbuild/protobuf';
import {
  ClientQuotaEntitySchema,
  ClientQuotaSchema,
  QuotaEntityNameSchema,
  type ClientQuota,
  type ClientQuotaEntity as ClientQuotaEntityMessage,
  type QuotaEntityName,
} from '../gen/proto/kafscale/controlplane/v1/quota_pb.js';
import type { ClientQuotaEntity, EntityPart } from './quota-entity.js';

function nameMessage(part: EntityPart): QuotaEntityName | undefined {
  if (part === undefined) return undefined;
  return create(QuotaEntityNameSchema, { isDefault: part === null, name: part ?? '' });
}

function partOf(m: QuotaEntityName | undefined): EntityPart {
  if (m === undefined) return undefined;
  return m.isDefault ? null : m.name;
}

export function entityMessage(e: ClientQuotaEntity): ClientQuotaEntityMessage {
  const user = nameMessage(e.user);
  const clientId = nameMessage(e.clientId);
  return create(ClientQuotaEntitySchema, {
    ...(user === undefined ? {} : { user }),
    ...(clientId === undefined ? {} : { clientId }),
  });
}

export function entityOfMessage(m: ClientQuotaEntityMessage | undefined): ClientQuotaEntity {
  return { user: partOf(m?.user), clientId: partOf(m?.clientId) };
}

export function clientQuotaMessage(
  entity: ClientQuotaEntity,
  values: ReadonlyMap<string, number>,
): ClientQuota {
  return create(ClientQuotaSchema, {
    entity: entityMessage(entity),
    values: Object.fromEntries([...values].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
  });
}
