/** `kafscale partitions list | move | unpin`: where partitions live, and moving one. */
import { ListAssignmentsResponseSchema } from '../../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { integerArg, parseArgs, positionals, single } from '../cli-args.js';
import { printJson, type Command } from '../command-context.js';
import { subcommands } from '../subcommands.js';
import { renderTable } from '../table.js';

const list: Command = async (ctx, args) => {
  const a = parseArgs(args, { values: ['topic', 'node'] });
  positionals(a, []);
  const r = await ctx.client.listAssignments(
    { topic: single(a, 'topic') ?? '', node: single(a, 'node') ?? '' },
    { timeoutMs: ctx.timeoutMs },
  );
  if (ctx.json) {
    printJson(ctx, ListAssignmentsResponseSchema, r);
    return;
  }
  ctx.stdout.write(
    renderTable(
      ['TOPIC', 'PARTITION', 'ASSIGNED', 'OWNER', 'EPOCH', 'PINNED'],
      r.partitions.map((p) => [
        p.topic,
        String(p.partition),
        p.assignedNode === '' ? '-' : p.assignedNode,
        p.owner === '' ? '-' : p.owner,
        String(p.leaderEpoch),
        p.pinned ? 'yes' : 'no',
      ]),
    ),
  );
};

const move: Command = async (ctx, args) => {
  const [topic = '', partitionText = '', node = ''] = positionals(parseArgs(args, {}), [
    'TOPIC',
    'PARTITION',
    'NODE',
  ]);
  const partition = integerArg('PARTITION', partitionText, 0, 2 ** 31 - 1);
  await ctx.client.movePartition({ topic, partition, node }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) ctx.stdout.write(`${JSON.stringify({ topic, partition, node })}\n`);
  else
    ctx.stdout.write(`${topic}:${partition} pinned to ${node}; the node takes it over shortly\n`);
};

const unpin: Command = async (ctx, args) => {
  const [topic = '', partitionText = ''] = positionals(parseArgs(args, {}), ['TOPIC', 'PARTITION']);
  const partition = integerArg('PARTITION', partitionText, 0, 2 ** 31 - 1);
  await ctx.client.movePartition({ topic, partition, node: '' }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) ctx.stdout.write(`${JSON.stringify({ topic, partition, node: '' })}\n`);
  else ctx.stdout.write(`${topic}:${partition} unpinned\n`);
};

export const partitionsCommand = subcommands('partitions', { list, move, unpin });
