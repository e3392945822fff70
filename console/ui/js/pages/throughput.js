// Throughput: the edges' produce and fetch records per second (kafscale_produce_rps and
// kafscale_fetch_rps, each averaged by the edge over KAFSCALE_THROUGHPUT_WINDOW_SEC),
// sampled by this page at every refresh and charted.
import { lineChart } from '../chart.js';
import { card, fill, h } from '../dom.js';
import { count, rate } from '../format.js';
import { series } from '../metrics-history.js';
import { missingReason, sourcesPanel } from './metric-sources.js';

export default {
  title: 'Throughput',
  nav: 'throughput',
  mount(root, ctx) {
    const body = h('div');
    fill(root, h('h1', {}, 'Throughput'), body);
    return {
      async refresh() {
        const m = ctx.metrics();
        const why = missingReason(m);
        fill(
          body,
          h(
            'div',
            { class: 'cards' },
            card('Produced records/s', rate(m?.throughput.produceRps, why), {
              id: 'produce-rps',
              note: 'kafscale_produce_rps, summed over edges',
            }),
            card('Fetched records/s', rate(m?.throughput.fetchRps, why), {
              id: 'fetch-rps',
              note: 'kafscale_fetch_rps, summed over edges',
            }),
          ),
          h('h2', {}, 'Records per second, sampled every 3 s while the console is open'),
          lineChart(
            [
              { label: 'produce', cls: 'series-1', points: series('produceRps') },
              { label: 'fetch', cls: 'series-2', points: series('fetchRps') },
            ],
            { format: count },
          ),
          sourcesPanel(m),
        );
      },
    };
  },
};
