/** Emits lib/kafka/gen/schemas.ts: the plain description of every generated message. */
import type { FieldSchema, MessageSchema, Range } from '../protocol/message-schema.js';
import type { FieldModel, MessageModel, TypeKind } from './model.js';
import { GENERATED_NOTICE } from './emit-file.js';
import { isEmpty, type VersionRange } from './versions.js';

function range(r: VersionRange, cap: number): Range | null {
  if (isEmpty(r)) return null;
  return [r.min, Math.min(r.max, cap)];
}

function fieldSchema(f: FieldModel, cap: number): FieldSchema {
  const t: TypeKind = f.type;
  const base = {
    name: f.prop,
    versions: range(f.versions, cap),
    nullable: range(f.nullable, cap),
    tagged: range(f.tagged, cap),
    default: f.spec.default ?? null,
    ignorable: f.spec.ignorable,
    ...(f.spec.tag === undefined ? {} : { tag: f.spec.tag }),
    ...(f.flexibleOverride === undefined ? {} : { flexible: range(f.flexibleOverride, cap) }),
  };
  if (t.kind === 'primitive') return { ...base, type: t.type };
  if (t.kind === 'struct')
    return { ...base, type: 'struct', fields: t.struct.fields.map((x) => fieldSchema(x, cap)) };
  const el = t.element;
  if (el.kind === 'primitive') return { ...base, type: 'array', element: el.type };
  if (el.kind === 'struct') {
    return {
      ...base,
      type: 'array',
      element: 'struct',
      fields: el.struct.fields.map((x) => fieldSchema(x, cap)),
    };
  }
  throw new Error('nested arrays are not in the specs');
}

export function messageSchema(m: MessageModel): MessageSchema {
  const cap = m.spec.validVersions.max;
  return {
    name: m.spec.name,
    apiKey: m.spec.apiKey ?? null,
    type: m.spec.type,
    validVersions: [m.spec.validVersions.min, m.spec.validVersions.max],
    flexibleVersions: range(m.spec.flexibleVersions, cap),
    fields: m.root.fields.map((f) => fieldSchema(f, cap)),
  };
}

export function emitSchemas(models: readonly MessageModel[]): string {
  const all = Object.fromEntries(models.map((m) => [m.spec.name, messageSchema(m)]));
  return [
    `// ${GENERATED_NOTICE}`,
    '/* eslint-disable */',
    "import type { MessageSchema } from '../protocol/message-schema.js';",
    '',
    `export const MESSAGE_SCHEMAS: Readonly<Record<string, MessageSchema>> = ${JSON.stringify(all, null, 1)};`,
    '',
  ].join('\n');
}
