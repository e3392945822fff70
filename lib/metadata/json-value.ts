/**
 * JSON values in etcd, with bigint fields carried as decimal strings. Each record type has
 * a reader that validates the shape and refuses anything else with a message naming the
 * key, so a corrupt or foreign value never becomes a silent default.
 */

export class BadMetadataValueError extends Error {
  override readonly name = 'BadMetadataValueError';
  constructor(key: string, reason: string) {
    super(`bad value at ${key}: ${reason}`);
  }
}

export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  );
}

export function decodeJsonObject(key: string, bytes: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    );
  } catch (e) {
    throw new BadMetadataValueError(
      key,
      `not JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadMetadataValueError(key, 'not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function field<T>(
  key: string,
  obj: Record<string, unknown>,
  name: string,
  check: (v: unknown) => v is T,
  what: string,
): T {
  const v = obj[name];
  if (!check(v)) throw new BadMetadataValueError(key, `field ${name} is not ${what}`);
  return v;
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
export const isBigIntText = (v: unknown): v is string => typeof v === 'string' && /^-?\d+$/.test(v);

/** A field holding a list of JSON objects (each still to be read field by field). */
export function objectListField(
  key: string,
  obj: Record<string, unknown>,
  name: string,
): Record<string, unknown>[] {
  const v = obj[name];
  if (
    !Array.isArray(v) ||
    !v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))
  )
    throw new BadMetadataValueError(key, `field ${name} is not a list of objects`);
  return v as Record<string, unknown>[];
}

export function bigintField(key: string, obj: Record<string, unknown>, name: string): bigint {
  return BigInt(field(key, obj, name, isBigIntText, 'an integer string'));
}
