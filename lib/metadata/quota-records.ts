/**
 * A client quota value in etcd: `quotas/<entity path>/<quota key>` (lib/quota/quota-entity.ts)
 * holding `{"value": <number>}`. One key per value, so setting one is a put and removing one
 * a delete, with no read of the entity's other values.
 */
import { parseEntityPath, type ClientQuotaEntity } from '../quota/quota-entity.js';
import { QUOTA_KEYS, quotaValueProblem } from '../quota/quota-keys.js';
import { BadMetadataValueError, decodeJsonObject, encodeJson, field } from './json-value.js';

export function encodeQuotaValue(value: number): Uint8Array {
  return encodeJson({ value });
}

export function decodeQuotaValue(key: string, quotaKey: string, bytes: Uint8Array): number {
  const o = decodeJsonObject(key, bytes);
  const isNumber = (v: unknown): v is number => typeof v === 'number';
  const value = field(key, o, 'value', isNumber, 'a number');
  const problem = quotaValueProblem(quotaKey, value);
  if (problem !== undefined) throw new BadMetadataValueError(key, problem);
  return value;
}

/** The entity and quota key a `quotas/` key's segments name, or undefined for a foreign key. */
export function parseQuotaKeyParts(
  segments: readonly string[],
): { entity: ClientQuotaEntity; quotaKey: string } | undefined {
  const quotaKey = segments.at(-1);
  if (quotaKey === undefined || !QUOTA_KEYS.includes(quotaKey)) return undefined;
  const entity = parseEntityPath(segments.slice(0, -1));
  return entity === undefined ? undefined : { entity, quotaKey };
}
