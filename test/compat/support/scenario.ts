/**
 * The compatibility scenario shared by every client (see test/compat/README.md): which record
 * number i goes where and what it holds, and the result shape every client program prints.
 * The Go, Python and Java programs implement the same rules in their own language.
 */

export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof CODECS)[number];

/** 1 MiB: the size of the one large record each client produces to topic b. */
export const BIG_RECORD_BYTES = 1 << 20;

export interface Placement {
  /** 'a' (4 partitions) or 'b' (1 partition) */
  readonly topic: 'a' | 'b';
  readonly partition: number;
}

/** Record i goes to b/0 when i % 5 === 4, otherwise to a/(i % 4). */
export function placement(i: number): Placement {
  return i % 5 === 4 ? { topic: 'b', partition: 0 } : { topic: 'a', partition: i % 4 };
}

/** Null for every 7th record, else `key-<i>`. */
export function keyOf(i: number): string | null {
  return i % 7 === 0 ? null : `key-${i}`;
}

/** Null for every 11th record, else `value-<i>-` and i % 100 'x's. */
export function valueOf(i: number): string | null {
  return i % 11 === 0 ? null : `value-${i}-${'x'.repeat(i % 100)}`;
}

/** None when i % 3 === 0; h-index=<i>; and h-empty='' (empty, not null) when i % 3 === 2. */
export function headersOf(i: number): [string, string][] {
  if (i % 3 === 0) return [];
  if (i % 3 === 1) return [['h-index', String(i)]];
  return [
    ['h-index', String(i)],
    ['h-empty', ''],
  ];
}

/** Which codec's producer run record i belongs to: N records split into equal segments. */
export function codecOf(i: number, n: number, codecs: readonly Codec[]): Codec {
  const c = codecs[Math.floor((i * codecs.length) / n)];
  if (c === undefined) throw new Error(`no codec for record ${i}`);
  return c;
}

/** The 1 MiB value: byte j is 'a' + j % 26 (printable, so line-based clients can send it). */
export function bigValue(): Buffer {
  const b = Buffer.alloc(BIG_RECORD_BYTES);
  for (let j = 0; j < b.length; j++) b[j] = 97 + (j % 26);
  return b;
}

/** What one partition looked like to the client. */
export interface PartitionResult {
  readonly topic: string;
  readonly partition: number;
  /** Records the producer had acknowledged for this partition. */
  readonly acked: number;
  /** Records read back from offset 0 up to the high watermark. */
  readonly consumed: number;
  readonly earliest: number;
  readonly latest: number;
  /** ListOffsets by timestamp: the query, what came back and what was expected. */
  readonly byTimestamp: {
    readonly timestamp: number;
    readonly offset: number;
    readonly expected: number;
  } | null;
}

/** The JSON every client program prints on its last stdout line. */
export interface CompatResult {
  readonly client: string;
  readonly version: string;
  readonly records: number;
  readonly codecs: readonly string[];
  readonly partitions: readonly PartitionResult[];
  /** Every difference found (capped); empty when the scenario passed. */
  readonly mismatches: readonly string[];
  readonly timingsMs: Readonly<Record<string, number>>;
}

/** Parses the last line of a program's stdout as its CompatResult. */
export function parseResult(stdout: string): CompatResult {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as CompatResult;
}

/** Pushes a mismatch, keeping at most 50 so a broken run stays readable. */
export function addMismatch(list: string[], msg: string): void {
  if (list.length < 50) list.push(msg);
  else if (list.length === 50) list.push('... more mismatches omitted');
}

/** Test-side checks of a result shared by every client's vitest file. */
export function summarize(result: CompatResult): {
  totalAcked: number;
  totalConsumed: number;
  problems: string[];
} {
  const problems: string[] = [...result.mismatches];
  let totalAcked = 0;
  let totalConsumed = 0;
  for (const p of result.partitions) {
    totalAcked += p.acked;
    totalConsumed += p.consumed;
    const where = `${p.topic}/${p.partition}`;
    if (p.consumed !== p.acked) problems.push(`${where}: consumed ${p.consumed} of ${p.acked}`);
    if (p.earliest !== 0) problems.push(`${where}: earliest ${p.earliest}, expected 0`);
    if (p.latest !== p.acked) problems.push(`${where}: latest ${p.latest}, expected ${p.acked}`);
    if (p.byTimestamp === null) problems.push(`${where}: no ListOffsets by timestamp`);
    else if (p.byTimestamp.offset !== p.byTimestamp.expected)
      problems.push(
        `${where}: offset for timestamp ${p.byTimestamp.timestamp} is ${p.byTimestamp.offset}, expected ${p.byTimestamp.expected}`,
      );
  }
  return { totalAcked, totalConsumed, problems };
}
