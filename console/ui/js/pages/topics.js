// Topics: a filtered, paged listing with each listed topic's partitions, offsets and bytes,
// and (with admin actions) a form to create one.
import { getJson, segment } from '../api.js';
import { fill, h, table } from '../dom.js';
import { bytes, int } from '../format.js';
import { actionForm } from './action-form.js';

const PAGE = 50;

function hashFor(filter, offset) {
  const q = new URLSearchParams();
  if (filter !== '') q.set('filter', filter);
  if (offset > 0) q.set('offset', String(offset));
  const s = q.toString();
  return `#/topics${s === '' ? '' : `?${s}`}`;
}

export default {
  title: 'Topics',
  nav: 'topics',
  mount(root, ctx) {
    const filter = ctx.query.get('filter') ?? '';
    const offset = Math.max(0, Number(ctx.query.get('offset') ?? '0') || 0);
    const search = h('input', {
      type: 'search',
      value: filter,
      placeholder: 'filter by name',
      'data-input': 'topic-filter',
    });
    search.addEventListener('change', () => ctx.navigate(hashFor(search.value.trim(), 0)));
    const pager = h('div', { class: 'pager' });
    const body = h('div');
    const create = actionForm(ctx, {
      id: 'create-topic',
      title: 'Create topic',
      fields: [
        { name: 'name', label: 'name', placeholder: 'orders' },
        { name: 'partitions', label: 'partitions', type: 'number', value: '1', size: 6 },
      ],
      button: 'create',
      toRequest: (v) => {
        if (v.name === '') throw new Error('name: give the topic a name');
        const partitions = Number(v.partitions);
        if (!Number.isInteger(partitions) || partitions < 1) {
          throw new Error(`partitions: '${v.partitions}' is not a whole number above 0`);
        }
        return { path: 'topics', body: { name: v.name, partitions } };
      },
      describe: (r) => `created ${r.name} with ${r.partitions} partition(s)`,
    });
    fill(root, h('h1', {}, 'Topics'), create, h('div', { class: 'pager' }, search), pager, body);
    return {
      async refresh() {
        const page = await getJson('topics', { filter, offset, limit: PAGE });
        const last = Math.min(page.total, page.offset + page.items.length);
        fill(
          pager,
          h(
            'span',
            { 'data-figure': 'topic-range' },
            page.total === 0
              ? 'no topics'
              : `${page.offset + 1}–${last} of ${int(page.total)} topics`,
          ),
          h(
            'button',
            {
              type: 'button',
              disabled: page.offset === 0,
              onclick: () => ctx.navigate(hashFor(filter, Math.max(0, page.offset - PAGE))),
            },
            '‹ previous',
          ),
          h(
            'button',
            {
              type: 'button',
              'data-button': 'next-page',
              disabled: last >= page.total,
              onclick: () => ctx.navigate(hashFor(filter, page.offset + PAGE)),
            },
            'next ›',
          ),
        );
        fill(
          body,
          table(
            [
              {
                title: 'topic',
                key: 'name',
                cell: (t) => h('a', { href: `#/topics/${segment(t.name)}` }, t.name),
              },
              { title: 'partitions', key: 'partitions', num: true, cell: (t) => int(t.partitions) },
              {
                title: 'high watermarks (sum)',
                key: 'high-watermarks',
                num: true,
                cell: (t) => int(t.highWatermarks),
              },
              {
                title: 'retained offsets',
                key: 'retained',
                num: true,
                cell: (t) => int(t.retained),
              },
              { title: 'bytes in S3', key: 'bytes', num: true, cell: (t) => bytes(t.bytes) },
              {
                title: 'unowned',
                key: 'unowned',
                num: true,
                cell: (t) => int(t.unownedPartitions),
              },
            ],
            page.items,
            { 'data-table': 'topics' },
          ),
        );
      },
    };
  },
};
