/**
 * Authorization with Kafka's rules (StandardAuthorizer, AclAuthorizer):
 *
 * - A super user (KAFSCALE_SUPER_USERS, Kafka's super.users) may do everything.
 * - The bindings that apply to a resource are those of its literal name, of the literal
 *   wildcard `*` and of every prefixed pattern the name starts with, for the principal or
 *   `User:*` and for the client's host or `*`.
 * - A resource that no binding applies to at all (for any principal) is open to everyone
 *   only with allow.everyone.if.no.acl.found, else closed.
 * - DENY wins: a DENY binding of the operation (or ALL) refuses, whatever allows it.
 * - Otherwise an ALLOW binding of the operation (or ALL) allows; READ, WRITE, DELETE and
 *   ALTER also allow DESCRIBE, and ALTER_CONFIGS allows DESCRIBE_CONFIGS (deny is not
 *   implied: a DENY READ does not refuse DESCRIBE).
 *
 * Until the index has loaded its first set of bindings only super users are allowed (an
 * edge that has not heard from the controlplane yet knows no DENY). Decisions are cached
 * per (principal, host, operation, resource) and the cache is dropped
 * whenever the index's bindings change, so the produce and fetch paths pay one map lookup.
 */
import {
  AclOperation,
  AclPermission,
  PatternType,
  ResourceType,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  type AclBinding,
} from './acl-binding.js';
import type { AclIndex } from './acl-index.js';

export interface AuthorizerSettings {
  /** Principals (`User:name`) allowed everything. */
  readonly superUsers: ReadonlySet<string>;
  /** Kafka's allow.everyone.if.no.acl.found. */
  readonly allowEveryoneIfNoAclFound: boolean;
}

/** Who asks: the principal (`User:alice`) and the client's IP address. */
export interface Requester {
  readonly principal: string;
  readonly host: string;
}

const O = AclOperation;

/** The operations whose ALLOW also allows `operation`. */
const ALLOWED_BY = new Map<number, readonly number[]>([
  [O.DESCRIBE, [O.DESCRIBE, O.READ, O.WRITE, O.DELETE, O.ALTER]],
  [O.DESCRIBE_CONFIGS, [O.DESCRIBE_CONFIGS, O.ALTER_CONFIGS]],
]);

/** The operations Kafka reports as "authorized operations" of each resource type. */
export const SUPPORTED_OPERATIONS = new Map<number, readonly number[]>([
  [
    ResourceType.TOPIC,
    [O.READ, O.WRITE, O.CREATE, O.DELETE, O.ALTER, O.DESCRIBE, O.DESCRIBE_CONFIGS, O.ALTER_CONFIGS],
  ],
  [ResourceType.GROUP, [O.READ, O.DELETE, O.DESCRIBE]],
  [
    ResourceType.CLUSTER,
    [
      O.CREATE,
      O.CLUSTER_ACTION,
      O.DESCRIBE_CONFIGS,
      O.ALTER_CONFIGS,
      O.IDEMPOTENT_WRITE,
      O.ALTER,
      O.DESCRIBE,
    ],
  ],
  [ResourceType.TRANSACTIONAL_ID, [O.DESCRIBE, O.WRITE]],
]);

/** Cached decisions kept before the cache starts again (bounds the edge's memory). */
const MAX_CACHED_DECISIONS = 100_000;

function appliesTo(b: AclBinding, who: Requester, operation: number): boolean {
  return (
    (b.principal === who.principal || b.principal === WILDCARD_PRINCIPAL) &&
    (b.host === who.host || b.host === WILDCARD_HOST) &&
    (b.operation === operation || b.operation === O.ALL)
  );
}

export class AclAuthorizer {
  private decisions = new Map<string, boolean>();
  /** The index version the cached decisions were made at. */
  private decidedAt = -1;

  constructor(
    private readonly settings: AuthorizerSettings,
    private readonly index: AclIndex,
  ) {}

  isSuperUser(principal: string): boolean {
    return this.settings.superUsers.has(principal);
  }

  /** May `who` perform `operation` on the resource `name` of `resourceType`? */
  authorize(who: Requester, operation: number, resourceType: number, name: string): boolean {
    if (this.isSuperUser(who.principal)) return true;
    if (!this.index.loaded) return false;
    if (this.decidedAt !== this.index.version) {
      this.decisions = new Map();
      this.decidedAt = this.index.version;
    }
    const key = `${who.principal}\0${who.host}\0${operation}\0${resourceType}\0${name}`;
    const cached = this.decisions.get(key);
    if (cached !== undefined) return cached;
    const decision = this.decide(who, operation, resourceType, name);
    if (this.decisions.size >= MAX_CACHED_DECISIONS) this.decisions = new Map();
    this.decisions.set(key, decision);
    return decision;
  }

  private decide(who: Requester, operation: number, resourceType: number, name: string): boolean {
    const bindings = this.index.matching(resourceType, name);
    if (bindings.length === 0) return this.settings.allowEveryoneIfNoAclFound;
    for (const b of bindings)
      if (b.permission === AclPermission.DENY && appliesTo(b, who, operation)) return false;
    const allowing = ALLOWED_BY.get(operation) ?? new Set([operation]);
    return bindings.some(
      (b) =>
        b.permission === AclPermission.ALLOW && [...allowing].some((op) => appliesTo(b, who, op)),
    );
  }

  /**
   * May `who` perform `operation` on at least one resource of `resourceType`? Kafka's
   * authorizeByResourceType (used for idempotent producers without IDEMPOTENT_WRITE): yes
   * when a resource no binding applies to would be allowed, or when some ALLOW pattern of
   * the operation (or ALL) is not wholly covered by a DENY: a literal `*` DENY refuses all,
   * a literal ALLOW is covered by the same literal DENY or a prefix DENY of it, a prefixed
   * ALLOW by a prefix DENY of it. Implied operations do not count here, as in Kafka.
   */
  authorizeByResourceType(who: Requester, operation: number, resourceType: number): boolean {
    // A made-up name: allowed when only wildcards or nothing apply (super users included).
    if (this.authorize(who, operation, resourceType, 'hardcode')) return true;
    if (!this.index.loaded) return false;
    const denyLiteral = new Set<string>();
    const denyPrefixed = new Set<string>();
    const allow: AclBinding[] = [];
    for (const b of this.index.ofType(resourceType)) {
      if (!appliesTo(b, who, operation)) continue;
      if (b.permission === AclPermission.DENY) {
        if (b.patternType === PatternType.LITERAL && b.resourceName === WILDCARD_RESOURCE)
          return false;
        (b.patternType === PatternType.LITERAL ? denyLiteral : denyPrefixed).add(b.resourceName);
      } else if (b.permission === AclPermission.ALLOW) allow.push(b);
    }
    const coveredByPrefixDeny = (name: string): boolean => {
      for (let n = 1; n <= name.length; n++) if (denyPrefixed.has(name.slice(0, n))) return true;
      return false;
    };
    return allow.some((b) => {
      if (b.patternType === PatternType.LITERAL && b.resourceName === WILDCARD_RESOURCE)
        return true;
      if (b.patternType === PatternType.LITERAL && denyLiteral.has(b.resourceName)) return false;
      return !coveredByPrefixDeny(b.resourceName);
    });
  }

  /** Kafka's authorized-operations bit field (bit n set: operation code n allowed). */
  authorizedOperations(who: Requester, resourceType: number, name: string): number {
    let bits = 0;
    for (const op of SUPPORTED_OPERATIONS.get(resourceType) ?? [])
      if (this.authorize(who, op, resourceType, name)) bits |= 1 << op;
    return bits;
  }
}
