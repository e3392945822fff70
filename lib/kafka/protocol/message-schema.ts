/**
 * A plain description of every generated message (fields, types, version ranges), emitted
 * beside the codec. Tests use it to build random messages for round trips; docs use it to
 * list what the codec handles. Ranges are closed [min, max].
 */
export type Range = readonly [number, number];

export interface FieldSchema {
  readonly name: string;
  /** A primitive type name, 'struct', or 'array'. */
  readonly type: string;
  /** For arrays: the element's primitive type name, or 'struct'. */
  readonly element?: string;
  /** For structs and arrays of structs. */
  readonly fields?: readonly FieldSchema[];
  readonly versions: Range | null;
  readonly nullable: Range | null;
  readonly tagged: Range | null;
  readonly tag?: number;
  /** A field-level override of the message's flexible versions. */
  readonly flexible?: Range | null;
  readonly default: string | null;
  readonly ignorable: boolean;
}

export interface MessageSchema {
  readonly name: string;
  readonly apiKey: number | null;
  readonly type: string;
  readonly validVersions: Range;
  readonly flexibleVersions: Range | null;
  readonly fields: readonly FieldSchema[];
}
