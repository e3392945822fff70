// Cluster health: the controlplane leader, the edges, the storage nodes, and what is wrong.
import { getJson, postAction, segment } from '../api.js';
import { card, fill, h, table } from '../dom.js';
import { int, orDash, since } from '../format.js';

function banner(c) {
  if (c.healthy) {
    return h(
      'div',
      { class: 'banner ok', 'data-figure': 'health' },
      'Healthy: a leader, every partition and group shard held.',
    );
  }
  return h(
    'div',
    { class: 'banner bad', 'data-figure': 'health' },
    h('strong', {}, 'Needs attention'),
    h(
      'ul',
      {},
      c.problems.map((p) => h('li', {}, p)),
    ),
  );
}

function nodeButton(ctx, node, message) {
  if (!ctx.info.adminActions) return null;
  const action = node.draining ? 'resume' : 'drain';
  return h(
    'button',
    {
      type: 'button',
      'data-node-action': `${action}:${node.id}`,
      onclick: async () => {
        if (
          action === 'drain' &&
          !window.confirm(`Drain storage node ${node.id}? It hands over all its partitions.`)
        )
          return;
        message.className = 'message';
        message.textContent = `${action} ${node.id}…`;
        try {
          const r = await postAction(`nodes/${segment(node.id)}/${action}`);
          message.className = 'message done';
          message.textContent =
            action === 'drain'
              ? `draining ${r.node}: ${r.remaining} of ${r.total} partition(s) still to hand over`
              : `${r.node} takes partitions again`;
          void ctx.refreshNow();
        } catch (e) {
          message.className = 'message error';
          message.textContent = e.message;
        }
      },
    },
    action,
  );
}

export default {
  title: 'Cluster',
  nav: 'cluster',
  mount(root, ctx) {
    const body = h('div');
    const message = h('div', { class: 'message', 'data-action-message': 'node' });
    fill(root, h('h1', {}, 'Cluster health'), body, message);
    return {
      async refresh() {
        const c = await getJson('cluster');
        fill(
          body,
          banner(c),
          h(
            'div',
            { class: 'cards' },
            card('Cluster id', c.clusterId, { id: 'cluster-id', text: true }),
            card('Controlplane leader', c.leaderId ?? 'none', { id: 'leader', text: true }),
            card('Edges', int(c.edges.length), { id: 'edge-count' }),
            card('Storage nodes', int(c.storageNodes.length), { id: 'storage-node-count' }),
            card('Topics', int(c.topicCount), { id: 'topic-count' }),
            card('Partitions', int(c.partitionCount), { id: 'partition-count' }),
            card('Unowned partitions', int(c.unownedPartitions), { id: 'unowned-partitions' }),
            card(
              'Group shards held',
              `${c.groupShardCount - c.unheldGroupShards} / ${c.groupShardCount}`,
              {
                id: 'group-shards',
              },
            ),
          ),
          h('h2', {}, 'Controlplane replicas'),
          table(
            [
              { title: 'id', key: 'id', cell: (r) => r.id },
              { title: 'address', cell: (r) => r.address },
              { title: 'version', cell: (r) => r.version },
              { title: 'role', key: 'role', cell: (r) => (r.leader ? 'leader' : 'follower') },
              { title: 'group shards', num: true, cell: (r) => int(r.groupShards) },
              { title: 'started', cell: (r) => since(r.startedAtMs) },
            ],
            c.controlplanes,
            { 'data-table': 'controlplanes', rowClass: (r) => (r.leader ? 'leader' : undefined) },
          ),
          h('h2', {}, 'Edges'),
          table(
            [
              { title: 'broker id', key: 'broker-id', num: true, cell: (e) => e.brokerId },
              { title: 'address', key: 'address', cell: (e) => e.address },
              { title: 'version', cell: (e) => e.version },
              { title: 'rack', cell: (e) => orDash(e.rack) },
              { title: 'started', cell: (e) => since(e.startedAtMs) },
            ],
            c.edges,
            { 'data-table': 'edges' },
          ),
          h('h2', {}, 'Storage nodes'),
          table(
            [
              { title: 'id', key: 'id', cell: (n) => n.id },
              { title: 'address', cell: (n) => n.address },
              { title: 'version', cell: (n) => n.version },
              {
                title: 'assigned',
                key: 'assigned',
                num: true,
                cell: (n) => int(n.assignedPartitions),
              },
              { title: 'owned', key: 'owned', num: true, cell: (n) => int(n.ownedPartitions) },
              { title: 'state', key: 'state', cell: (n) => (n.draining ? 'draining' : 'active') },
              { title: 'started', cell: (n) => since(n.startedAtMs) },
              ...(ctx.info.adminActions
                ? [{ title: '', cell: (n) => nodeButton(ctx, n, message) }]
                : []),
            ],
            c.storageNodes,
            { 'data-table': 'storage-nodes' },
          ),
        );
      },
    };
  },
};
