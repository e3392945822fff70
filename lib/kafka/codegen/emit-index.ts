/** Emits lib/kafka/gen/index.ts: the registry of every generated API. */
import { apiConstName, GENERATED_NOTICE } from './emit-file.js';

export interface IndexEntry {
  readonly apiKey: number;
  readonly name: string;
  readonly module: string;
  readonly requestName: string;
  readonly responseName: string;
}

export function emitIndex(entries: readonly IndexEntry[], dataModules: readonly string[]): string {
  const sorted = [...entries].sort((a, b) => a.apiKey - b.apiKey);
  const out = [
    `// ${GENERATED_NOTICE}`,
    '/* eslint-disable */',
    "import type { ApiDefinition } from '../protocol/codec-runtime.js';",
  ];
  for (const e of sorted) out.push(`import { ${apiConstName(e.name)} } from './${e.module}.js';`);
  out.push('');
  for (const e of sorted) out.push(`export * from './${e.module}.js';`);
  for (const d of dataModules) out.push(`export * from './${d}.js';`);
  out.push("export * from './request-header.js';", "export * from './response-header.js';", '');
  out.push('/** Every API whose listeners include the broker, by key. */');
  out.push('export const API_DEFINITIONS: readonly ApiDefinition[] = [');
  for (const e of sorted) out.push(`  ${apiConstName(e.name)} as ApiDefinition,`);
  out.push('];', '');
  out.push('const BY_KEY: (ApiDefinition | undefined)[] = [];');
  out.push('for (const api of API_DEFINITIONS) BY_KEY[api.apiKey] = api;', '');
  out.push('/** The definition of an API key, or undefined for a key the codec does not know. */');
  out.push('export function apiDefinition(apiKey: number): ApiDefinition | undefined {');
  out.push('  return BY_KEY[apiKey];', '}', '');
  out.push('/** Typed access by API key. */');
  out.push('export interface ApiMessages {');
  for (const e of sorted)
    out.push(
      `  ${e.apiKey}: { request: import('./${e.module}.js').${e.requestName}; response: import('./${e.module}.js').${e.responseName} };`,
    );
  out.push('}', '');
  out.push('/** Request header version for a request: 2 for flexible versions, else 1. */');
  out.push('export function requestHeaderVersion(api: ApiDefinition, version: number): number {');
  out.push(
    '  return api.firstFlexibleVersion >= 0 && version >= api.firstFlexibleVersion ? 2 : 1;',
  );
  out.push('}', '');
  out.push(
    '/** Response header version: 1 for flexible versions, else 0; ApiVersions always 0. */',
  );
  out.push('export function responseHeaderVersion(api: ApiDefinition, version: number): number {');
  out.push('  if (api.apiKey === 18) return 0;');
  out.push(
    '  return api.firstFlexibleVersion >= 0 && version >= api.firstFlexibleVersion ? 1 : 0;',
  );
  out.push('}', '');
  return out.join('\n');
}
