/** Runs a function repeatedly for a time budget and reports operations and bytes per second. */
export interface Measurement {
  readonly name: string;
  readonly opsPerSec: number;
  readonly mbPerSec: number;
  readonly note: string;
}

export function measure(
  name: string,
  bytesPerOp: number,
  fn: () => void,
  note = '',
  budgetMs = 1500,
): Measurement {
  // Warm up, then time whole batches of calls so the clock is read rarely.
  for (let i = 0; i < 50; i++) fn();
  let ops = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(budgetMs) * 1_000_000n) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    batch = Math.min(batch * 2, 1024);
    elapsedNs = process.hrtime.bigint() - start;
  }
  const seconds = Number(elapsedNs) / 1e9;
  return { name, opsPerSec: ops / seconds, mbPerSec: (ops * bytesPerOp) / seconds / 1e6, note };
}

export function printTable(rows: readonly Measurement[], reference?: Measurement): void {
  const header = ['case', 'ops/s', 'MB/s', reference ? `x ${reference.name}` : '', 'note'];
  const lines = rows.map((r) => [
    r.name,
    r.opsPerSec.toFixed(0),
    r.mbPerSec.toFixed(0),
    reference ? (r.mbPerSec / reference.mbPerSec).toFixed(2) : '',
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}
