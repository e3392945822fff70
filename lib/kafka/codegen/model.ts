/**
 * Resolves a message definition into the structs and typed fields the emitter writes:
 * TypeScript names, effective version ranges, type kinds and defaults.
 */
import type { FieldSpec, MessageSpec, StructSpec } from './spec.js';
import { intersect, isEmpty, NO_VERSIONS, type VersionRange } from './versions.js';

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

const PRIMITIVES = new Set<string>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
]);

export type TypeKind =
  | { readonly kind: 'primitive'; readonly type: PrimitiveType }
  | { readonly kind: 'struct'; readonly struct: StructModel }
  | { readonly kind: 'array'; readonly element: TypeKind };

export interface FieldModel {
  readonly spec: FieldSpec;
  /** camelCase property name. */
  readonly prop: string;
  readonly type: TypeKind;
  /** Versions in which the field exists (within its struct's versions). */
  readonly versions: VersionRange;
  readonly nullable: VersionRange;
  readonly tagged: VersionRange;
  /** Field-level flexibleVersions override (RequestHeader.ClientId), if any. */
  readonly flexibleOverride: VersionRange | undefined;
  /** True when null is a legal value in some version. */
  readonly nullableAny: boolean;
  readonly defaultIsNull: boolean;
}

export interface StructModel {
  /** Name in the specs (unique within a message). */
  readonly specName: string;
  /** TypeScript interface name (unique within a generated file). */
  readonly tsName: string;
  readonly versions: VersionRange;
  fields: FieldModel[];
  readonly doc: string;
}

export interface MessageModel {
  readonly spec: MessageSpec;
  readonly root: StructModel;
  /** Every struct, the root first, in definition order. */
  readonly structs: StructModel[];
}

export function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

function structTsName(message: string, struct: string): string {
  return struct.startsWith(message) ? struct : `${message}${struct}`;
}

export function buildModel(spec: MessageSpec): MessageModel {
  const structs: StructModel[] = [];
  const byName = new Map<string, StructModel>();
  const common = new Map<string, StructSpec>(spec.commonStructs.map((s) => [s.name, s]));

  const root: StructModel = {
    specName: spec.name,
    tsName: spec.name,
    versions: spec.validVersions,
    fields: [],
    doc: `${spec.name} (${spec.type}${spec.apiKey === undefined ? '' : ` of API key ${spec.apiKey}`})`,
  };
  structs.push(root);
  byName.set(spec.name, root);

  function structFor(
    name: string,
    versions: VersionRange,
    inline: readonly FieldSpec[] | undefined,
  ): StructModel {
    const existing = byName.get(name);
    if (existing) {
      if (inline !== undefined && !common.has(name)) {
        throw new Error(`${spec.name}: struct ${name} is defined twice`);
      }
      return existing;
    }
    const fromCommon = common.get(name);
    const fields = inline ?? fromCommon?.fields;
    if (fields === undefined) throw new Error(`${spec.name}: unknown type ${name}`);
    const model: StructModel = {
      specName: name,
      tsName: structTsName(spec.name, name),
      versions: fromCommon ? intersect(fromCommon.versions, spec.validVersions) : versions,
      fields: [],
      doc: `${name} in ${spec.name}`,
    };
    structs.push(model);
    byName.set(name, model);
    model.fields = fields.map((f) => resolveField(f, model.versions));
    return model;
  }

  function typeOf(f: FieldSpec, versions: VersionRange): TypeKind {
    const t = f.type;
    if (t.startsWith('[]')) {
      const el = t.slice(2);
      if (PRIMITIVES.has(el))
        return { kind: 'array', element: { kind: 'primitive', type: el as PrimitiveType } };
      return {
        kind: 'array',
        element: { kind: 'struct', struct: structFor(el, versions, f.fields) },
      };
    }
    if (PRIMITIVES.has(t)) return { kind: 'primitive', type: t as PrimitiveType };
    return { kind: 'struct', struct: structFor(t, versions, f.fields) };
  }

  function resolveField(f: FieldSpec, parent: VersionRange): FieldModel {
    const versions = intersect(f.versions, parent);
    const nullable = intersect(f.nullableVersions, versions);
    const tagged = f.tag === undefined ? NO_VERSIONS : intersect(f.taggedVersions, versions);
    return {
      spec: f,
      prop: camelCase(f.name),
      type: typeOf(f, isEmpty(versions) ? parent : versions),
      versions,
      nullable,
      tagged,
      flexibleOverride: f.flexibleVersions,
      nullableAny: !isEmpty(nullable),
      defaultIsNull: f.default === 'null',
    };
  }

  root.fields = spec.fields.map((f) => resolveField(f, spec.validVersions));
  const names = new Set<string>();
  for (const s of structs) {
    if (names.has(s.tsName)) throw new Error(`${spec.name}: two structs named ${s.tsName}`);
    names.add(s.tsName);
  }
  return { spec, root, structs };
}
