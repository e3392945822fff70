/**
 * The benchmark's phases, each run against every target in turn (the reference broker
 * first, then Kafscale) so both see the same minute of a noisy machine. A phase that fails
 * on one target is recorded with its error and the run goes on.
 */
import {
  consumerPerformance,
  createTopic,
  endToEndAtRate,
  endToEndLatency,
  producerPerformance,
  RECORD_BYTES,
  type ConsumeResult,
  type EndToEndResult,
  type ProduceResult,
  type RoundTripResult,
  type ToolTarget,
} from './perf-tools.js';
import { cpuSnapshot, cpuUsed, type NamedPid } from './cpu-time.js';
import { diffCounters, type StoreCounters } from '../../test/support/store-counters.js';

export interface Target {
  readonly name: string;
  readonly tools: ToolTarget;
  /**
   * Makes the next read of `topic` cold: a restarted broker, or a restarted storage node for
   * Kafscale. Resolves to what the run should say about the read's starting point, if anything.
   */
  restartForColdRead(topic: string): Promise<string | undefined>;
  /** Store request counters, where the target has them (Kafscale). */
  readonly counters?: () => Promise<StoreCounters>;
  /** The target's server processes, for their CPU time. */
  pids(): readonly NamedPid[];
  /** Output to show when a phase fails. */
  outputTails(): string;
}

export type Outcome<T> = { readonly ok: T } | { readonly failed: string };

export interface PhaseCost {
  readonly phase: string;
  readonly seconds: number;
  /** Record bytes the phase produced or consumed. */
  readonly bytes: number;
  readonly counters: StoreCounters;
}

export interface PhaseCpu {
  readonly phase: string;
  readonly seconds: number;
  /** CPU seconds each server process used during the phase. */
  readonly used: ReadonlyMap<string, number>;
}

export interface TargetResults {
  produceMax?: Outcome<ProduceResult>;
  produceAtRate?: Outcome<ProduceResult>;
  endToEnd?: Outcome<EndToEndResult>;
  /** At SUSTAINED_SHARE of the target's own maximum (phase 1). */
  produceSustained?: Outcome<ProduceResult>;
  endToEndSustained?: Outcome<EndToEndResult>;
  roundTrip?: Outcome<RoundTripResult>;
  consumeCold?: Outcome<ConsumeResult>;
  consumeWarm?: Outcome<ConsumeResult>;
  readonly costs: PhaseCost[];
  readonly cpu: PhaseCpu[];
  readonly failures: string[];
}

export interface PhaseSettings {
  readonly records: number;
  readonly rateRecordsPerSec: number;
  readonly rateRecords: number;
  /** Records EndToEndLatency sends one at a time. */
  readonly roundTrips: number;
  readonly partitions: number;
}

/**
 * The highest sustainable rate is taken as this share of the target's maximum produce
 * rate: at the maximum itself the client's queue grows and latency only shows the queue.
 */
export const SUSTAINED_SHARE = 0.8;
/** Seconds the sustained phases last (fewer records in a quick run). */
const SUSTAINED_SECONDS = 20;

const TOPICS = {
  max: 'bench-max',
  rate: 'bench-rate',
  e2e: 'bench-e2e',
  sustained: 'bench-sustained',
  e2eSustained: 'bench-e2e-sustained',
  roundTrip: 'bench-round-trip',
} as const;

