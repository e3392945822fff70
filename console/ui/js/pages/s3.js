// The object store (S3): requests, errors and bytes, p50/p99 latency per operation from
// the kafscale_s3_request_duration_seconds buckets, and the storage nodes' flushes.
import { lineChart } from '../chart.js';
import { card, fill, h, table } from '../dom.js';
import { bytes, int, seconds } from '../format.js';
import { series } from '../metrics-history.js';
import { missingReason, sourcesPanel, windowNote } from './metric-sources.js';

export default {
  title: 'S3',
  nav: 's3',
  mount(root, ctx) {
    const body = h('div');
    fill(root, h('h1', {}, 'Object store (S3)'), body);
    return {
      async refresh() {
        const m = ctx.metrics();
        const why = missingReason(m);
        const s3 = m?.objectStore;
        const latency = s3?.latency;
        const errors = s3?.errors;
        fill(
          body,
          errors > 0
            ? h(
                'div',
                { class: 'banner bad' },
                `${int(errors)} object store request(s) failed since the processes started`,
              )
            : null,
          h(
            'div',
            { class: 'cards' },
            card('Requests', int(s3?.requests, why), { id: 's3-requests' }),
            card('Errors', int(errors, why), {
              id: 's3-errors',
              note: 'retriable, failed or unexpected',
            }),
            card('p50 latency', seconds(latency?.p50Seconds, why), {
              id: 's3-p50',
              note: latency ? windowNote(latency) : undefined,
            }),
            card('p99 latency', seconds(latency?.p99Seconds, why), {
              id: 's3-p99',
              note: latency ? windowNote(latency) : undefined,
            }),
            card('Bytes put', bytes(s3?.putBytes, why), { id: 's3-put-bytes' }),
            card('Bytes got', bytes(s3?.getBytes, why), { id: 's3-get-bytes' }),
          ),
          h('h2', {}, 'Per operation'),
          table(
            [
              { title: 'operation', key: 'op', cell: (o) => o.op },
              { title: 'requests', key: 'requests', num: true, cell: (o) => int(o.requests) },
              { title: 'errors', key: 'errors', num: true, cell: (o) => int(o.errors) },
              {
                title: 'p50',
                key: 'p50',
                num: true,
                cell: (o) => seconds(o.latency.p50Seconds, 'no requests in the window'),
              },
              {
                title: 'p99',
                key: 'p99',
                num: true,
                cell: (o) => seconds(o.latency.p99Seconds, 'no requests in the window'),
              },
              { title: 'window', cell: (o) => windowNote(o.latency) },
            ],
            s3?.operations ?? [],
            { 'data-table': 's3-operations' },
          ),
          h('h2', {}, 'Flushes'),
          table(
            [
              { title: 'outcome', cell: ([k]) => k },
              { title: 'flushes', num: true, cell: ([, v]) => int(v) },
            ],
            Object.entries(s3?.flushes ?? {}),
            { 'data-table': 'flushes' },
          ),
          h('h2', {}, 'Latency, sampled every 3 s while the console is open'),
          lineChart(
            [
              { label: 'p50', cls: 'series-1', points: series('s3P50') },
              { label: 'p99', cls: 'series-2', points: series('s3P99') },
            ],
            { format: (v) => (v === 0 ? '0' : `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)} ms`) },
          ),
          sourcesPanel(m),
        );
      },
    };
  },
};
