/**
 * Builds fast-check arbitraries for any generated Kafka message at a given version, from
 * the schema the generator emits (lib/kafka/gen/schemas.ts). Fields absent at that
 * version hold their defaults, as decoders produce them.
 */
import fc from 'fast-check';
import type { FieldSchema, MessageSchema, Range } from '../../lib/kafka/protocol/message-schema.js';
import { EMPTY_BYTES, ZERO_UUID } from '../../lib/kafka/protocol/codec-runtime.js';

const inRange = (r: Range | null | undefined, v: number): boolean =>
  r !== null && r !== undefined && v >= r[0] && v <= r[1];

function isFlexible(schema: MessageSchema, v: number): boolean {
  return inRange(schema.flexibleVersions, v);
}

/** The value a decoder yields for a field absent at a version. */
export function defaultValue(f: FieldSchema): unknown {
  const d = f.default;
  if (d === 'null') return null;
  switch (f.type) {
    case 'array':
      return [];
    case 'struct':
      return Object.fromEntries((f.fields ?? []).map((x) => [x.name, defaultValue(x)]));
    case 'bool':
      return d === 'true';
    case 'int64':
      return BigInt(d === null || d === '' ? 0 : d);
    case 'string':
      return d ?? '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return EMPTY_BYTES;
    case 'records':
      return f.nullable === null ? EMPTY_BYTES : null;
    default:
      return d === null || d === '' ? 0 : Number(d);
  }
}

function primitive(type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double();
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 12 });
    case 'uuid':
      return fc
        .uint8Array({ minLength: 16, maxLength: 16 })
        .map((b) => Buffer.from(b).toString('base64url'));
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b));
    default:
      throw new Error(`no arbitrary for ${type}`);
  }
}

/** Unknown tagged fields (tags far above any the specs use), sorted and unique. */
const unknownTagged = fc
  .uniqueArray(fc.integer({ min: 1000, max: 5000 }), { minLength: 1, maxLength: 2 })
  .chain((tags) =>
    fc.tuple(
      ...tags
        .sort((a, b) => a - b)
        .map((tag) => fc.uint8Array({ maxLength: 6 }).map((b) => ({ tag, data: Buffer.from(b) }))),
    ),
  );

function structArbitrary(
  fields: readonly FieldSchema[],
  v: number,
  flexible: boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) model[f.name] = fieldArbitrary(f, v, flexible);
  if (flexible) model._unknownTaggedFields = fc.option(unknownTagged, { nil: undefined, freq: 4 });
  return fc.record(model);
}

function fieldArbitrary(f: FieldSchema, v: number, flexible: boolean): fc.Arbitrary<unknown> {
  if (!inRange(f.versions, v)) return fc.constant(defaultValue(f));
  let arb: fc.Arbitrary<unknown>;
  if (f.type === 'struct') {
    arb = structArbitrary(f.fields ?? [], v, flexible);
  } else if (f.type === 'array') {
    const element =
      f.element === 'struct'
        ? structArbitrary(f.fields ?? [], v, flexible)
        : primitive(f.element ?? '');
    arb = fc.array(element, { maxLength: 3 });
  } else {
    arb = primitive(f.type);
  }
  return inRange(f.nullable, v) ? fc.option(arb, { nil: null, freq: 4 }) : arb;
}

/** Random messages of `schema` valid at version `v`. */
export function messageArbitrary(
  schema: MessageSchema,
  v: number,
): fc.Arbitrary<Record<string, unknown>> {
  return structArbitrary(schema.fields, v, isFlexible(schema, v));
}
