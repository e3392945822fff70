/**
 * A reader of Prometheus' text exposition format (version 0.0.4), enough for the console:
 * `name{label="value",...} value [timestamp]` lines, label values with the three escapes
 * (`\\`, `\"`, `\n`), the special values NaN, +Inf and -Inf, and `# TYPE name type`
 * comments (other comments are skipped). A line that does not parse is counted and skipped
 * rather than failing the whole scrape.
 */

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

export interface ParsedExposition {
  readonly samples: readonly Sample[];
  /**
   * Metric families by the type their `# TYPE` line declares. A counter declared with no
   * sample has not counted anything yet (prom-client exports a labelled counter's series
   * only from its first increment).
   */
  readonly types: ReadonlyMap<string, string>;
  /** Lines that were neither comments, blank, nor samples. */
  readonly skippedLines: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parsePrometheusText(text: string): ParsedExposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  let skippedLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      const m = /^#\s+TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)\s*$/.exec(line);
      if (m !== null) types.set(m[1] ?? '', m[2] ?? '');
      continue;
    }
    if (line === '') continue;
    const sample = parseSampleLine(line);
    if (sample === undefined) skippedLines++;
    else samples.push(sample);
  }
  return { samples, types, skippedLines };
}

/** One sample line, or undefined when it is malformed. */
export function parseSampleLine(line: string): Sample | undefined {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) return undefined;
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest);
    if (parsed === undefined) return undefined;
    labels = parsed.labels;
    rest = rest.slice(parsed.length);
  }
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') return undefined;
  const value = parseValue(fields[0] ?? '');
  if (value === undefined) return undefined;
  return { name, labels, value };
}

function parseValue(text: string): number | undefined {
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** `{a="1",b="2"}` at the start of `text`: the labels and the characters consumed. */
function parseLabels(text: string): { labels: Record<string, string>; length: number } | undefined {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, length: i + 1 };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (name === undefined) return undefined;
    i += name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') return undefined;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '"') return undefined;
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return undefined;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else return undefined;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++;
    labels[name] = value;
  }
}
