// The metadata store (etcd): transactions by outcome, p50/p99 transaction latency, read
// errors and lost leases, from the kafscale_etcd_* metrics of the configured endpoints.
import { lineChart } from '../chart.js';
import { card, fill, h } from '../dom.js';
import { int, seconds } from '../format.js';
import { series } from '../metrics-history.js';
import { missingReason, sourcesPanel, windowNote } from './metric-sources.js';

export default {
  title: 'etcd',
  nav: 'etcd',
  mount(root, ctx) {
    const body = h('div');
    fill(root, h('h1', {}, 'Metadata store (etcd)'), body);
    return {
      async refresh() {
        const m = ctx.metrics();
        const why = missingReason(m);
        const md = m?.metadataStore;
        const latency = md?.txnLatency;
        const troubled = (md?.txnErrors ?? 0) + (md?.readErrors ?? 0) + (md?.leasesLost ?? 0) > 0;
        fill(
          body,
          md && md.txns !== null
            ? h(
                'div',
                { class: `banner ${troubled ? 'warn' : 'ok'}`, 'data-figure': 'etcd-health' },
                troubled
                  ? 'The metadata store has had errors or lost leases since the processes started.'
                  : 'No metadata store errors or lost leases since the processes started.',
              )
            : null,
          h(
            'div',
            { class: 'cards' },
            card('Transactions', int(md?.txns, why), { id: 'etcd-txns' }),
            card('Compares false', int(md?.txnsFailed, why), {
              id: 'etcd-txns-failed',
              note: 'lost races, not faults',
            }),
            card('Transaction errors', int(md?.txnErrors, why), { id: 'etcd-txn-errors' }),
            card('p50 txn latency', seconds(latency?.p50Seconds, why), {
              id: 'etcd-p50',
              note: latency ? windowNote(latency) : undefined,
            }),
            card('p99 txn latency', seconds(latency?.p99Seconds, why), {
              id: 'etcd-p99',
              note: latency ? windowNote(latency) : undefined,
            }),
            card('Read errors', int(md?.readErrors, why), { id: 'etcd-read-errors' }),
            card('Leases lost', int(md?.leasesLost, why), { id: 'etcd-leases-lost' }),
          ),
          h('h2', {}, 'Transaction latency, sampled every 3 s while the console is open'),
          lineChart(
            [
              { label: 'p50', cls: 'series-1', points: series('etcdP50') },
              { label: 'p99', cls: 'series-2', points: series('etcdP99') },
            ],
            { format: (v) => (v === 0 ? '0' : `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)} ms`) },
          ),
          sourcesPanel(m),
        );
      },
    };
  },
};
