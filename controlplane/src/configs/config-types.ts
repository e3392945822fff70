/**
 * Kafka's codes for config resources, value types, value sources and incremental
 * operations (DescribeConfigsResponse.ConfigType and ConfigSource, ConfigResource.Type,
 * AlterConfigOp.OpType), and how Kafka shows a config's value: ConfigDef parses the text
 * (trimmed; numbers and booleans normalised, lists split at commas) and prints it back.
 */

/** Config resource types this controlplane serves. */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** Where a described value comes from. */
export const ConfigSource = {
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;

/** IncrementalAlterConfigs operations. */
export const AlterOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export const ALTER_OP_NAMES: Readonly<Record<number, string>> = {
  0: 'SET',
  1: 'DELETE',
  2: 'APPEND',
  3: 'SUBTRACT',
};

/** ConfigDef value types, with their DescribeConfigs codes. */
export const CONFIG_TYPE_CODES = {
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;

export type ConfigType = keyof typeof CONFIG_TYPE_CODES;

/** Kafka hides the value of every PASSWORD config (KafkaConfig.maybeSensitive). */
export function isSensitive(type: ConfigType): boolean {
  return type === 'PASSWORD';
}

/** The items of a list value, as ConfigDef splits it (empty text: no items). */
export function listItems(value: string): string[] {
  const t = value.trim();
  return t === '' ? [] : t.split(/\s*,\s*/);
}

/**
 * `value` as Kafka prints it after parsing it as `type` (ConfigDef.parseType, then
 * convertToString). Text that does not parse is returned trimmed; validation refuses it
 * before it is ever stored.
 */
export function canonicalValue(type: ConfigType, value: string): string {
  const t = value.trim();
  switch (type) {
    case 'BOOLEAN':
      return t.toLowerCase();
    case 'INT':
    case 'SHORT':
    case 'LONG':
      return /^[+-]?\d+$/.test(t) ? BigInt(t).toString() : t;
    case 'DOUBLE': {
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? javaDouble(n) : t;
    }
    case 'LIST':
      return listItems(t).join(',');
    case 'PASSWORD':
      return value;
    case 'STRING':
    case 'CLASS':
      return t;
  }
}

/** Double.toString: "0.5", "1.0", "1.0E-4", "1.5E7". */
function javaDouble(n: number): string {
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '0', exponent = '0'] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
