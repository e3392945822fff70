// One consumer group: its members and their assignments, and per partition the committed
// offset, the high watermark and the lag; with admin actions, an offset reset.
import { getJson, segment } from '../api.js';
import { barChart } from '../chart.js';
import { card, fill, h, table } from '../dom.js';
import { count, int, orDash } from '../format.js';
import { actionForm } from './action-form.js';

export default {
  title: 'Consumer group',
  nav: 'groups',
  mount(root, ctx) {
    const [groupId] = ctx.params;
    const body = h('div');
    const reset = actionForm(ctx, {
      id: 'reset-offsets',
      title: 'Reset offsets (group must be empty)',
      fields: [
        { name: 'topics', label: 'topics (comma-separated)', placeholder: 'orders' },
        {
          name: 'to',
          label: 'to',
          type: 'select',
          options: ['earliest', 'latest', 'offset', 'timestamp'],
        },
        { name: 'value', label: 'offset or timestamp (ms)', size: 14 },
        { name: 'dryRun', label: 'dry run', type: 'checkbox' },
      ],
      button: 'reset',
      toRequest: (v) => {
        const topics = v.topics
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '');
        if (topics.length === 0) throw new Error('topics: name at least one topic');
        const body = { topics, to: v.to, dryRun: v.dryRun };
        if (v.to === 'offset' || v.to === 'timestamp') {
          const n = Number(v.value);
          if (v.value === '' || !Number.isInteger(n) || n < 0) {
            throw new Error(`offset or timestamp: '${v.value}' is not a whole number`);
          }
          if (v.to === 'offset') body.offset = n;
          else body.timestampMs = n;
        }
        return { path: `groups/${segment(groupId)}/reset-offsets`, body };
      },
      describe: (r) =>
        `${r.dryRun ? 'would reset' : 'reset'} ${r.offsets.length} partition(s): ` +
        r.offsets.map((o) => `${o.topic}:${o.partition}→${o.offset}`).join(', '),
    });
    fill(
      root,
      h('p', {}, h('a', { href: '#/groups' }, '‹ groups')),
      h('h1', {}, `Group ${groupId}`),
      body,
      reset,
    );
    return {
      async refresh() {
        const g = await getJson(`groups/${segment(groupId)}`);
        fill(
          body,
          h(
            'div',
            { class: 'cards' },
            card('State', g.state, { id: 'state', text: true }),
            card('Members', int(g.members.length), { id: 'member-count' }),
            card('Protocol', orDash(g.protocol), { note: g.protocolType, text: true }),
            card('Total lag', int(g.totalLag), { id: 'total-lag' }),
          ),
          h('h2', {}, 'Members and assignments'),
          table(
            [
              { title: 'member', key: 'member', cell: (m) => m.memberId },
              { title: 'instance', cell: (m) => orDash(m.groupInstanceId) },
              { title: 'client id', key: 'client-id', cell: (m) => m.clientId },
              { title: 'host', cell: (m) => m.clientHost },
              { title: 'assigned partitions', key: 'assigned', cell: (m) => m.assigned.join(', ') },
            ],
            g.members,
            { 'data-table': 'members' },
          ),
          h('h2', {}, 'Lag per partition'),
          g.partitions.some((p) => Number(p.lag) > 0)
            ? barChart(
                g.partitions.map((p) => ({ label: `${p.topic}:${p.partition}`, value: p.lag })),
                { format: count },
              )
            : h('p', { class: 'muted' }, 'No partition lags behind.'),
          table(
            [
              { title: 'topic', key: 'topic', cell: (p) => p.topic },
              { title: 'partition', key: 'partition', num: true, cell: (p) => p.partition },
              {
                title: 'committed',
                key: 'committed',
                num: true,
                cell: (p) => int(p.committedOffset, 'nothing committed'),
              },
              {
                title: 'high watermark',
                key: 'high-watermark',
                num: true,
                cell: (p) => int(p.highWatermark),
              },
              { title: 'lag', key: 'lag', num: true, cell: (p) => int(p.lag) },
              { title: 'member', cell: (p) => orDash(p.memberId) },
            ],
            g.partitions,
            { 'data-table': 'lag' },
          ),
        );
      },
    };
  },
};
