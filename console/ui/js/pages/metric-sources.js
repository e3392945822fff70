// Where the live figures come from, and why a figure reads "unavailable".
import { h, table } from '../dom.js';

/** The reason a live figure is missing, for its tooltip. */
export function missingReason(m) {
  if (m === null) return 'the console could not read its metrics API';
  if (!m.configured) return 'no metrics endpoint configured (KAFSCALE_CONSOLE_BROKER_METRICS_URL)';
  if (m.sources.every((s) => !s.ok)) return 'no metrics endpoint answered';
  return 'not exported by the configured metrics endpoints';
}

export function sourcesPanel(m) {
  if (m === null) return h('p', { class: 'message error' }, 'The metrics API did not answer.');
  if (!m.configured) {
    return h(
      'p',
      { class: 'banner warn', 'data-figure': 'metrics-sources' },
      'No metrics endpoint is configured: set KAFSCALE_CONSOLE_BROKER_METRICS_URL to the brokers’ /metrics URLs. Live figures show as unavailable.',
    );
  }
  return h(
    'div',
    {},
    h('h2', {}, 'Metrics endpoints'),
    table(
      [
        { title: 'endpoint', cell: (s) => s.url },
        { title: 'state', key: 'state', cell: (s) => (s.ok ? 'read' : `failed: ${s.error}`) },
      ],
      m.sources,
      { 'data-table': 'metrics-sources' },
    ),
  );
}

/** "over the last 42 s" or "since the processes started". */
export function windowNote(latency) {
  return latency.windowSeconds === null
    ? 'since the processes started'
    : `over the last ${latency.windowSeconds} s`;
}
