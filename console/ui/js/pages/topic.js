// One topic: its configs and, per partition, where it is, its offsets and its bytes.
import { getJson } from '../api.js';
import { card, fill, h, table } from '../dom.js';
import { bytes, int, orDash, since } from '../format.js';

export default {
  title: 'Topic',
  nav: 'topics',
  mount(root, ctx) {
    const [name] = ctx.params;
    const body = h('div');
    fill(
      root,
      h('p', {}, h('a', { href: '#/topics' }, '‹ topics')),
      h('h1', {}, `Topic ${name}`),
      body,
    );
    return {
      async refresh() {
        const t = await getJson(`topics/${encodeURIComponent(name)}`);
        const configs = Object.entries(t.configs).sort(([a], [b]) => a.localeCompare(b));
        fill(
          body,
          h(
            'div',
            { class: 'cards' },
            card('Partitions', int(t.partitionCount), { id: 'partition-count' }),
            card('High watermarks (sum)', int(t.highWatermarks), { id: 'high-watermarks' }),
            card('Retained offsets', int(t.retained), { id: 'retained' }),
            card('Bytes in S3', bytes(t.bytes), { id: 'bytes' }),
            card('Unowned partitions', int(t.unownedPartitions), { id: 'unowned' }),
            card('Created', since(t.createdAtMs), { note: t.topicId }),
          ),
          h('h2', {}, 'Partitions'),
          table(
            [
              { title: 'partition', key: 'partition', num: true, cell: (p) => p.partition },
              { title: 'assigned to', key: 'assigned', cell: (p) => orDash(p.assignedNode) },
              { title: 'owner', key: 'owner', cell: (p) => orDash(p.owner) },
              { title: 'epoch', num: true, cell: (p) => p.leaderEpoch },
              {
                title: 'log start',
                key: 'log-start',
                num: true,
                cell: (p) => int(p.logStartOffset),
              },
              {
                title: 'high watermark',
                key: 'high-watermark',
                num: true,
                cell: (p) => int(p.highWatermark),
              },
              { title: 'retained', num: true, cell: (p) => int(p.retained) },
              { title: 'bytes', key: 'bytes', num: true, cell: (p) => bytes(p.bytes) },
              { title: 'index entries', num: true, cell: (p) => int(p.indexEntries) },
              { title: 'pinned', cell: (p) => (p.pinned ? 'yes' : '') },
            ],
            t.partitions,
            { 'data-table': 'partitions' },
          ),
          h('h2', {}, 'Config overrides'),
          table(
            [
              { title: 'config', cell: ([k]) => k },
              { title: 'value', cell: ([, v]) => v },
            ],
            configs,
            { 'data-table': 'configs' },
          ),
        );
      },
    };
  },
};