export async function runPhases(
  targets: readonly Target[],
  s: PhaseSettings,
  log: (line: string) => void,
): Promise<Map<string, TargetResults>> {
  const results = new Map<string, TargetResults>(
    targets.map((t) => [t.name, { costs: [], cpu: [], failures: [] }]),
  );
  const at = (t: Target): TargetResults =>
    results.get(t.name) ?? { costs: [], cpu: [], failures: [] };

  async function phase<T>(
    t: Target,
    name: string,
    run: () => Promise<T>,
    bytes: (r: T) => number,
    describe: (r: T) => string,
  ): Promise<Outcome<T>> {
    try {
      const before = await t.counters?.();
      const cpuBefore = cpuSnapshot(t.pids());
      const started = performance.now();
      const r = await run();
      const seconds = (performance.now() - started) / 1000;
      at(t).cpu.push({ phase: name, seconds, used: cpuUsed(cpuSnapshot(t.pids()), cpuBefore) });
      if (before !== undefined && t.counters !== undefined) {
        const counters = diffCounters(await t.counters(), before);
        at(t).costs.push({ phase: name, seconds, bytes: bytes(r), counters });
      }
      log(`  ${t.name}: ${name}: ${describe(r)} (${seconds.toFixed(1)} s)`);
      return { ok: r };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`  ${t.name}: ${name}: FAILED: ${message.split('\n')[0] ?? ''}`);
      at(t).failures.push(`${name}: ${message}\n-- process output --\n${t.outputTails()}`);
      return { failed: message.split('\n')[0] ?? message };
    }
  }

  const produced = (r: ProduceResult): number => r.records * RECORD_BYTES;
  const showProduce = (r: ProduceResult): string =>
    `${r.recordsPerSec.toFixed(0)} records/s, ${r.mibPerSec.toFixed(1)} MiB/s, p99 ${r.p99Ms} ms` +
    (r.errors > 0 ? `, ${r.errors} failed sends` : '');
  const showConsume = (r: ConsumeResult): string =>
    `${r.records} records, ${r.fetchMibPerSec.toFixed(1)} MiB/s` +
    (r.warning === undefined ? '' : ` (${r.warning})`);

  // A target whose topics cannot be created sits out the phases.
  const live: Target[] = [];
  for (const t of targets) {
    try {
      for (const topic of Object.values(TOPICS)) await createTopic(t.tools, topic, s.partitions);
      live.push(t);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`  ${t.name}: creating the topics FAILED: ${message.split('\n')[0] ?? ''}`);
      at(t).failures.push(`create topics: ${message}\n-- process output --\n${t.outputTails()}`);
    }
  }
  for (const t of live) {
    at(t).produceMax = await phase(
      t,
      'produce max',
      () => producerPerformance(t.tools, TOPICS.max, s.records, -1),
      produced,
      showProduce,
    );
  }
  for (const t of live) {
    at(t).produceAtRate = await phase(
      t,
      'produce 10 MiB/s',
      () => producerPerformance(t.tools, TOPICS.rate, s.rateRecords, s.rateRecordsPerSec),
      produced,
      showProduce,
    );
  }
  for (const t of live) {
    at(t).endToEnd = await phase(
      t,
      'end-to-end 10 MiB/s',
      () => endToEndAtRate(t.tools, TOPICS.e2e, s.partitions, s.rateRecords, s.rateRecordsPerSec),
      (r) => produced(r.produce),
      (r) => `${r.samples} records seen, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
    );
  }
  for (const t of live) {
    const max = at(t).produceMax;
    if (max === undefined || !('ok' in max)) continue;
    const rate = Math.max(1, Math.floor(max.ok.recordsPerSec * SUSTAINED_SHARE));
    const records = Math.min(s.records, SUSTAINED_SECONDS * rate);
    at(t).produceSustained = await phase(
      t,
      `produce ${rate} records/s`,
      () => producerPerformance(t.tools, TOPICS.sustained, records, rate),
      produced,
      showProduce,
    );
    at(t).endToEndSustained = await phase(
      t,
      `end-to-end ${rate} records/s`,
      () => endToEndAtRate(t.tools, TOPICS.e2eSustained, s.partitions, records, rate),
      (r) => produced(r.produce),
      (r) => `${r.samples} records seen, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
    );
  }
  for (const t of live) {
    at(t).roundTrip = await phase(
      t,
      'round trip',
      () => endToEndLatency(t.tools, TOPICS.roundTrip, s.roundTrips),
      (r) => r.count * RECORD_BYTES,
      (r) => `${r.count} round trips, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
    );
  }
  const stamp = Date.now();
  for (const t of live) {
    try {
      const note = await t.restartForColdRead(TOPICS.max);
      if (note !== undefined) log(`  ${t.name}: before the cold read: ${note}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      at(t).failures.push(`restart before the cold read: ${message}`);
      at(t).consumeCold = { failed: `restart failed: ${message.split('\n')[0] ?? ''}` };
      continue;
    }
    at(t).consumeCold = await phase(
      t,
      'consume cold',
      () => consumerPerformance(t.tools, TOPICS.max, s.records, `bench-cold-${stamp}`),
      (r) => r.mib * 1024 * 1024,
      showConsume,
    );
  }
  for (const t of live) {
    at(t).consumeWarm = await phase(
      t,
      'consume warm',
      () => consumerPerformance(t.tools, TOPICS.max, s.records, `bench-warm-${stamp}`),
      (r) => r.mib * 1024 * 1024,
      showConsume,
    );
  }
  return results;
}
