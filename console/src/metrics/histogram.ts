/**
 * Prometheus histograms read back from samples: the `_bucket` series of one metric summed
 * over every label set that matches (as `sum by (le)` does), and quantiles estimated from
 * the cumulative buckets the way PromQL's histogram_quantile does (linear interpolation
 * inside the bucket that holds the rank; the highest finite bound when the rank falls in
 * the +Inf bucket).
 */
import type { Labels, Sample } from './prometheus-text.js';

export interface Bucket {
  /** The bucket's upper bound (`le`); Infinity for +Inf. */
  readonly le: number;
  /** Observations at or below `le` (cumulative). */
  readonly count: number;
}

export interface Histogram {
  /** Sorted by `le`, ending with +Inf. */
  readonly buckets: readonly Bucket[];
  readonly count: number;
  readonly sum: number;
}

/**
 * The histogram `name` summed over the label sets `match` accepts (all when absent), or
 * undefined when the samples have no bucket of it.
 */
export function histogramOf(
  samples: readonly Sample[],
  name: string,
  match: (labels: Labels) => boolean = () => true,
): Histogram | undefined {
  const byLe = new Map<number, number>();
  let sum = 0;
  for (const s of samples) {
    if (s.name === `${name}_bucket`) {
      const le = s.labels.le;
      if (le === undefined || !match(s.labels)) continue;
      const bound = le === '+Inf' ? Infinity : Number(le);
      if (Number.isNaN(bound)) continue;
      byLe.set(bound, (byLe.get(bound) ?? 0) + s.value);
    } else if (s.name === `${name}_sum` && match(s.labels)) {
      sum += s.value;
    }
  }
  if (!byLe.has(Infinity)) return undefined;
  const buckets = [...byLe.entries()]
    .map(([le, count]) => ({ le, count }))
    .sort((a, b) => a.le - b.le);
  return { buckets, count: byLe.get(Infinity) ?? 0, sum };
}

/**
 * `later - earlier`: the observations made between two readings of the same histogram, or
 * undefined when the two do not line up (other buckets, or a counter went back because the
 * process restarted).
 */
export function histogramDelta(later: Histogram, earlier: Histogram): Histogram | undefined {
  if (later.buckets.length !== earlier.buckets.length) return undefined;
  const buckets: Bucket[] = [];
  for (let i = 0; i < later.buckets.length; i++) {
    const a = later.buckets[i];
    const b = earlier.buckets[i];
    if (a === undefined || b?.le !== a.le || a.count < b.count) return undefined;
    buckets.push({ le: a.le, count: a.count - b.count });
  }
  return { buckets, count: later.count - earlier.count, sum: later.sum - earlier.sum };
}

/** The q-quantile (0 <= q <= 1) of the observations, or undefined when there are none. */
export function histogramQuantile(q: number, h: Histogram): number | undefined {
  const { buckets } = h;
  const last = buckets[buckets.length - 1];
  if (last?.le !== Infinity || last.count <= 0 || buckets.length < 2) return undefined;
  if (q < 0 || q > 1 || Number.isNaN(q)) return undefined;
  const rank = q * last.count;
  let i = buckets.findIndex((b) => b.count >= rank);
  if (i < 0) i = buckets.length - 1;
  const bucket = buckets[i];
  if (bucket === undefined) return undefined;
  if (bucket.le === Infinity) return buckets[buckets.length - 2]?.le;
  const previous = buckets[i - 1];
  const start = previous === undefined ? Math.min(0, bucket.le) : previous.le;
  const below = previous?.count ?? 0;
  const inBucket = bucket.count - below;
  if (inBucket <= 0) return bucket.le;
  return start + (bucket.le - start) * ((rank - below) / inBucket);
}
