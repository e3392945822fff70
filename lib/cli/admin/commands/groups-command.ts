/**
 * `kafscale groups list | describe | reset-offsets`. As Kafka's kafka-consumer-groups tool
 * does, reset-offsets only shows the new offsets unless `--execute` is given.
 */
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  DescribeGroupResponseSchema,
  ListGroupsResponseSchema,
  type ResetGroupOffsetsRequest,
  type ResetGroupOffsetsRequestSchema,
  type ResetGroupOffsetsResponse,
} from '../../../gen/proto/kafscale/admin/v1/admin_pb.js';
import {
  bigintArg,
  parseArgs,
  positionals,
  single,
  UsageError,
  type ParsedArgs,
} from '../cli-args.js';
import { printJson, progress, type Command } from '../command-context.js';
import { subcommands } from '../subcommands.js';
import { renderFields, renderTable } from '../table.js';

const list: Command = async (ctx, args) => {
  positionals(parseArgs(args, {}), []);
  const r = await ctx.client.listGroups({}, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx, ListGroupsResponseSchema, r);
    return;
  }
  ctx.stdout.write(
    renderTable(
      ['GROUP', 'STATE', 'PROTOCOL TYPE', 'MEMBERS'],
      r.groups.map((g) => [g.groupId, g.state, g.protocolType, String(g.members)]),
    ),
  );
  if (r.unheldShards.length > 0) {
    ctx.stderr.write(
      `warning: group shards ${r.unheldShards.join(', ')} have no coordinator now; their groups are missing\n`,
    );
  }
};

const describe: Command = async (ctx, args) => {
  const [groupId = ''] = positionals(parseArgs(args, {}), ['GROUP']);
  const r = await ctx.client.describeGroup({ groupId }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx, DescribeGroupResponseSchema, r);
    return;
  }
  ctx.stdout.write(
    renderFields([
      ['group', groupId],
      ['state', r.group?.state ?? ''],
      ['protocol', `${r.group?.protocolType ?? ''} ${r.protocol}`.trim()],
      ['members', String(r.members.length)],
      ['total lag', String(r.totalLag)],
    ]),
  );
  ctx.stdout.write('\n');
  ctx.stdout.write(
    renderTable(
      ['TOPIC', 'PARTITION', 'COMMITTED', 'HIGH WATERMARK', 'LAG', 'MEMBER'],
      r.partitions.map((p) => [
        p.topic,
        String(p.partition),
        p.committedOffset < 0n ? '-' : String(p.committedOffset),
        p.highWatermark < 0n ? '-' : String(p.highWatermark),
        p.lag < 0n ? '-' : String(p.lag),
        p.memberId === '' ? '-' : p.memberId,
      ]),
    ),
  );
  if (r.members.length > 0) {
    ctx.stdout.write('\n');
    ctx.stdout.write(
      renderTable(
        ['MEMBER', 'CLIENT ID', 'HOST', 'ASSIGNED'],
        r.members.map((m) => [m.memberId, m.clientId, m.clientHost, m.assigned.join(',')]),
      ),
    );
  }
};

const TARGETS = ['to-earliest', 'to-latest', 'to-datetime', 'to-timestamp', 'to-offset'];

function target(a: ParsedArgs): ResetGroupOffsetsRequest['to'] {
  const given = TARGETS.filter((t) => a.flags.has(t) || a.values.has(t));
  if (given.length !== 1) {
    throw new UsageError(
      `give exactly one of ${TARGETS.map((t) => `--${t}`).join(', ')}` +
        (given.length > 1 ? ` (got ${given.map((t) => `--${t}`).join(' and ')})` : ''),
    );
  }
  if (a.flags.has('to-earliest')) return { case: 'earliest', value: true };
  if (a.flags.has('to-latest')) return { case: 'latest', value: true };
  const datetime = single(a, 'to-datetime');
  if (datetime !== undefined) {
    const ms = Date.parse(datetime);
    if (Number.isNaN(ms)) {
      throw new UsageError(`--to-datetime must be an ISO 8601 date and time, got '${datetime}'`);
    }
    return { case: 'timestampMs', value: BigInt(ms) };
  }
  const timestamp = single(a, 'to-timestamp');
  if (timestamp !== undefined) {
    return { case: 'timestampMs', value: bigintArg('--to-timestamp', timestamp) };
  }
  return { case: 'offset', value: bigintArg('--to-offset', single(a, 'to-offset') ?? '') };
}

const resetOffsets: Command = async (ctx, args) => {
  const a = parseArgs(args, {
    values: ['topic', 'to-datetime', 'to-timestamp', 'to-offset'],
    repeated: ['topic'],
    flags: ['to-earliest', 'to-latest', 'execute', 'dry-run'],
  });
  const [groupId = ''] = positionals(a, ['GROUP']);
  const topics = a.values.get('topic') ?? [];
  if (topics.length === 0) throw new UsageError('name the topics to reset with --topic');
  if (a.flags.has('execute') && a.flags.has('dry-run')) {
    throw new UsageError('--execute and --dry-run exclude each other');
  }
  const execute = a.flags.has('execute');
  const request: MessageInitShape<typeof ResetGroupOffsetsRequestSchema> = {
    groupId,
    topics: [...topics],
    to: target(a),
    dryRun: !execute,
  };
  const bar = progress(ctx, `resetting ${groupId}`);
  let last: ResetGroupOffsetsResponse | undefined;
  for await (const p of ctx.client.resetGroupOffsets(request, { timeoutMs: ctx.timeoutMs })) {
    last = p;
    bar.update(p.resolved, p.total, 'partitions');
  }
  bar.end();
  const offsets = last?.offsets ?? [];
  if (ctx.json) {
    ctx.stdout.write(
      `${JSON.stringify(
        {
          groupId,
          executed: execute,
          offsets: offsets.map((o) => ({
            topic: o.topic,
            partition: o.partition,
            previousOffset: String(o.previousOffset),
            offset: String(o.offset),
          })),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  ctx.stdout.write(
    renderTable(
      ['TOPIC', 'PARTITION', 'PREVIOUS', 'NEW'],
      offsets.map((o) => [
        o.topic,
        String(o.partition),
        o.previousOffset < 0n ? '-' : String(o.previousOffset),
        String(o.offset),
      ]),
    ),
  );
  ctx.stdout.write(
    execute
      ? `committed ${offsets.length} offsets for group ${groupId}\n`
      : 'dry run: nothing committed (add --execute to commit these offsets)\n',
  );
};

export const groupsCommand = subcommands('groups', {
  list,
  describe,
  'reset-offsets': resetOffsets,
});
