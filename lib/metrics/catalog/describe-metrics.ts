/** What a registry declares, metric by metric: name, type, label names and help text. */
import type { Registry } from 'prom-client';

export interface MetricDescription {
  readonly name: string;
  readonly type: string;
  /** Label names as declared (a histogram's `le` is not one of them). */
  readonly labels: readonly string[];
  readonly help: string;
}

export async function describeMetrics(registry: Registry): Promise<MetricDescription[]> {
  const metrics = await registry.getMetricsAsJSON();
  return metrics
    .map((m) => {
      // prom-client keeps the declared label names on the metric object, untyped.
      const declared = registry.getSingleMetric(m.name) as { labelNames?: readonly string[] };
      return {
        name: m.name,
        type: String(m.type),
        labels: [...(declared.labelNames ?? [])],
        help: m.help,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
