/**
 * Emits the TypeScript of one struct: its interface, a default factory, a decoder and an
 * encoder, each taking the version as a runtime argument. Conditions on the version are
 * folded against the struct's own version range, so a field present in every version
 * costs no branch.
 */
import type { FieldModel, MessageModel, StructModel, TypeKind } from './model.js';
import {
  describeRange,
  isEmpty,
  subtract,
  versionCondition,
  type VersionRange,
} from './versions.js';

/** `a ? x : y` folded when `a` is the literal 'true' or 'false'. */
function pick(cond: string, whenTrue: string, whenFalse: string): string {
  if (cond === 'true') return whenTrue;
  if (cond === 'false') return whenFalse;
  return `(${cond} ? ${whenTrue} : ${whenFalse})`;
}

function and(a: string, b: string): string {
  if (a === 'false' || b === 'false') return 'false';
  if (a === 'true') return b;
  if (b === 'true') return a;
  return `${a} && ${b}`;
}

function not(a: string): string {
  if (a === 'true') return 'false';
  if (a === 'false') return 'true';
  return `!(${a})`;
}

export function tsType(t: TypeKind): string {
  switch (t.kind) {
    case 'struct':
      return t.struct.tsName;
    case 'array':
      return `${tsType(t.element)}[]`;
    case 'primitive':
      switch (t.type) {
        case 'bool':
          return 'boolean';
        case 'int64':
          return 'bigint';
        case 'string':
        case 'uuid':
          return 'string';
        case 'bytes':
        case 'records':
          return 'Uint8Array';
        default:
          return 'number';
      }
  }
}

function fieldType(f: FieldModel): string {
  return f.nullableAny || f.defaultIsNull ? `${tsType(f.type)} | null` : tsType(f.type);
}

function parseIntDefault(d: string | undefined, what: string): string {
  if (d === undefined || d === '') return '0';
  const n = Number(d);
  if (!Number.isFinite(n)) throw new Error(`bad default ${d} for ${what}`);
  return String(n);
}

export function defaultExpr(f: FieldModel): string {
  const d = f.spec.default;
  if (d === 'null') return 'null';
  const t = f.type;
  switch (t.kind) {
    case 'array':
      return '[]';
    case 'struct':
      return `default${t.struct.tsName}()`;
    case 'primitive':
      switch (t.type) {
        case 'bool':
          return d === 'true' ? 'true' : 'false';
        case 'int64':
          return `${BigInt(d === undefined || d === '' ? 0 : d)}n`;
        case 'string':
          return JSON.stringify(d ?? '');
        case 'uuid':
          return 'ZERO_UUID';
        case 'bytes':
          return 'EMPTY_BYTES';
        case 'records':
          return f.nullableAny ? 'null' : 'EMPTY_BYTES';
        default:
          return parseIntDefault(d, f.spec.name);
      }
  }
}

/** An expression true when `value` differs from the field's default. */
function nonDefault(f: FieldModel, value: string): string {
  const t = f.type;
  const d = defaultExpr(f);
  if (d === 'null') return `${value} !== null`;
  const orNull = fieldType(f).endsWith('| null') ? `${value} === null || ` : '';
  if (t.kind === 'array') return `${orNull}${value}.length !== 0`;
  if (t.kind === 'struct') return `${orNull}!isDefault${t.struct.tsName}(${value})`;
  if (t.type === 'bytes' || t.type === 'records') return `${orNull}${value}.length !== 0`;
  return `${value} !== ${d}`;
}

const FIXED_READ: Record<string, string> = {
  bool: 'r.bool()',
  int8: 'r.int8()',
  int16: 'r.int16()',
  uint16: 'r.uint16()',
  int32: 'r.int32()',
  uint32: 'r.uint32()',
  int64: 'r.int64()',
  float64: 'r.float64()',
  uuid: 'r.uuid()',
};

const FIXED_WRITE: Record<string, string> = {
  bool: 'bool',
  int8: 'int8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  float64: 'float64',
  uuid: 'uuid',
};

interface Ctx {
  /** Expression: is this version flexible (for this field)? */
  readonly flex: string;
  /** Expression: is null allowed at this version? */
  readonly nullable: string;
  /** Whether the TypeScript type admits null. */
  readonly typeHasNull: boolean;
  readonly label: string;
}

