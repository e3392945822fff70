/**
 * The result of a client's consumer-group scenario (test/compat/README.md, "Consumer groups"):
 * a list of named checks, each passed or failed with a detail saying what was seen. Client
 * programs print it as JSON on their last stdout line; every client's group test checks it with
 * expectGroupChecksPassed.
 */
import { inspect } from 'node:util';
import { expect } from 'vitest';

export interface GroupCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was seen: numbers, assignments, errors. */
  readonly detail: string;
}

export interface GroupResult {
  readonly client: string;
  readonly version?: string;
  readonly checks: readonly GroupCheck[];
  readonly timingsMs?: Readonly<Record<string, number>>;
}

/** Validates a parsed result (runClient parses the last stdout line) as a GroupResult. */
export function toGroupResult(value: unknown): GroupResult {
  const v = value as Partial<GroupResult> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    typeof v.client !== 'string' ||
    !Array.isArray(v.checks) ||
    !v.checks.every(
      (c: Partial<GroupCheck> | null) =>
        c !== null &&
        typeof c === 'object' &&
        typeof c.name === 'string' &&
        typeof c.ok === 'boolean' &&
        typeof c.detail === 'string',
    )
  )
    throw new Error(`not a group result: ${inspect(value, { depth: 4 }).slice(0, 2000)}`);
  return v as GroupResult;
}

/** Parses a program's stdout: its last line is the GroupResult JSON. */
export function parseGroupResult(stdout: string): GroupResult {
  return toGroupResult(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
}

/**
 * Prints every check, then fails listing every failed check (name: detail) at once, and any
 * required check the client did not report.
 */
export function expectGroupChecksPassed(
  result: GroupResult,
  options: { readonly required?: readonly string[]; readonly wallMs?: number } = {},
): void {
  const version = result.version === undefined ? '' : ` (${result.version})`;
  const wall = options.wallMs === undefined ? '' : `, ${options.wallMs} ms`;
  const timings =
    result.timingsMs === undefined ? '' : `, timings ${JSON.stringify(result.timingsMs)}`;
  const passed = result.checks.filter((c) => c.ok).length;
  const lines = result.checks.map((c) => `  ${c.ok ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  process.stderr.write(
    `${result.client}${version} groups: ${passed}/${result.checks.length} checks passed${wall}${timings}\n` +
      lines.join(''),
  );
  const names = new Set(result.checks.map((c) => c.name));
  const problems = [
    ...result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`),
    ...(options.required ?? []).filter((r) => !names.has(r)).map((r) => `${r}: not reported`),
  ];
  expect(result.checks.length, 'the client reported no check').toBeGreaterThan(0);
  expect(problems).toEqual([]);
}
