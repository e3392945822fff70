/** A closed range of versions; `max` is Infinity for "N+"; empty when min > max. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

export const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

/** Parses Kafka's version syntax: "none", "3", "3+", "1-4". */
export function parseVersions(
  text: string | undefined,
  fallback: VersionRange = NO_VERSIONS,
): VersionRange {
  if (text === undefined) return fallback;
  const t = text.trim();
  if (t === 'none') return NO_VERSIONS;
  let m = /^(\d+)\+$/.exec(t);
  if (m) return { min: Number(m[1]), max: Infinity };
  m = /^(\d+)-(\d+)$/.exec(t);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^(\d+)$/.exec(t);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`bad version range ${JSON.stringify(text)}`);
}

export function isEmpty(r: VersionRange): boolean {
  return r.min > r.max;
}

export function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
}

export function contains(outer: VersionRange, inner: VersionRange): boolean {
  return isEmpty(inner) || (outer.min <= inner.min && inner.max <= outer.max);
}

/**
 * A TypeScript condition on the variable `v` that is true exactly for versions in `r`,
 * given that `v` is known to lie in `scope`. Folds to 'true' or 'false' where it can.
 */
export function versionCondition(r: VersionRange, scope: VersionRange): string {
  const eff = intersect(r, scope);
  if (isEmpty(eff)) return 'false';
  const parts: string[] = [];
  if (eff.min > scope.min) parts.push(`v >= ${eff.min}`);
  if (eff.max < scope.max) parts.push(`v <= ${eff.max}`);
  return parts.length === 0 ? 'true' : parts.join(' && ');
}

export function describeRange(r: VersionRange): string {
  if (isEmpty(r)) return 'none';
  if (r.max === Infinity) return `${r.min}+`;
  return r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`;
}

/** The versions of `a` that are not in `b`; the specs only ever leave one contiguous range. */
export function subtract(a: VersionRange, b: VersionRange): VersionRange {
  if (isEmpty(b) || b.max < a.min || b.min > a.max) return a;
  if (b.min <= a.min && b.max >= a.max) return NO_VERSIONS;
  if (b.min <= a.min) return { min: b.max + 1, max: a.max };
  if (b.max >= a.max) return { min: a.min, max: b.min - 1 };
  throw new Error(`versions ${describeRange(a)} minus ${describeRange(b)} is not one range`);
}