function readValue(t: TypeKind, ctx: Ctx): string {
  if (t.kind === 'struct') {
    const body = `decode${t.struct.tsName}(r, v)`;
    return ctx.nullable === 'false'
      ? body
      : pick(ctx.nullable, `(r.int8() < 0 ? null : ${body})`, body);
  }
  if (t.kind === 'array') throw new Error('arrays are read as statements');
  const fixed = FIXED_READ[t.type];
  if (fixed !== undefined) return fixed;
  const base = t.type === 'string' ? 'String' : 'Bytes';
  const lower = t.type === 'string' ? 'string' : 'bytes';
  const nonNull = pick(ctx.flex, `r.compact${base}()`, `r.${lower}()`);
  const nullable = pick(ctx.flex, `r.compactNullable${base}()`, `r.nullable${base}()`);
  return pick(ctx.nullable, nullable, nonNull);
}

let tmpCounter = 0;

function readInto(target: string, t: TypeKind, ctx: Ctx, indent: string): string[] {
  if (t.kind !== 'array') return [`${indent}${target} = ${readValue(t, ctx)};`];
  const n = `n${tmpCounter++}`;
  const a = `a${tmpCounter++}`;
  const elementCtx: Ctx = {
    flex: ctx.flex,
    nullable: 'false',
    typeHasNull: false,
    label: ctx.label,
  };
  const lines = [
    `${indent}{`,
    `${indent}  const ${n} = ${pick(ctx.flex, 'r.compactArrayLength()', 'r.arrayLength()')};`,
  ];
  const nullBranch =
    ctx.nullable === 'true'
      ? `${target} = null;`
      : ctx.nullable === 'false'
        ? `r.fail('${ctx.label} is null but not nullable at version ' + String(v));`
        : `if (${ctx.nullable}) ${target} = null; else r.fail('${ctx.label} is null but not nullable at version ' + String(v));`;
  lines.push(`${indent}  if (${n} < 0) { ${nullBranch} } else {`);
  lines.push(`${indent}    const ${a}: ${tsType(t.element)}[] = [];`);
  if (t.element.kind === 'array') throw new Error('nested arrays are not in the specs');
  lines.push(
    `${indent}    for (let i = 0; i < ${n}; i++) ${a}.push(${readValue(t.element, elementCtx)});`,
  );
  lines.push(`${indent}    ${target} = ${a};`, `${indent}  }`, `${indent}}`);
  return lines;
}

function writeValue(w: string, value: string, t: TypeKind, ctx: Ctx, indent: string): string[] {
  const checked = ctx.typeHasNull ? `nonNull(${value}, '${ctx.label}', v)` : value;
  if (t.kind === 'struct') {
    const enc = (x: string) => `encode${t.struct.tsName}(${w}, ${x}, v);`;
    if (ctx.nullable === 'false') return [`${indent}${enc(checked)}`];
    const tmp = `s${tmpCounter++}`;
    const nullableLines = [
      `${indent}{`,
      `${indent}  const ${tmp} = ${value};`,
      `${indent}  if (${tmp} === null) ${w}.int8(-1);`,
      `${indent}  else { ${w}.int8(1); ${enc(tmp)} }`,
      `${indent}}`,
    ];
    if (ctx.nullable === 'true') return nullableLines;
    return [
      `${indent}if (${ctx.nullable}) {`,
      ...nullableLines.map((l) => '  ' + l),
      `${indent}} else ${enc(checked)}`,
    ];
  }
  if (t.kind === 'array') {
    const a = `a${tmpCounter++}`;
    const elementCtx: Ctx = {
      flex: ctx.flex,
      nullable: 'false',
      typeHasNull: false,
      label: ctx.label,
    };
    const lines = [`${indent}{`, `${indent}  const ${a} = ${value};`];
    let inner = indent + '  ';
    if (ctx.typeHasNull) {
      const nullWrite = pick(ctx.flex, `${w}.uvarint(0)`, `${w}.int32(-1)`);
      const onNull =
        ctx.nullable === 'true'
          ? `${nullWrite};`
          : ctx.nullable === 'false'
            ? `nonNull(null, '${ctx.label}', v);`
            : `if (${ctx.nullable}) ${nullWrite}; else nonNull(null, '${ctx.label}', v);`;
      lines.push(`${indent}  if (${a} === null) { ${onNull} } else {`);
      inner = indent + '    ';
    }
    lines.push(
      `${inner}${pick(ctx.flex, `${w}.uvarint(${a}.length + 1)`, `${w}.int32(${a}.length)`)};`,
    );
    const el = `e${tmpCounter++}`;
    lines.push(`${inner}for (const ${el} of ${a}) {`);
    lines.push(...writeValue(w, el, t.element, elementCtx, inner + '  '));
    lines.push(`${inner}}`);
    if (ctx.typeHasNull) lines.push(`${indent}  }`);
    lines.push(`${indent}}`);
    return lines;
  }
  const fixed = FIXED_WRITE[t.type];
  if (fixed !== undefined) return [`${indent}${w}.${fixed}(${value});`];
  const base = t.type === 'string' ? 'String' : 'Bytes';
  const lower = t.type === 'string' ? 'string' : 'bytes';
  const nonNullCall = pick(
    ctx.flex,
    `${w}.compact${base}(${checked})`,
    `${w}.${lower}(${checked})`,
  );
  const nullableCall = pick(
    ctx.flex,
    `${w}.compactNullable${base}(${value})`,
    `${w}.nullable${base}(${value})`,
  );
  if (ctx.nullable === 'true') return [`${indent}${nullableCall};`];
  if (ctx.nullable === 'false') return [`${indent}${nonNullCall};`];
  return [`${indent}if (${ctx.nullable}) ${nullableCall};`, `${indent}else ${nonNullCall};`];
}

