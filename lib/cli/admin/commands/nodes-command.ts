/** `kafscale nodes list | drain | resume | flush`: the storage nodes. */
import {
  FlushStorageNodesResponseSchema,
  type DrainStorageNodeResponse,
} from '../../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { parseArgs, positionals } from '../cli-args.js';
import { printJson, progress, type Command } from '../command-context.js';
import { subcommands } from '../subcommands.js';
import { renderTable } from '../table.js';

const list: Command = async (ctx, args) => {
  positionals(parseArgs(args, {}), []);
  const s = await ctx.client.getClusterStatus({}, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    ctx.stdout.write(
      `${JSON.stringify(
        s.storageNodes.map((n) => ({
          id: n.id,
          address: n.address,
          version: n.version,
          assignedPartitions: n.assignedPartitions,
          ownedPartitions: n.ownedPartitions,
          draining: n.draining,
        })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  ctx.stdout.write(
    renderTable(
      ['ID', 'ADDRESS', 'ASSIGNED', 'OWNED', 'STATE'],
      s.storageNodes.map((n) => [
        n.id,
        n.address,
        String(n.assignedPartitions),
        String(n.ownedPartitions),
        n.draining ? 'draining' : 'active',
      ]),
    ),
  );
};

const drain: Command = async (ctx, args) => {
  const a = parseArgs(args, { flags: ['no-wait'] });
  const [node = ''] = positionals(a, ['NODE']);
  const bar = progress(ctx, `draining ${node}`);
  let last: DrainStorageNodeResponse | undefined;
  // No deadline: a drain takes as long as the hand-overs do; Ctrl+C leaves the node drained.
  for await (const p of ctx.client.drainStorageNode({ node })) {
    last = p;
    bar.update(p.total - p.remaining, p.total, `partitions moved, ${p.remaining} left`);
    if (a.flags.has('no-wait')) break;
  }
  bar.end();
  const done = last?.done === true;
  if (ctx.json) {
    ctx.stdout.write(
      `${JSON.stringify({ node, total: last?.total ?? 0, remaining: last?.remaining ?? 0, done })}\n`,
    );
  } else {
    ctx.stdout.write(
      done
        ? `${node} is drained: it holds no partitions and takes no new ones\n`
        : `${node} is draining: ${last?.remaining ?? '?'} partitions still to hand over\n`,
    );
  }
};

const resume: Command = async (ctx, args) => {
  const [node = ''] = positionals(parseArgs(args, {}), ['NODE']);
  await ctx.client.resumeStorageNode({ node }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) ctx.stdout.write(`${JSON.stringify({ node, draining: false })}\n`);
  else ctx.stdout.write(`${node} takes partitions again\n`);
};

const flush: Command = async (ctx, args) => {
  const a = parseArgs(args, {});
  // NODE is optional (all nodes without it); more than one is refused by name.
  if (a.positionals.length > 1) positionals(a, ['NODE']);
  const node = a.positionals[0] ?? '';
  const r = await ctx.client.flushStorageNodes({ node }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx, FlushStorageNodesResponseSchema, r);
    return;
  }
  ctx.stdout.write(`flush started on ${r.nodes.join(', ')}\n`);
};

export const nodesCommand = subcommands('nodes', { list, drain, resume, flush });
