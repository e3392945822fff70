// Consumer groups: state, members and total lag of each.
import { getJson, segment } from '../api.js';
import { fill, h, table } from '../dom.js';
import { int } from '../format.js';

const PAGE = 50;

export default {
  title: 'Consumer groups',
  nav: 'groups',
  mount(root, ctx) {
    const filter = ctx.query.get('filter') ?? '';
    const offset = Math.max(0, Number(ctx.query.get('offset') ?? '0') || 0);
    const search = h('input', { type: 'search', value: filter, placeholder: 'filter by group id' });
    search.addEventListener('change', () => {
      const v = search.value.trim();
      ctx.navigate(v === '' ? '#/groups' : `#/groups?filter=${encodeURIComponent(v)}`);
    });
    const pager = h('div', { class: 'pager' });
    const body = h('div');
    fill(root, h('h1', {}, 'Consumer groups'), h('div', { class: 'pager' }, search), pager, body);
    const go = (o) => {
      const q = new URLSearchParams();
      if (filter !== '') q.set('filter', filter);
      if (o > 0) q.set('offset', String(o));
      ctx.navigate(`#/groups${q.toString() === '' ? '' : `?${q}`}`);
    };
    return {
      async refresh() {
        const page = await getJson('groups', { filter, offset, limit: PAGE });
        const last = Math.min(page.total, page.offset + page.items.length);
        fill(
          pager,
          h(
            'span',
            {},
            page.total === 0
              ? 'no groups'
              : `${page.offset + 1}–${last} of ${int(page.total)} groups`,
          ),
          h(
            'button',
            {
              type: 'button',
              disabled: page.offset === 0,
              onclick: () => go(Math.max(0, page.offset - PAGE)),
            },
            '‹ previous',
          ),
          h(
            'button',
            { type: 'button', disabled: last >= page.total, onclick: () => go(page.offset + PAGE) },
            'next ›',
          ),
          page.unheldShards.length > 0
            ? h(
                'span',
                { class: 'message error' },
                `group shards ${page.unheldShards.join(', ')} have no holder: their groups are missing`,
              )
            : null,
        );
        fill(
          body,
          table(
            [
              {
                title: 'group',
                key: 'group',
                cell: (g) => h('a', { href: `#/groups/${segment(g.groupId)}` }, g.groupId),
              },
              { title: 'state', key: 'state', cell: (g) => g.state },
              { title: 'protocol type', cell: (g) => g.protocolType },
              { title: 'members', key: 'members', num: true, cell: (g) => int(g.members) },
              { title: 'total lag', key: 'total-lag', num: true, cell: (g) => int(g.totalLag) },
            ],
            page.items,
            { 'data-table': 'groups' },
          ),
        );
      },
    };
  },
};
