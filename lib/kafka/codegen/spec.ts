import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVersions, type VersionRange } from './versions.js';

/** One field of a Kafka message definition, with its version ranges parsed. */
export interface FieldSpec {
  readonly name: string;
  readonly type: string;
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange;
  readonly taggedVersions: VersionRange;
  readonly tag: number | undefined;
  readonly flexibleVersions: VersionRange | undefined;
  readonly default: string | undefined;
  readonly ignorable: boolean;
  readonly about: string;
  readonly fields: readonly FieldSpec[] | undefined;
}

export interface StructSpec {
  readonly name: string;
  readonly versions: VersionRange;
  readonly fields: readonly FieldSpec[];
}

/** One JSON message definition (request, response, header or data). */
export interface MessageSpec {
  readonly file: string;
  readonly apiKey: number | undefined;
  readonly type: 'request' | 'response' | 'header' | 'data';
  readonly name: string;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly fields: readonly FieldSpec[];
  readonly commonStructs: readonly StructSpec[];
  readonly listeners: readonly string[];
  readonly latestVersionUnstable: boolean;
}

interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean;
  ignorable?: boolean;
  about?: string;
  fields?: RawField[];
}

interface RawMessage {
  apiKey?: number;
  type: MessageSpec['type'];
  name: string;
  validVersions: string;
  flexibleVersions?: string;
  fields?: RawField[];
  commonStructs?: { name: string; versions: string; fields: RawField[] }[];
  listeners?: string[];
  latestVersionUnstable?: boolean;
}

/** Removes `//` comments outside string literals (the specs are JSON with comments). */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      out += c;
      if (c === '\\') out += text.charAt(++i);
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

function toField(raw: RawField): FieldSpec {
  return {
    name: raw.name,
    type: raw.type,
    versions: parseVersions(raw.versions),
    nullableVersions: parseVersions(raw.nullableVersions),
    taggedVersions: parseVersions(raw.taggedVersions),
    tag: raw.tag,
    flexibleVersions:
      raw.flexibleVersions === undefined ? undefined : parseVersions(raw.flexibleVersions),
    default: raw.default === undefined ? undefined : String(raw.default),
    ignorable: raw.ignorable ?? false,
    about: raw.about ?? '',
    fields: raw.fields?.map(toField),
  };
}

export function parseMessage(file: string, text: string): MessageSpec {
  const raw = JSON.parse(stripJsonComments(text)) as RawMessage;
  return {
    file,
    apiKey: raw.apiKey,
    type: raw.type,
    name: raw.name,
    validVersions: parseVersions(raw.validVersions),
    flexibleVersions: parseVersions(raw.flexibleVersions ?? 'none'),
    fields: (raw.fields ?? []).map(toField),
    commonStructs: (raw.commonStructs ?? []).map((s) => ({
      name: s.name,
      versions: parseVersions(s.versions),
      fields: s.fields.map(toField),
    })),
    listeners: raw.listeners ?? [],
    latestVersionUnstable: raw.latestVersionUnstable ?? false,
  };
}

export function loadSpecs(dir: string): MessageSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseMessage(f, readFileSync(join(dir, f), 'utf8')));
}
