/**
 * Declaring metrics on an injected registry, once: each helper returns the metric already
 * registered under the name (same type) or registers a new one, so building a service's
 * metrics twice on one registry never fails with "already registered". Bucket sets shared
 * by the services' metric modules live here too.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Seconds, for request latencies from 1 ms to 10 s. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Bytes, 1 KiB to 64 MiB in powers of four. */
export const SIZE_BUCKETS: readonly number[] = Array.from({ length: 9 }, (_, i) => 1024 * 4 ** i);

/** Small counts (partitions per flush, ops per transaction), 1 to 1024 in powers of two. */
export const COUNT_BUCKETS: readonly number[] = Array.from({ length: 11 }, (_, i) => 2 ** i);

interface MetricSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

function existing<T>(
  registry: Registry,
  name: string,
  type: abstract new (...args: never[]) => T,
): T | undefined {
  const found = registry.getSingleMetric(name);
  if (found === undefined) return undefined;
  if (found instanceof type) return found;
  throw new Error(`metric ${name} is already registered with another type`);
}

export function counter<L extends string = string>(
  registry: Registry,
  spec: MetricSpec<L> & { readonly collect?: (this: Counter<L>) => void },
): Counter<L> {
  return (
    (existing(registry, spec.name, Counter) as Counter<L> | undefined) ??
    new Counter<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [registry] })
  );
}

export function gauge<L extends string = string>(
  registry: Registry,
  spec: MetricSpec<L> & { readonly collect?: (this: Gauge<L>) => void | Promise<void> },
): Gauge<L> {
  return (
    (existing(registry, spec.name, Gauge) as Gauge<L> | undefined) ??
    new Gauge<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [registry] })
  );
}

export function histogram<L extends string = string>(
  registry: Registry,
  spec: MetricSpec<L> & { readonly buckets: readonly number[] },
): Histogram<L> {
  return (
    (existing(registry, spec.name, Histogram) as Histogram<L> | undefined) ??
    new Histogram<L>({
      ...spec,
      labelNames: spec.labelNames ?? [],
      buckets: [...spec.buckets],
      registers: [registry],
    })
  );
}

/** One label set's running total, as `counterOfTotals` reads it. */
export interface LabelledTotal<L extends string> {
  readonly labels: Partial<Record<L, string>>;
  readonly total: number;
}

/**
 * A counter fed at scrape time from running totals kept elsewhere (a component's own
 * tallies, summed over the instances a module tracks): each scrape adds what each label
 * set's total grew by since the previous scrape. A total that went down (an instance was
 * untracked) is taken as the new baseline rather than counted back.
 */
export function counterOfTotals<L extends string = string>(
  registry: Registry,
  spec: MetricSpec<L> & { readonly totals: () => readonly LabelledTotal<L>[] },
): Counter<L> {
  const reported = new Map<string, number>();
  const { totals, ...rest } = spec;
  return counter(registry, {
    ...rest,
    collect() {
      for (const { labels, total } of totals()) {
        const key = JSON.stringify(Object.entries(labels).sort());
        const before = reported.get(key) ?? 0;
        if (total > before) this.inc(labels, total - before);
        reported.set(key, total);
      }
    },
  });
}

/** Builds a value once per registry (a service's metric set, with any state it keeps). */
export function oncePerRegistry<T>(build: (registry: Registry) => T): (registry: Registry) => T {
  const cache = new WeakMap<Registry, T>();
  return (registry) => {
    let value = cache.get(registry);
    if (value === undefined) {
      value = build(registry);
      cache.set(registry, value);
    }
    return value;
  };
}
