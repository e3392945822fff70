/**
 * A small parser for the admin commands' arguments: positionals, `--flag`, `--name value`
 * (or `--name=value`), and options that may repeat. Anything it does not know is an error
 * naming the argument, so a typo never runs a different operation.
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ArgSpec {
  /** Options that take a value (without the leading dashes). */
  readonly values?: readonly string[];
  /** Options that may be given more than once (a subset of `values`). */
  readonly repeated?: readonly string[];
  /** Options without a value. */
  readonly flags?: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
}

export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags?.includes(name) === true) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (spec.values?.includes(name) !== true) throw new UsageError(`unknown option ${arg}`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    const list = values.get(name) ?? [];
    if (list.length > 0 && spec.repeated?.includes(name) !== true) {
      throw new UsageError(`--${name} is given more than once`);
    }
    list.push(value);
    values.set(name, list);
  }
  return { positionals, values, flags };
}

export function single(args: ParsedArgs, name: string): string | undefined {
  return args.values.get(name)?.[0];
}

export function integerArg(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${name} must be an integer, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${name} must be in [${min}, ${max}], got ${n}`);
  return n;
}

export function bigintArg(name: string, text: string): bigint {
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number, got '${text}'`);
  return BigInt(text);
}

/** `key=value` pairs into a record; a pair without `=` or a key given twice is an error. */
export function keyValues(name: string, pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${name} takes key=value, got '${pair}'`);
    const key = pair.slice(0, eq);
    if (Object.hasOwn(out, key)) throw new UsageError(`${name} sets '${key}' twice`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

/** Exactly `names.length` positionals, named in the error when they are not. */
export function positionals(args: ParsedArgs, names: readonly string[]): string[] {
  if (args.positionals.length < names.length) {
    const missing = names.slice(args.positionals.length);
    throw new UsageError(`missing ${missing.join(' and ')}`);
  }
  if (args.positionals.length > names.length) {
    throw new UsageError(`unexpected argument '${args.positionals[names.length] ?? ''}'`);
  }
  return [...args.positionals];
}
