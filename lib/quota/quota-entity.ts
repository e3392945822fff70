/**
 * A client quota entity as Kafka names it (KIP-546): a user, a client id, or a client id of
 * a user, where each part is a name or the default entity (`<default>`: every user or client
 * id without a quota of its own at that level). `undefined` marks an absent part, `null` the
 * default entity.
 *
 * In etcd and in maps an entity is written as a path, as Kafka's ZooKeeper layout did:
 * `users/<user>`, `users/<user>/clients/<client-id>`, `clients/<client-id>`, each name
 * URI-encoded and the default entity written `<default>` (which no encoded name can be,
 * since `<` and `>` are encoded).
 */
export type EntityPart = string | null | undefined;

export interface ClientQuotaEntity {
  /** The user (the principal's name, `ANONYMOUS` on PLAINTEXT), null for the default. */
  readonly user: EntityPart;
  /** The client id, null for the default. */
  readonly clientId: EntityPart;
}

export const DEFAULT_ENTITY = '<default>';

function pathPart(name: string | null): string {
  return name === null ? DEFAULT_ENTITY : encodeURIComponent(name);
}

/** The part a path segment names, or undefined for a segment that is not one. */
function partOfPath(segment: string): string | null | undefined {
  if (segment === DEFAULT_ENTITY) return null;
  if (segment === '') return undefined;
  try {
    const name = decodeURIComponent(segment);
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

/** The entity's path; the entity must have at least one part. */
export function entityPath(e: ClientQuotaEntity): string {
  const parts: string[] = [];
  if (e.user !== undefined) parts.push('users', pathPart(e.user));
  if (e.clientId !== undefined) parts.push('clients', pathPart(e.clientId));
  if (parts.length === 0) throw new RangeError('a client quota entity needs a user or a client id');
  return parts.join('/');
}

/** The entity a path's segments name, or undefined when they name none. */
export function parseEntityPath(segments: readonly string[]): ClientQuotaEntity | undefined {
  const [a, b, c, d] = segments;
  if (b === undefined) return undefined;
  const first = partOfPath(b);
  if (first === undefined) return undefined;
  if (segments.length === 2) {
    if (a === 'users') return { user: first, clientId: undefined };
    if (a === 'clients') return { user: undefined, clientId: first };
    return undefined;
  }
  if (segments.length !== 4 || a !== 'users' || c !== 'clients' || d === undefined)
    return undefined;
  const client = partOfPath(d);
  return client === undefined ? undefined : { user: first, clientId: client };
}

/** The entity as Kafka's tools print it, e.g. `user=alice, client-id=<default>`. */
export function entityText(e: ClientQuotaEntity): string {
  const text = (name: string | null) => name ?? DEFAULT_ENTITY;
  const parts: string[] = [];
  if (e.user !== undefined) parts.push(`user=${text(e.user)}`);
  if (e.clientId !== undefined) parts.push(`client-id=${text(e.clientId)}`);
  return parts.join(', ');
}
