/**
 * What CreateAcls accepts, with Kafka's rules (AclControlManager): a known resource type,
 * pattern type LITERAL or PREFIXED, a concrete operation and permission (not ANY or
 * UNKNOWN), a non-empty resource name (`kafka-cluster` for the cluster), a principal of the
 * form `Type:name`, and a host. Anything else is INVALID_REQUEST with the reason.
 */
import {
  AclOperation,
  AclPermission,
  CLUSTER_RESOURCE_NAME,
  PatternType,
  ResourceType,
  codeName,
  type AclBinding,
} from './acl-binding.js';

/** Resource type, operation or permission codes a binding may not carry. */
const NOT_CONCRETE = new Set<number>([0, 1]);

/** The largest resource name, principal or host accepted (etcd keys stay small). */
export const MAX_ACL_TEXT = 1024;

/** Why the binding cannot be created, or undefined when it can. */
export function bindingProblem(b: AclBinding): string | undefined {
  if (NOT_CONCRETE.has(b.resourceType) || codeName(ResourceType, b.resourceType) === 'UNKNOWN')
    return `Invalid resourceType ${codeName(ResourceType, b.resourceType)}`;
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED)
    return `Invalid patternType ${codeName(PatternType, b.patternType)}`;
  if (NOT_CONCRETE.has(b.operation) || codeName(AclOperation, b.operation) === 'UNKNOWN')
    return `Invalid operation ${codeName(AclOperation, b.operation)}`;
  if (b.permission !== AclPermission.ALLOW && b.permission !== AclPermission.DENY)
    return `Invalid permissionType ${codeName(AclPermission, b.permission)}`;
  if (b.resourceName === '') return 'Resource name should not be empty';
  if (b.resourceType === ResourceType.CLUSTER && b.resourceName !== CLUSTER_RESOURCE_NAME)
    return `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`;
  const colon = b.principal.indexOf(':');
  if (colon < 0)
    return `Could not parse principal from \`${b.principal}\` (no colon is present separating the principal type from the principal name)`;
  if (colon === 0)
    return `Could not parse principal from \`${b.principal}\` (empty principal type)`;
  if (b.host === '') return 'Host should not be empty';
  for (const [what, text] of [
    ['Resource name', b.resourceName],
    ['Principal', b.principal],
    ['Host', b.host],
  ] as const)
    if (text.length > MAX_ACL_TEXT) return `${what} is longer than ${MAX_ACL_TEXT} characters`;
  return undefined;
}
