/**
 * An ACL binding in etcd: the whole binding is its key,
 * `acl/<RESOURCE_TYPE>/<PATTERN_TYPE>/<name>/<principal>/<host>/<OPERATION>/<PERMISSION>`
 * (Kafka's names for the codes; name, principal and host URI-encoded), and the value is an
 * empty JSON object. So a binding exists once at most, creating it again rewrites the same
 * key, and deleting it deletes that key.
 */
import {
  AclOperation,
  AclPermission,
  PatternType,
  ResourceType,
  codeName,
  codeOf,
  type AclBinding,
} from '../security/acl/acl-binding.js';
import { bindingProblem } from '../security/acl/acl-validation.js';
import { encodeJson } from './json-value.js';

/** The key suffix after `acl/` that names a binding. */
export function aclKeyParts(b: AclBinding): string {
  return [
    codeName(ResourceType, b.resourceType),
    codeName(PatternType, b.patternType),
    encodeURIComponent(b.resourceName),
    encodeURIComponent(b.principal),
    encodeURIComponent(b.host),
    codeName(AclOperation, b.operation),
    codeName(AclPermission, b.permission),
  ].join('/');
}

/** The value stored under a binding's key. */
export function encodeAclValue(): Uint8Array {
  return encodeJson({});
}

/** The binding an `acl/` key names (the parts after `acl/`), or undefined for a foreign key. */
export function parseAclKeyParts(parts: readonly string[]): AclBinding | undefined {
  if (parts.length !== 7) return undefined;
  const [type, pattern, name, principal, host, operation, permission] = parts;
  const code = (table: Readonly<Record<string, number>>, text: string | undefined) =>
    text !== undefined && /^[A-Z_]+$/.test(text) ? codeOf(table, text) : undefined;
  const text = (s: string | undefined) => {
    try {
      return s === undefined ? undefined : decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  const b = {
    resourceType: code(ResourceType, type),
    patternType: code(PatternType, pattern),
    resourceName: text(name),
    principal: text(principal),
    host: text(host),
    operation: code(AclOperation, operation),
    permission: code(AclPermission, permission),
  };
  if (Object.values(b).some((v) => v === undefined)) return undefined;
  const binding = b as AclBinding;
  return bindingProblem(binding) === undefined ? binding : undefined;
}
