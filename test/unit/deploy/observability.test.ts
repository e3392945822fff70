/**
 * deploy/observability: the Grafana dashboard and the Prometheus alert rules use only metrics
 * some Kafscale process exports, as its metric definitions declare them
 * (lib/metrics/catalog/process-registries.ts), so a renamed or removed metric cannot leave a
 * panel or an alert silently empty.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeMetrics } from '../../../lib/metrics/catalog/describe-metrics.js';
import { PROCESS_KINDS, processRegistry } from '../../../lib/metrics/catalog/process-registries.js';

const DIR = join(import.meta.dirname, '../../../deploy/observability');

const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

/** Metric name -> type, over every process. */
let exported: Map<string, string>;

beforeAll(async () => {
  exported = new Map();
  for (const kind of PROCESS_KINDS)
    for (const m of await describeMetrics(processRegistry(kind))) exported.set(m.name, m.type);
});

/** Every kafscale_* metric name in PromQL expressions (label values hold none). */
function metricNames(expressions: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const e of expressions) for (const m of e.matchAll(/\bkafscale_\w+/g)) names.add(m[0]);
  return names;
}

/**
 * The names no process exports: a name is exported when registered, or when it is a
 * histogram's _bucket, _sum or _count series.
 */
function unexported(expressions: readonly string[]): string[] {
  return [...metricNames(expressions)].filter((name) => {
    if (exported.has(name)) return false;
    const base = name.replace(HISTOGRAM_SERIES, '');
    return !(base !== name && exported.get(base) === 'histogram');
  });
}

interface Panel {
  readonly type: string;
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string; readonly refId?: string }[];
  readonly panels?: readonly Panel[];
}

function dashboard(): { readonly panels: readonly Panel[] } {
  return JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as {
    panels: Panel[];
  };
}

function dashboardExpressions(): string[] {
  const out: string[] = [];
  const walk = (panels: readonly Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.expr !== undefined) out.push(t.expr);
      walk(p.panels ?? []);
    }
  };
  walk(dashboard().panels);
  return out;
}

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

function alertRules(): Rule[] {
  const doc = parse(readFileSync(join(DIR, 'alerts.yaml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  return doc.groups.flatMap((g) => g.rules);
}

describe('the Grafana dashboard', () => {
  it('uses only metrics that some process exports', () => {
    const expressions = dashboardExpressions();
    expect(expressions.length).toBeGreaterThan(20);
    expect(unexported(expressions)).toEqual([]);
  });

  it('shows what operators watch', () => {
    const used = metricNames(dashboardExpressions());
    for (const name of [
      'kafscale_produce_rps',
      'kafscale_fetch_rps',
      'kafscale_kafka_requests_total',
      'kafscale_kafka_request_duration_seconds_bucket',
      'kafscale_kafka_response_errors_total',
      'kafscale_s3_request_duration_seconds_bucket',
      'kafscale_s3_requests_total',
      'kafscale_storage_flush_bytes_bucket',
      'kafscale_etcd_txn_duration_seconds_bucket',
      'kafscale_storage_owned_partitions',
      'kafscale_storage_cache_reads_total',
      'kafscale_process_resident_memory_bytes',
      'kafscale_nodejs_eventloop_lag_p99_seconds',
    ])
      expect(used, name).toContain(name);
  });

  it('gives every panel with queries a title and distinct query ids', () => {
    const walk = (panels: readonly Panel[]): void => {
      for (const p of panels) {
        if (p.targets !== undefined) {
          expect(p.title).toBeTruthy();
          const ids = p.targets.map((t) => t.refId);
          expect(new Set(ids).size, p.title).toBe(ids.length);
        }
        walk(p.panels ?? []);
      }
    };
    walk(dashboard().panels);
  });
});

describe('the Prometheus alert rules', () => {
  it('use only metrics that some process exports', () => {
    expect(unexported(alertRules().map((r) => r.expr))).toEqual([]);
  });

  it('alert on produce errors, S3 errors, no controlplane leader and consumer lag', () => {
    const rules = alertRules();
    expect(rules.map((r) => r.alert).sort()).toEqual([
      'KafscaleConsumerLag',
      'KafscaleNoControlplaneLeader',
      'KafscaleProduceErrorRate',
      'KafscaleS3ErrorRate',
    ]);
    for (const r of rules) {
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(r.labels?.severity, r.alert).toMatch(/^(warning|critical)$/);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
    }
    const byName = new Map(rules.map((r) => [r.alert, r.expr]));
    expect(byName.get('KafscaleNoControlplaneLeader')).toContain('kafscale_controlplane_leader');
    expect(byName.get('KafscaleConsumerLag')).toContain('kafscale_group_lag');
  });
});

describe('the exported-metric check', () => {
  it('catches a name no process exports, and a histogram suffix on a metric that is not one', () => {
    expect(
      unexported([
        'sum(rate(kafscale_not_a_metric_total[5m]))',
        'histogram_quantile(0.99, rate(kafscale_kafka_request_duration_seconds_bucket[5m]))',
        'kafscale_produce_rps_count',
      ]),
    ).toEqual(['kafscale_not_a_metric_total', 'kafscale_produce_rps_count']);
  });
});
