/**
 * The "## Metrics" section of docs/operations.md, generated from the processes' metric
 * definitions (process-registries.ts) so that it lists exactly what each process exports.
 * `npx tsx scripts/metrics-doc.ts` rewrites the section in place, leaving the rest of the
 * page alone; a unit test fails when the page is stale.
 */
import { fileURLToPath } from 'node:url';
import { describeMetrics, type MetricDescription } from './describe-metrics.js';
import {
  PROCESS_KINDS,
  processRegistry,
  SERVICE_KINDS,
  type ProcessKind,
} from './process-registries.js';

const TITLES: Readonly<Record<ProcessKind, string>> = {
  edge: 'Edge',
  'storage-node': 'Storage node',
  controlplane: 'Controlplane',
  console: 'Console (besides the process and Node.js metrics)',
};

const INTRO = `## Metrics

Every process serves Prometheus metrics at \`/metrics\` on \`KAFSCALE_METRICS_ADDR\`, with
\`/healthz\`, \`/readyz\` and \`/load\` (the few figures \`kafscale status\` shows); \`kafscale dev\`
serves those of all three services and the console from one endpoint. Below is every
\`kafscale_*\` metric, by the process that exports it. Histograms are in seconds or bytes as
their names say, exported as \`_bucket\`, \`_sum\` and \`_count\` series.
\`deploy/observability/\` holds a Grafana dashboard and Prometheus alert rules over them; a
few useful expressions:

- read cache hit ratio: \`sum(rate(kafscale_storage_cache_reads_total{outcome="hit"}[5m])) / sum(rate(kafscale_storage_cache_reads_total[5m]))\`
- no controlplane leader: \`sum(kafscale_controlplane_leader) == 0\`
- S3 p99 latency per operation: \`histogram_quantile(0.99, sum by (op, le) (rate(kafscale_s3_request_duration_seconds_bucket[5m])))\`

This section is generated from the metric definitions: after adding or changing a metric,
run \`npx tsx scripts/metrics-doc.ts\`.
`;

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function table(metrics: readonly MetricDescription[]): string {
  const rows = metrics.map(
    (m) =>
      `| \`${m.name}\` | ${m.type} | ${m.labels.map((l) => `\`${l}\``).join(', ')} | ${cell(m.help)} |`,
  );
  return ['| metric | type | labels | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The metrics of each process, and those every service (edge, storage node, controlplane) exports. */
export async function metricsByProcess(): Promise<{
  readonly common: MetricDescription[];
  readonly own: Record<ProcessKind, MetricDescription[]>;
}> {
  const all = await Promise.all(PROCESS_KINDS.map((k) => describeMetrics(processRegistry(k))));
  const services = all.filter((_, i) =>
    (SERVICE_KINDS as readonly string[]).includes(PROCESS_KINDS[i] ?? ''),
  );
  const everywhere = (name: string) => services.every((ms) => ms.some((m) => m.name === name));
  const own = Object.fromEntries(
    PROCESS_KINDS.map((k, i) => [k, (all[i] ?? []).filter((m) => !everywhere(m.name))]),
  ) as Record<ProcessKind, MetricDescription[]>;
  return { common: (all[0] ?? []).filter((m) => everywhere(m.name)), own };
}

/** The section as markdown, formatted as prettier formats the docs. */
export async function renderMetricsSection(): Promise<string> {
  const { common, own } = await metricsByProcess();
  const parts = [
    INTRO,
    '### Every service\n',
    'Process and Node.js runtime metrics, and the metadata store (etcd) client, on every edge,\nstorage node and controlplane.\n',
    table(common),
    ...PROCESS_KINDS.flatMap((k) => [`\n### ${TITLES[k]}\n`, table(own[k])]),
  ];
  const prettier = await import('prettier');
  const page = fileURLToPath(new URL('../../../docs/operations.md', import.meta.url));
  const options = (await prettier.resolveConfig(page)) ?? {};
  return prettier.format(parts.join('\n'), { ...options, parser: 'markdown' });
}

/** The lines of the "## Metrics" section: from its heading to the next "## " heading. */
function sectionRange(lines: readonly string[]): { start: number; end: number } | undefined {
  const start = lines.indexOf('## Metrics');
  if (start < 0) return undefined;
  const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return { start, end: next < 0 ? lines.length : next };
}

/** `doc` with its "## Metrics" section replaced by `section` (appended when it has none). */
export function spliceMetricsSection(doc: string, section: string): string {
  const lines = doc.split('\n');
  const range = sectionRange(lines);
  if (range === undefined) return `${doc.trimEnd()}\n\n${section}`;
  const before = lines.slice(0, range.start).join('\n');
  const after = lines.slice(range.end).join('\n');
  return `${before}\n${section}${after === '' ? '' : `\n${after}`}`;
}

/** The "## Metrics" section of `doc` as it stands, or undefined when it has none. */
export function metricsSectionOf(doc: string): string | undefined {
  const lines = doc.split('\n');
  const range = sectionRange(lines);
  return range === undefined ? undefined : lines.slice(range.start, range.end).join('\n');
}
