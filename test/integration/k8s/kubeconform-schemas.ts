/**
 * JSON schemas for kubeconform from a real API server's /openapi/v2, written the way
 * kubeconform's `-schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json'` finds
 * them (deployment-apps-v1.json, service-v1.json, servicemonitor-monitoring-v1.json).
 * Each file is one kind's definition plus the definitions it reaches, referenced as
 * #/definitions/NAME as in the OpenAPI document. Like openapi2jsonschema's --kubernetes
 * --strict: int-or-string and quantities accept strings and numbers, and every object
 * with declared properties refuses others (a misspelt field fails).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Schema = Record<string, unknown>;

export interface OpenApiV2 {
  readonly definitions: Record<string, Schema>;
}

interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

const INT_OR_STRING = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
const QUANTITY = { oneOf: [{ type: 'string' }, { type: 'number' }] };
const QUANTITY_DEF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** kubeconform's file name of a kind: lower-case kind, then -<first group label>-<version>. */
export function schemaFileName({ group, version, kind }: Gvk): string {
  const suffix = group === '' ? `-${version}` : `-${group.split('.')[0] ?? ''}-${version}`;
  return `${kind.toLowerCase()}${suffix.toLowerCase()}.json`;
}

function transform(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(transform);
  if (node === null || typeof node !== 'object') return node;
  const schema = node as Schema;
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string'] === true) {
    return { ...INT_OR_STRING, ...(schema.description ? { description: schema.description } : {}) };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // Property maps hold names, not schemas: transform their values only.
    out[key] =
      key === 'properties' && value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, transform(v)]))
        : transform(value);
  }
  if (
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function refsOf(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) refsOf(n, into);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/')) {
        into.add(value.slice('#/definitions/'.length));
      } else {
        refsOf(value, into);
      }
    }
  }
}

/** Writes one schema file per kind into `dir`; returns the number of files. */
export function writeKubeconformSchemas(openapi: OpenApiV2, dir: string): number {
  mkdirSync(dir, { recursive: true });
  const defs: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(openapi.definitions)) {
    defs[name] =
      name === QUANTITY_DEF ? { ...QUANTITY, description: def.description } : transform(def);
  }
  let written = 0;
  for (const [name, def] of Object.entries(openapi.definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'] as Gvk[] | undefined;
    if (gvks === undefined) continue;
    // Every definition this kind reaches, transitively.
    const reached = new Set<string>();
    const queue = [name];
    while (queue.length > 0) {
      const next = queue.pop() ?? '';
      if (reached.has(next)) continue;
      reached.add(next);
      const refs = new Set<string>();
      refsOf(openapi.definitions[next], refs);
      queue.push(...refs);
    }
    const definitions = Object.fromEntries([...reached].sort().map((n) => [n, defs[n]]));
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...(defs[name] as Schema),
      definitions,
    };
    for (const gvk of gvks) {
      writeFileSync(join(dir, schemaFileName(gvk)), JSON.stringify(schema));
      written++;
    }
  }
  return written;
}
