// How object keys map to paths under the store's directory.
//
// A key is split at '/' into segments; every segment but the last is a directory, the last
// is a file. Segment names are escaped so that the mapping is injective and safe on any
// common file system:
// - bytes outside [a-z0-9._-] (and a leading '.') become %XX of their UTF-8 bytes, so no
//   name differs from another only by letter case or Unicode normalization (case-insensitive
//   or normalizing file systems such as macOS') and no name starts with '.';
// - directories carry a trailing '@' (escaped inside names), so the keys 'a' and 'a/b' can
//   both exist, as in S3 (file 'a' next to directory 'a@');
// - names starting with '.' are the store's own (temp files), never objects.
// Keys are refused when they cannot be mapped: empty, not well-formed Unicode, containing
// NUL, starting with '/', with an empty, '.' or '..' segment, longer than S3's 1024 bytes,
// or with a segment whose escaped name exceeds 255 bytes.
import { ObjectStoreError } from '../object-store.js';

/** S3's maximum key length in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** Common file-name limit (ext4, APFS, XFS) in bytes. */
const MAX_NAME_BYTES = 255;
export const DIR_MARKER = '@';
export const TEMP_PREFIX = '.tmp-';

export class InvalidObjectKeyError extends ObjectStoreError {
  override readonly name = 'InvalidObjectKeyError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`, false);
  }
}

/** A valid key's segments, escaped: `dirs` are directory names (with the marker), `file` the file name. */
export interface KeyPath {
  readonly dirs: readonly string[];
  readonly file: string;
}

export function keyPath(key: string): KeyPath {
  if (key === '') throw new InvalidObjectKeyError(key, 'empty');
  if (key.includes('\0')) throw new InvalidObjectKeyError(key, 'contains NUL');
  if (!isWellFormed(key)) throw new InvalidObjectKeyError(key, 'not well-formed Unicode');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidObjectKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  }
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'absolute (starts with /)');
  const segments = key.split('/');
  const names = segments.map((segment) => {
    if (segment === '') throw new InvalidObjectKeyError(key, 'empty path segment');
    if (segment === '.' || segment === '..') {
      throw new InvalidObjectKeyError(key, `'${segment}' path segment`);
    }
    const name = escapeSegment(segment);
    if (Buffer.byteLength(name) + DIR_MARKER.length > MAX_NAME_BYTES) {
      throw new InvalidObjectKeyError(key, `segment too long once escaped (${name.length} bytes)`);
    }
    return name;
  });
  const file = names.pop();
  if (file === undefined) throw new InvalidObjectKeyError(key, 'empty');
  return { dirs: names.map((n) => n + DIR_MARKER), file };
}

/**
 * The directory names of a prefix's complete segments (those before its last '/'), and the
 * partial last segment; undefined when no valid key can start with the prefix.
 */
export function prefixPath(
  prefix: string,
):
  | { readonly dirs: readonly string[]; readonly base: string; readonly partial: string }
  | undefined {
  const slash = prefix.lastIndexOf('/');
  const base = prefix.slice(0, slash + 1);
  const partial = prefix.slice(slash + 1);
  if (slash < 0) return { dirs: [], base, partial };
  const complete = prefix.slice(0, slash).split('/');
  const dirs: string[] = [];
  for (const segment of complete) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('\0')) {
      return undefined;
    }
    dirs.push(escapeSegment(segment) + DIR_MARKER);
  }
  return { dirs, base, partial };
}

/** What a directory entry holds: an object segment, a directory segment, or something else. */
export function parseEntryName(
  name: string,
  isDirectory: boolean,
): { readonly segment: string; readonly isDirectory: boolean } | undefined {
  if (name.startsWith('.')) return undefined;
  if (isDirectory) {
    if (!name.endsWith(DIR_MARKER)) return undefined;
    const segment = unescapeSegment(name.slice(0, -DIR_MARKER.length));
    return segment === undefined ? undefined : { segment, isDirectory: true };
  }
  const segment = unescapeSegment(name);
  return segment === undefined ? undefined : { segment, isDirectory: false };
}

const SAFE = /^[a-z0-9._-]$/;

function escapeSegment(segment: string): string {
  let out = '';
  let first = true;
  for (const char of segment) {
    if (SAFE.test(char) && !(first && char === '.')) out += char;
    else {
      for (const byte of Buffer.from(char, 'utf8')) {
        out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
      }
    }
    first = false;
  }
  return out;
}

/** The segment a name escapes, or undefined when the name is not one escapeSegment makes. */
function unescapeSegment(name: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const char = name.charAt(i);
    if (char === '%') {
      const hex = name.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (SAFE.test(char) && !(i === 0 && char === '.')) {
      bytes.push(char.charCodeAt(0));
    } else {
      return undefined;
    }
  }
  const segment = Buffer.from(bytes).toString('utf8');
  // Reject names whose bytes are not valid UTF-8 or that escapeSegment would spell differently.
  return segment !== '' && escapeSegment(segment) === name ? segment : undefined;
}

function isWellFormed(s: string): boolean {
  return Buffer.from(s, 'utf8').toString('utf8') === s;
}
