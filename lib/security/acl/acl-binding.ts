/**
 * Kafka's ACL model (org.apache.kafka.common.acl and .resource): the wire codes of resource
 * types, pattern types, operations and permission types, and one binding of a resource
 * pattern to an access control entry. Codes outside these tables arrive from clients as
 * Kafka's UNKNOWN.
 */

export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;

export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;

export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;

export const AclPermission = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;

/** The one name a CLUSTER resource has. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';
/** A literal resource name that matches every name of its type. */
export const WILDCARD_RESOURCE = '*';
/** A principal that matches every principal. */
export const WILDCARD_PRINCIPAL = 'User:*';
/** A host that matches every host. */
export const WILDCARD_HOST = '*';

/** Kafka's name of a code in one of the tables above, or UNKNOWN. */
export function codeName(table: Readonly<Record<string, number>>, code: number): string {
  for (const [name, c] of Object.entries(table)) if (c === code) return name;
  return 'UNKNOWN';
}

/** The code of a name (case-insensitive), or undefined. */
export function codeOf(table: Readonly<Record<string, number>>, name: string): number | undefined {
  return table[name.toUpperCase()];
}

/** A code as a client sent it, with any code outside the table read as UNKNOWN (0). */
export function knownCode(table: Readonly<Record<string, number>>, code: number): number {
  return Object.values(table).includes(code) ? code : 0;
}

/** One ACL: who (principal, host) may or may not do what (operation) to which resources. */
export interface AclBinding {
  readonly resourceType: number;
  readonly resourceName: string;
  /** LITERAL or PREFIXED. */
  readonly patternType: number;
  /** `Type:name`, e.g. `User:alice` or `User:*`. */
  readonly principal: string;
  /** An IP address, or `*`. */
  readonly host: string;
  readonly operation: number;
  /** ALLOW or DENY. */
  readonly permission: number;
}

/** A stable text naming a binding (the same binding always gives the same text). */
export function bindingId(b: AclBinding): string {
  return [
    b.resourceType,
    b.patternType,
    b.resourceName,
    b.principal,
    b.host,
    b.operation,
    b.permission,
  ].join('\0');
}
