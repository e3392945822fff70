/**
 * Kafka's AclBindingFilter: what DescribeAcls lists and DeleteAcls removes. A null name,
 * principal or host matches any; ANY matches any code. The pattern type filter MATCH with a
 * name selects the patterns that would apply to that name (the literal name, the literal
 * wildcard `*` and every prefix of it); ANY selects patterns of any type with exactly that
 * name. Principal and host are compared exactly (a filter `User:*` finds wildcard ACLs only).
 */
import {
  AclOperation,
  AclPermission,
  PatternType,
  ResourceType,
  WILDCARD_RESOURCE,
  knownCode,
  type AclBinding,
} from './acl-binding.js';

export interface AclBindingFilter {
  readonly resourceType: number;
  readonly resourceName: string | null;
  readonly patternType: number;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: number;
  readonly permission: number;
}

/**
 * Why Kafka refuses the filter (INVALID_REQUEST), or undefined when it is usable: a part that
 * is UNKNOWN, or a code outside Kafka's tables (which Kafka reads as UNKNOWN).
 */
export function filterProblem(f: AclBindingFilter): string | undefined {
  if (knownCode(ResourceType, f.resourceType) === ResourceType.UNKNOWN)
    return 'The filter has an unknown resource type';
  if (knownCode(PatternType, f.patternType) === PatternType.UNKNOWN)
    return 'The filter has an unknown pattern type';
  if (knownCode(AclOperation, f.operation) === AclOperation.UNKNOWN)
    return 'The filter has an unknown operation';
  if (knownCode(AclPermission, f.permission) === AclPermission.UNKNOWN)
    return 'The filter has an unknown permission type';
  return undefined;
}

function patternMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false;
  const anyType = f.patternType === PatternType.ANY || f.patternType === PatternType.MATCH;
  if (!anyType && f.patternType !== b.patternType) return false;
  const name = f.resourceName;
  if (name === null) return true;
  if (f.patternType !== PatternType.MATCH || b.patternType === PatternType.MATCH)
    return name === b.resourceName;
  if (b.patternType === PatternType.LITERAL)
    return name === b.resourceName || b.resourceName === WILDCARD_RESOURCE;
  return b.patternType === PatternType.PREFIXED && name.startsWith(b.resourceName);
}

function entryMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.principal !== null && f.principal !== b.principal) return false;
  if (f.host !== null && f.host !== b.host) return false;
  if (f.operation !== AclOperation.ANY && f.operation !== b.operation) return false;
  return f.permission === AclPermission.ANY || f.permission === b.permission;
}

export function filterMatches(f: AclBindingFilter, b: AclBinding): boolean {
  return patternMatches(f, b) && entryMatches(f, b);
}
