/**
 * `kafscale status`: the controlplane replicas, edges and storage nodes with the load each
 * reported, and what is amiss.
 */
import {
  GetClusterStatusResponseSchema,
  type NodeLoad,
} from '../../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { parseArgs, positionals } from '../cli-args.js';
import { printJson, type Command } from '../command-context.js';
import { formatBytes, renderFields, renderTable } from '../table.js';

const UNREPORTED = '-';

/** A figure of a node's load, or '-' when the node did not report one. */
function shown(load: NodeLoad | undefined, text: (l: NodeLoad) => string): string {
  return load?.reported === true ? text(load) : UNREPORTED;
}

function perSecond(n: number): string {
  return n.toFixed(n >= 100 ? 0 : 1);
}

/** One line per node that did not report its load, naming why. */
function unreportedLines(nodes: readonly { name: string; load?: NodeLoad }[]): string {
  return nodes
    .filter((n) => n.load?.reported !== true)
    .map((n) => `  ${n.name}: load not reported (${n.load?.error ?? 'no load in the answer'})\n`)
    .join('');
}

export const statusCommand: Command = async (ctx, args) => {
  positionals(parseArgs(args, {}), []);
  const s = await ctx.client.getClusterStatus({}, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx, GetClusterStatusResponseSchema, s);
    return;
  }
  ctx.stdout.write(
    renderFields([
      ['cluster', s.clusterId],
      ['leader', s.leaderId === '' ? 'NONE' : s.leaderId],
      [
        'topics',
        `${s.topicCount} (${s.partitionCount} partitions, ${s.unownedPartitions} not held)`,
      ],
      ['group shards', `${s.groupShardCount} (${s.unheldGroupShards} not held)`],
    ]),
  );
  ctx.stdout.write('\ncontrolplane replicas\n');
  ctx.stdout.write(
    renderTable(
      ['ID', 'ADDRESS', 'VERSION', 'LEADER', 'GROUP SHARDS'],
      s.controlplaneReplicas.map((r) => [
        r.id,
        r.address,
        r.version,
        r.leader ? 'yes' : 'no',
        String(r.groupShards),
      ]),
    ),
  );
  ctx.stdout.write('\nedges\n');
  ctx.stdout.write(
    renderTable(
      [
        'BROKER ID',
        'ADDRESS',
        'VERSION',
        'RACK',
        'CONNECTIONS',
        'PRODUCE REC/S',
        'FETCH REC/S',
        'RSS',
      ],
      s.edges.map((e) => [
        String(e.brokerId),
        e.address,
        e.version,
        e.rack,
        shown(e.load, (l) => String(l.connections)),
        shown(e.load, (l) => perSecond(l.produceRecordsPerSec)),
        shown(e.load, (l) => perSecond(l.fetchRecordsPerSec)),
        shown(e.load, (l) => formatBytes(l.rssBytes)),
      ]),
    ),
  );
  ctx.stdout.write(
    unreportedLines(s.edges.map((e) => ({ name: `edge ${e.brokerId}`, load: e.load }))),
  );
  ctx.stdout.write('\nstorage nodes\n');
  ctx.stdout.write(
    renderTable(
      ['ID', 'ADDRESS', 'VERSION', 'ASSIGNED', 'OWNED', 'STATE', 'BUFFERED', 'RSS'],
      s.storageNodes.map((n) => [
        n.id,
        n.address,
        n.version,
        String(n.assignedPartitions),
        String(n.ownedPartitions),
        n.draining ? 'draining' : 'active',
        shown(n.load, (l) => formatBytes(l.bufferedBytes)),
        shown(n.load, (l) => formatBytes(l.rssBytes)),
      ]),
    ),
  );
  ctx.stdout.write(
    unreportedLines(s.storageNodes.map((n) => ({ name: `storage node ${n.id}`, load: n.load }))),
  );
};
