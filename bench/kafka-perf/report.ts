/**
 * The benchmark's tables: one per metric, the reference broker and Kafscale side by side
 * with the ratio Kafscale / Kafka, then Kafscale's store requests per phase and the peak
 * memory of every process.
 */
import type {
  ConsumeResult,
  EndToEndResult,
  ProduceResult,
  RoundTripResult,
} from './perf-tools.js';
import {
  SUSTAINED_SHARE,
  type Outcome,
  type PhaseCost,
  type PhaseCpu,
  type TargetResults,
} from './phases.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export function printRows(header: readonly string[], lines: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

type Metric<T> = readonly [label: string, value: (r: T) => number, digits: number];

function fmt(n: number | undefined, digits: number): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

/** Rows of one metric table: Kafka | Kafscale | Kafscale/Kafka. */
function sideBySide<T>(
  title: string,
  reference: Outcome<T> | undefined,
  kafscale: Outcome<T> | undefined,
  metrics: readonly Metric<T>[],
): void {
  console.log(`\n${title}\n`);
  const value = (o: Outcome<T> | undefined, f: (r: T) => number): number | undefined =>
    o !== undefined && 'ok' in o ? f(o.ok) : undefined;
  printRows(
    ['', 'Kafka', 'Kafscale', 'Kafscale/Kafka'],
    metrics.map(([label, f, digits]) => {
      const k = value(reference, f);
      const s = value(kafscale, f);
      const ratio = k !== undefined && s !== undefined && k !== 0 ? s / k : undefined;
      return [label, fmt(k, digits), fmt(s, digits), fmt(ratio, 2)];
    }),
  );
  for (const [name, o] of [
    ['Kafka', reference],
    ['Kafscale', kafscale],
  ] as const) {
    if (o !== undefined && 'failed' in o) console.log(`${name} failed: ${o.failed}`);
  }
}

const produceMetrics: readonly Metric<ProduceResult>[] = [
  ['records/s', (r) => r.recordsPerSec, 0],
  ['MiB/s', (r) => r.mibPerSec, 1],
  ['avg latency ms', (r) => r.avgMs, 1],
  ['p50 ms', (r) => r.p50Ms, 0],
  ['p99 ms', (r) => r.p99Ms, 0],
  ['p99.9 ms', (r) => r.p999Ms, 0],
  ['max ms', (r) => r.maxMs, 0],
  ['failed sends', (r) => r.errors, 0],
];

const consumeMetrics: readonly Metric<ConsumeResult>[] = [
  ['records', (r) => r.records, 0],
  ['MiB/s (fetch time)', (r) => r.fetchMibPerSec, 1],
  ['MiB/s (with group join)', (r) => r.mibPerSec, 1],
  ['group join ms', (r) => r.rebalanceMs, 0],
];

const endToEndMetrics: readonly Metric<EndToEndResult>[] = [
  ['records consumed', (r) => r.samples, 0],
  ['p50 ms', (r) => r.p50Ms, 0],
  ['p99 ms', (r) => r.p99Ms, 0],
  ['p99.9 ms', (r) => r.p999Ms, 0],
  ['max ms', (r) => r.maxMs, 0],
  ['producer records/s', (r) => r.produce.recordsPerSec, 0],
];

const roundTripMetrics: readonly Metric<RoundTripResult>[] = [
  ['avg ms', (r) => r.avgMs, 1],
  ['p50 ms', (r) => r.p50Ms, 0],
  ['p99 ms', (r) => r.p99Ms, 0],
  ['p99.9 ms', (r) => r.p999Ms, 0],
];

export interface ReportSettings {
  readonly records: number;
  readonly roundTrips: number;
  readonly rateRecords: number;
  readonly rateRecordsPerSec: number;
  readonly partitions: number;
}

export function printMetricTables(
  reference: TargetResults | undefined,
  kafscale: TargetResults,
  s: ReportSettings,
): void {
  const n = s.records.toLocaleString('en-US');
  const rate = `${s.rateRecordsPerSec.toLocaleString('en-US')} records/s = ${((s.rateRecordsPerSec * 1024) / MIB).toFixed(0)} MiB/s`;
  sideBySide(
    `1. Produce as fast as possible: ProducerPerformance, ${n} records (--throughput -1)`,
    reference?.produceMax,
    kafscale.produceMax,
    produceMetrics,
  );
  sideBySide(
    `2. Produce latency at ${rate}: ProducerPerformance, ${s.rateRecords.toLocaleString('en-US')} records`,
    reference?.produceAtRate,
    kafscale.produceAtRate,
    produceMetrics.filter(([l]) => l !== 'MiB/s'),
  );
  sideBySide(
    `3a. End-to-end latency at ${rate}: send() to the console consumer's print (CreateTime)`,
    reference?.endToEnd,
    kafscale.endToEnd,
    endToEndMetrics,
  );
  sideBySide(
    `3b. Round trip, one record at a time: EndToEndLatency, ${s.roundTrips} records (send().get(), then poll)`,
    reference?.roundTrip,
    kafscale.roundTrip,
    roundTripMetrics,
  );
  const share = `${(SUSTAINED_SHARE * 100).toFixed(0)}% of each one's own maximum (table 1)`;
  sideBySide(
    `3c. Produce latency at the highest sustainable rate, ${share}: ProducerPerformance, about 20 s`,
    reference?.produceSustained,
    kafscale.produceSustained,
    produceMetrics.filter(([l]) => l !== 'MiB/s'),
  );
  sideBySide(
    `3d. End-to-end latency at the same rate, ${share}`,
    reference?.endToEndSustained,
    kafscale.endToEndSustained,
    endToEndMetrics,
  );
  sideBySide(
    `4a. Consume cold: ConsumerPerformance, ${n} records, new group, right after a restart`,
    reference?.consumeCold,
    kafscale.consumeCold,
    consumeMetrics,
  );
  sideBySide(
    `4b. Consume warm: ConsumerPerformance again, another new group`,
    reference?.consumeWarm,
    kafscale.consumeWarm,
    consumeMetrics,
  );
}

