/**
 * The ACL bindings held in memory, indexed for authorization: per resource type, literal
 * bindings by name and prefixed bindings by prefix. The bindings that apply to one resource
 * are found with a few map lookups: the name, the wildcard `*`, and the name cut to each
 * prefix length that some prefixed binding of the type has. `version` grows at every change,
 * so that whoever caches decisions over the index knows when to forget them.
 */
import { PatternType, WILDCARD_RESOURCE, bindingId, type AclBinding } from './acl-binding.js';

class TypeIndex {
  readonly literal = new Map<string, Map<string, AclBinding>>();
  readonly prefixed = new Map<string, Map<string, AclBinding>>();
  /** How many prefixed bindings have each prefix length. */
  readonly prefixLengths = new Map<number, number>();
}

function addTo(map: Map<string, Map<string, AclBinding>>, name: string, id: string, b: AclBinding) {
  let inner = map.get(name);
  if (inner === undefined) {
    inner = new Map();
    map.set(name, inner);
  }
  const added = !inner.has(id);
  inner.set(id, b);
  return added;
}

function removeFrom(map: Map<string, Map<string, AclBinding>>, name: string, id: string) {
  const inner = map.get(name);
  const removed = inner?.delete(id) === true;
  if (inner?.size === 0) map.delete(name);
  return removed;
}

export class AclIndex {
  private readonly byType = new Map<number, TypeIndex>();
  private count = 0;
  private changes = 0;
  private snapshotted = false;

  get size(): number {
    return this.count;
  }

  /** Whether a whole set of bindings was ever loaded (replaceAll): before, none is known. */
  get loaded(): boolean {
    return this.snapshotted;
  }

  /** Grows at every change of the bindings. */
  get version(): number {
    return this.changes;
  }

  /** Replaces every binding (a snapshot). */
  replaceAll(bindings: readonly AclBinding[]): void {
    this.byType.clear();
    this.count = 0;
    for (const b of bindings) this.add(b);
    this.snapshotted = true;
    this.changes++;
  }

  add(b: AclBinding): void {
    let t = this.byType.get(b.resourceType);
    if (t === undefined) {
      t = new TypeIndex();
      this.byType.set(b.resourceType, t);
    }
    const id = bindingId(b);
    if (b.patternType === PatternType.PREFIXED) {
      if (!addTo(t.prefixed, b.resourceName, id, b)) return;
      const n = b.resourceName.length;
      t.prefixLengths.set(n, (t.prefixLengths.get(n) ?? 0) + 1);
    } else if (!addTo(t.literal, b.resourceName, id, b)) return;
    this.count++;
    this.changes++;
  }

  remove(b: AclBinding): void {
    const t = this.byType.get(b.resourceType);
    if (t === undefined) return;
    const id = bindingId(b);
    if (b.patternType === PatternType.PREFIXED) {
      if (!removeFrom(t.prefixed, b.resourceName, id)) return;
      const n = b.resourceName.length;
      const left = (t.prefixLengths.get(n) ?? 1) - 1;
      if (left === 0) t.prefixLengths.delete(n);
      else t.prefixLengths.set(n, left);
    } else if (!removeFrom(t.literal, b.resourceName, id)) return;
    this.count--;
    this.changes++;
  }

  /** Every binding whose pattern covers the resource `name` of `resourceType`. */
  matching(resourceType: number, name: string): AclBinding[] {
    const t = this.byType.get(resourceType);
    if (t === undefined) return [];
    const out: AclBinding[] = [];
    const push = (m: Map<string, AclBinding> | undefined) => {
      if (m !== undefined) for (const b of m.values()) out.push(b);
    };
    push(t.literal.get(name));
    if (name !== WILDCARD_RESOURCE) push(t.literal.get(WILDCARD_RESOURCE));
    for (const n of t.prefixLengths.keys())
      if (n <= name.length) push(t.prefixed.get(name.slice(0, n)));
    return out;
  }

  /** Every binding of one resource type (authorization by resource type scans them). */
  ofType(resourceType: number): AclBinding[] {
    const t = this.byType.get(resourceType);
    if (t === undefined) return [];
    const out: AclBinding[] = [];
    for (const m of [...t.literal.values(), ...t.prefixed.values()]) out.push(...m.values());
    return out;
  }

  /** Every binding. */
  all(): AclBinding[] {
    return [...this.byType.keys()].flatMap((t) => this.ofType(t));
  }
}
