/**
 * Client quota entities as the Kafka protocol spells them (a list of entity type and name,
 * a null name for the default entity), checked with Kafka's rules and messages: at least one
 * part, no type twice, no empty name, types `user` and `client-id`. Kafka's third type,
 * `ip` (connection_creation_rate), is refused: Kafscale does not limit connections.
 */
import type { ClientQuotaEntity } from '../../../lib/quota/quota-entity.js';

export interface KafkaEntityPart {
  readonly entityType: string;
  readonly entityName: string | null;
}

export const USER = 'user';
export const CLIENT_ID = 'client-id';
export const IP = 'ip';

/** The entity the parts name, or why they name none Kafscale supports. */
export function entityFromKafka(
  parts: readonly KafkaEntityPart[],
): { entity: ClientQuotaEntity } | { problem: string } {
  if (parts.length === 0) return { problem: 'Invalid empty client quota entity' };
  let user: string | null | undefined;
  let clientId: string | null | undefined;
  const seen = new Set<string>();
  for (const { entityType, entityName } of parts) {
    if (seen.has(entityType))
      return {
        problem: `Invalid empty client quota entity, duplicate entity entry ${entityType}`,
      };
    seen.add(entityType);
    if (entityType === IP)
      return { problem: 'Entity type ip (connection_creation_rate) is not supported by Kafscale' };
    if (entityType !== USER && entityType !== CLIENT_ID)
      return { problem: `Unhandled client quota entity type: ${entityType}` };
    if (entityName === '') return { problem: `Empty ${entityType} not supported` };
    if (entityType === USER) user = entityName;
    else clientId = entityName;
  }
  return { entity: { user, clientId } };
}

/** The entity's parts as the Kafka protocol lists them. */
export function kafkaEntityParts(entity: ClientQuotaEntity): KafkaEntityPart[] {
  const parts: KafkaEntityPart[] = [];
  if (entity.user !== undefined) parts.push({ entityType: USER, entityName: entity.user });
  if (entity.clientId !== undefined)
    parts.push({ entityType: CLIENT_ID, entityName: entity.clientId });
  return parts;
}