/**
 * S3 Standard request prices, us-east-1: the figures issue 12 gives, which match AWS's
 * pricing page as last read by the project (no internet on the benchmark machine to re-check).
 */
export const S3_PRICES = { putPer1000: 0.005, getPer1000: 0.0004, asOf: 'as of 2026-11' } as const;

/** Dollars a month (30 days) for S3 requests at these rates. */
export function s3RequestsPerMonthUsd(putsPerSec: number, getsPerSec: number): number {
  const seconds = 30 * 24 * 3600;
  return ((putsPerSec * S3_PRICES.putPer1000 + getsPerSec * S3_PRICES.getPer1000) * seconds) / 1000;
}

export function printCostTable(costs: readonly PhaseCost[]): void {
  console.log('\n5. Kafscale store requests per phase (all services, from /metrics)\n');
  printRows(
    [
      'phase',
      's',
      'S3 PUT/s',
      'flushes/s',
      'hedged',
      'PUT/GiB',
      'KiB/PUT',
      'S3 GET/s',
      'GET/GiB',
      'KiB/GET',
      'compactions',
      'etcd txn/s',
      'txn/GiB',
      'S3 $/month',
    ],
    costs.map((c) => {
      const gib = c.bytes / GIB;
      const k = c.counters;
      return [
        c.phase,
        c.seconds.toFixed(1),
        fmt(k.s3Puts / c.seconds, 1),
        fmt(k.flushes / c.seconds, 1),
        fmt(k.hedgedPuts, 0),
        fmt(k.s3Puts / gib, 0),
        fmt(k.s3Puts === 0 ? undefined : k.s3PutBytes / k.s3Puts / 1024, 0),
        fmt(k.s3Gets / c.seconds, 1),
        fmt(k.s3Gets / gib, 0),
        fmt(k.s3Gets === 0 ? undefined : k.s3GetBytes / k.s3Gets / 1024, 0),
        fmt(k.compactions, 0),
        fmt(k.etcdTxns / c.seconds, 1),
        fmt(k.etcdTxns / gib, 0),
        fmt(s3RequestsPerMonthUsd(k.s3Puts / c.seconds, k.s3Gets / c.seconds), 0),
      ];
    }),
  );
  console.log(
    [
      'Per GiB: of records produced (produce, end-to-end and round-trip phases) or consumed',
      '(consume phases). A PUT is a flush object, a hedge (hedged: flush PUTs sent again because',
      'the first was slow), or a compacted segment (compactions: segments',
      'written, each after GETs of the runs it merges); etcd transactions commit flushes,',
      'compactions and offsets. S3 $/month: the requests of one storage node (the stack has one)',
      `at the phase's rate for 30 days, at S3 Standard list prices (us-east-1, ${S3_PRICES.asOf}:`,
      `$${S3_PRICES.putPer1000} per 1,000 PUTs, $${S3_PRICES.getPer1000} per 1,000 GETs; storage and transfer not counted).`,
    ].join('\n'),
  );
}

export function printCpuTable(
  reference: readonly PhaseCpu[] | undefined,
  kafscale: readonly PhaseCpu[],
): void {
  console.log('\n6. CPU seconds per phase (server processes only; the machine has 2 cores)\n');
  const names = [...new Set(kafscale.flatMap((p) => [...p.used.keys()]))];
  const total = (p: PhaseCpu | undefined): number | undefined =>
    p === undefined ? undefined : [...p.used.values()].reduce((a, b) => a + b, 0);
  printRows(
    ['phase', 'Kafka', 'Kafscale', 'Kafscale/Kafka', 'Kafscale wall s', ...names],
    kafscale.map((p) => {
      const k = total(reference?.find((r) => r.phase === p.phase));
      const s = total(p);
      return [
        p.phase,
        fmt(k, 1),
        fmt(s, 1),
        k === undefined || s === undefined || k === 0 ? '-' : fmt(s / k, 2),
        fmt(p.seconds, 1),
        ...names.map((n) => fmt(p.used.get(n), 1)),
      ];
    }),
  );
  console.log('Kafka: the broker JVM. Kafscale: the sum of the columns on the right.');
}

export function printRssTable(
  reference: ReadonlyMap<string, number> | undefined,
  kafscale: ReadonlyMap<string, number>,
): void {
  console.log('\n7. Peak resident memory (VmHWM), MiB\n');
  const mib = (b: number | undefined): string => fmt(b === undefined ? undefined : b / MIB, 0);
  const sum = (m: ReadonlyMap<string, number>): number =>
    [...m.values()].reduce((a, b) => a + b, 0);
  const lines: string[][] = [];
  for (const [name, bytes] of reference ?? new Map<string, number>())
    lines.push([`Kafka: ${name}`, mib(bytes), '', '']);
  for (const [name, bytes] of kafscale) lines.push([`Kafscale: ${name}`, '', mib(bytes), '']);
  const k = reference === undefined ? undefined : sum(reference);
  const s = sum(kafscale);
  lines.push(['total', mib(k), mib(s), k === undefined ? '-' : fmt(s / k, 2)]);
  printRows(['process', 'Kafka', 'Kafscale', 'Kafscale/Kafka'], lines);
}
