/** `kafscale status`: the controlplane replicas, edges and storage nodes, and what is amiss. */
import { GetClusterStatusResponseSchema } from '../../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { parseArgs, positionals } from '../cli-args.js';
import { printJson, type Command } from '../command-context.js';
import { renderFields, renderTable } from '../table.js';

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
      ['BROKER ID', 'ADDRESS', 'VERSION', 'RACK'],
      s.edges.map((e) => [String(e.brokerId), e.address, e.version, e.rack]),
    ),
  );
  ctx.stdout.write('\nstorage nodes\n');
  ctx.stdout.write(
    renderTable(
      ['ID', 'ADDRESS', 'VERSION', 'ASSIGNED', 'OWNED', 'STATE'],
      s.storageNodes.map((n) => [
        n.id,
        n.address,
        n.version,
        String(n.assignedPartitions),
        String(n.ownedPartitions),
        n.draining ? 'draining' : 'active',
      ]),
    ),
  );
};