function flexCondition(f: FieldModel, structFlex: string, scope: VersionRange): string {
  return f.flexibleOverride === undefined
    ? structFlex
    : versionCondition(f.flexibleOverride, scope);
}

function docComment(f: FieldModel): string {
  const about = f.spec.about.replace(/\*\//g, '*\\/').trim();
  const notes = [`versions ${describeRange(f.versions)}`];
  if (f.nullableAny) notes.push(`nullable ${describeRange(f.nullable)}`);
  if (!isEmpty(f.tagged)) notes.push(`tagged ${describeRange(f.tagged)} as tag ${f.spec.tag}`);
  if (f.spec.ignorable) notes.push('ignorable');
  if (about === '') return `  /** (${notes.join(', ')}) */`;
  return `  /** ${about}${about.endsWith('.') ? '' : '.'} (${notes.join(', ')}) */`;
}

export function emitStruct(model: MessageModel, s: StructModel): string {
  const flexible = model.spec.flexibleVersions;
  const scope = s.versions;
  const structFlex = versionCondition(flexible, scope);
  const anyFlex = structFlex !== 'false';
  const out: string[] = [];
  tmpCounter = 0;

  // Interface.
  out.push(`/** ${s.doc}. */`, `export interface ${s.tsName} {`);
  for (const f of s.fields) {
    out.push(docComment(f), `  ${f.prop}: ${fieldType(f)};`);
  }
  if (anyFlex)
    out.push(
      '  /** Tagged fields this codec has no name for, kept to re-encode as read. */',
      '  _unknownTaggedFields?: RawTaggedField[];',
    );
  out.push('}', '');

  // Default factory.
  out.push(`export function default${s.tsName}(): ${s.tsName} {`, '  return {');
  for (const f of s.fields) out.push(`    ${f.prop}: ${defaultExpr(f)},`);
  out.push('  };', '}', '');

  // Default check, used where a struct is written only when it differs from its default.
  const unknownEmpty = anyFlex
    ? ['(m._unknownTaggedFields === undefined || m._unknownTaggedFields.length === 0)']
    : [];
  const defaultTests = [
    ...s.fields.map((f) => `!(${nonDefault(f, `m.${f.prop}`)})`),
    ...unknownEmpty,
  ];
  out.push(
    `export function isDefault${s.tsName}(${defaultTests.length === 0 ? '_m' : 'm'}: ${s.tsName}): boolean {`,
  );
  out.push(
    `  return ${defaultTests.length === 0 ? 'true' : defaultTests.join(' &&\n    ')};`,
    '}',
    '',
  );

  // Decoder.
  out.push(`export function decode${s.tsName}(r: Reader, v: number): ${s.tsName} {`);
  if (anyFlex && structFlex !== 'true') out.push(`  const flex = ${structFlex};`);
  const flexVar = structFlex === 'true' || structFlex === 'false' ? structFlex : 'flex';
  for (const f of s.fields) {
    out.push(`  let f_${f.prop}: ${fieldType(f)} = ${defaultExpr(f)};`);
  }
  for (const f of s.fields) {
    const inline = versionCondition(subtract(f.versions, f.tagged), scope);
    if (inline === 'false') continue;
    const ctx: Ctx = {
      flex: flexCondition(f, flexVar, scope),
      nullable: versionCondition(f.nullable, f.versions),
      typeHasNull: fieldType(f).endsWith('| null'),
      label: `${s.tsName}.${f.prop}`,
    };
    if (inline === 'true') out.push(...readInto(`f_${f.prop}`, f.type, ctx, '  '));
    else out.push(`  if (${inline}) {`, ...readInto(`f_${f.prop}`, f.type, ctx, '    '), '  }');
  }
  const taggedFields = s.fields.filter((f) => !isEmpty(f.tagged));
  if (anyFlex) {
    out.push('  let unknownTagged: RawTaggedField[] | undefined;');
    out.push(`  if (${flexVar}) {`);
    out.push('    const tagCount = r.uvarint();');
    out.push('    for (let i = 0; i < tagCount; i++) {');
    out.push('      const tag = r.uvarint();');
    out.push('      const size = r.uvarint();');
    if (taggedFields.length > 0) out.push('      const start = r.pos;');
    let first = true;
    for (const f of taggedFields) {
      const cond = and(`tag === ${f.spec.tag}`, versionCondition(f.tagged, scope));
      const ctx: Ctx = {
        flex: 'true',
        nullable: versionCondition(f.nullable, f.versions),
        typeHasNull: fieldType(f).endsWith('| null'),
        label: `${s.tsName}.${f.prop}`,
      };
      out.push(`      ${first ? 'if' : '} else if'} (${cond}) {`);
      out.push(...readInto(`f_${f.prop}`, f.type, ctx, '        '));
      first = false;
    }
    const unknown = ['(unknownTagged ??= []).push({ tag, data: r.raw(size) });', 'continue;'];
    if (first) {
      out.push('      (unknownTagged ??= []).push({ tag, data: r.raw(size) });');
    } else {
      out.push('      } else {', ...unknown.map((l) => '        ' + l), '      }');
      out.push(
        '      if (r.pos - start !== size) r.fail(`tagged field ${tag} declared ${size} bytes but held ${r.pos - start}`);',
      );
    }
    out.push('    }', '  }');
  }
  out.push('  return {');
  for (const f of s.fields) out.push(`    ${f.prop}: f_${f.prop},`);
  if (anyFlex) out.push('    _unknownTaggedFields: unknownTagged,');
  out.push('  };', '}', '');

  // Encoder.
  const body: string[] = [];
  for (const f of s.fields) {
    const present = versionCondition(f.versions, scope);
    const taggedCond = versionCondition(f.tagged, scope);
    const inline = versionCondition(subtract(f.versions, f.tagged), scope);
    const value = `m.${f.prop}`;
    const ctx: Ctx = {
      flex: flexCondition(f, flexVar, scope),
      nullable: versionCondition(f.nullable, f.versions),
      typeHasNull: fieldType(f).endsWith('| null'),
      label: `${s.tsName}.${f.prop}`,
    };
    const write = writeValue('w', value, f.type, ctx, '    ');
    const absentCheck = f.spec.ignorable
      ? []
      : [`if (${nonDefault(f, value)}) unsupportedField('${s.tsName}.${f.prop}', v);`];
    if (inline === 'true') body.push(...write.map((l) => l.slice(2)));
    else if (inline !== 'false') {
      body.push(`  if (${inline}) {`, ...write);
      if (present === 'true' || absentCheck.length === 0) body.push('  }');
      else if (taggedCond === 'false') body.push('  } else {', `    ${absentCheck[0]}`, '  }');
      else body.push(`  } else if (${not(present)}) {`, `    ${absentCheck[0]}`, '  }');
    } else if (present !== 'true' && absentCheck.length > 0) {
      body.push(`  if (${not(present)}) ${absentCheck[0]}`);
    }
  }
  if (anyFlex) {
    body.push(`  if (${flexVar}) {`);
    if (taggedFields.length > 0) {
      body.push('    let tagged: TaggedFieldWriter | undefined;');
      for (const f of taggedFields) {
        const value = `m.${f.prop}`;
        const ctx: Ctx = {
          flex: 'true',
          nullable: versionCondition(f.nullable, f.versions),
          typeHasNull: fieldType(f).endsWith('| null'),
          label: `${s.tsName}.${f.prop}`,
        };
        const cond = and(versionCondition(f.tagged, scope), nonDefault(f, value));
        body.push(
          `    if (${cond}) {`,
          `      const t = (tagged ??= new TaggedFieldWriter()).field(${f.spec.tag});`,
        );
        body.push(...writeValue('t', value, f.type, ctx, '      '));
        body.push('    }');
      }
      body.push('    writeTaggedFields(w, tagged, m._unknownTaggedFields);');
    } else {
      body.push('    writeTaggedFields(w, undefined, m._unknownTaggedFields);');
    }
    body.push('  }');
  }
  out.push(`export function encode${s.tsName}(w: Writer, m: ${s.tsName}, v: number): void {`);
  if (anyFlex && structFlex !== 'true' && body.some((l) => /\bflex\b/.test(l)))
    out.push(`  const flex = ${structFlex};`);
  out.push(...body, '}', '');
  return out.join('\n');
}
