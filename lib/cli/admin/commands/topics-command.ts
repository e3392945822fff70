/** `kafscale topics list | describe | create | delete | alter`. */
import {
  AlterTopicConfigsResponseSchema,
  CreateTopicResponseSchema,
  DeleteTopicResponseSchema,
  DescribeTopicResponseSchema,
  ListTopicsResponseSchema,
} from '../../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { integerArg, keyValues, parseArgs, positionals, single, UsageError } from '../cli-args.js';
import { printJson, type Command } from '../command-context.js';
import { subcommands } from '../subcommands.js';
import { formatBytes, renderFields, renderTable } from '../table.js';

const configText = (configs: Readonly<Record<string, string>>) =>
  Object.entries(configs)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const list: Command = async (ctx, args) => {
  positionals(parseArgs(args, {}), []);
  const r = await ctx.client.listTopics({}, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx, ListTopicsResponseSchema, r);
    return;
  }
  ctx.stdout.write(
    renderTable(
      ['NAME', 'PARTITIONS', 'TOPIC ID', 'CONFIGS'],
      r.topics.map((t) => [t.name, String(t.partitions), t.topicId, configText(t.configs)]),
    ),
  );
};

const describe: Command = async (ctx, args) => {
  const [name = ''] = positionals(parseArgs(args, {}), ['TOPIC']);
  const r = await ctx.client.describeTopic({ name }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx, DescribeTopicResponseSchema, r);
    return;
  }
  const total = r.partitions.reduce((n, p) => n + p.bytes, 0n);
  ctx.stdout.write(
    renderFields([
      ['topic', r.topic?.name ?? name],
      ['id', r.topic?.topicId ?? ''],
      ['partitions', String(r.topic?.partitions ?? r.partitions.length)],
      ['configs', configText(r.topic?.configs ?? {}) || '(defaults)'],
      ['bytes in S3', formatBytes(total)],
      ['created', new Date(Number(r.createdAtMs)).toISOString()],
    ]),
  );
  ctx.stdout.write('\n');
  ctx.stdout.write(
    renderTable(
      [
        'PARTITION',
        'OWNER',
        'ASSIGNED',
        'EPOCH',
        'LOG START',
        'HIGH WATERMARK',
        'BYTES',
        'ENTRIES',
      ],
      r.partitions.map((p) => [
        String(p.partition),
        p.owner === '' ? '-' : p.owner,
        `${p.assignedNode === '' ? '-' : p.assignedNode}${p.pinned ? ' (pinned)' : ''}`,
        String(p.leaderEpoch),
        String(p.logStartOffset),
        String(p.highWatermark),
        formatBytes(p.bytes),
        String(p.indexEntries),
      ]),
    ),
  );
};

const createTopic: Command = async (ctx, args) => {
  const a = parseArgs(args, {
    values: ['partitions', 'config'],
    repeated: ['config'],
    flags: ['validate-only'],
  });
  const [name = ''] = positionals(a, ['TOPIC']);
  const partitionsText = single(a, 'partitions');
  const r = await ctx.client.createTopic(
    {
      name,
      partitions:
        partitionsText === undefined
          ? 0
          : integerArg('--partitions', partitionsText, 1, 2 ** 31 - 1),
      configs: keyValues('--config', a.values.get('config') ?? []),
      validateOnly: a.flags.has('validate-only'),
    },
    { timeoutMs: ctx.timeoutMs },
  );
  if (ctx.json) {
    printJson(ctx, CreateTopicResponseSchema, r);
    return;
  }
  ctx.stdout.write(
    a.flags.has('validate-only')
      ? `topic ${name} would be created with ${r.partitions} partitions\n`
      : `created topic ${name} (${r.partitions} partitions, id ${r.topicId})\n`,
  );
};

const deleteTopic: Command = async (ctx, args) => {
  const [name = ''] = positionals(parseArgs(args, {}), ['TOPIC']);
  const r = await ctx.client.deleteTopic({ name }, { timeoutMs: ctx.timeoutMs });
  if (ctx.json) {
    printJson(ctx, DeleteTopicResponseSchema, r);
    return;
  }
  ctx.stdout.write(
    `deleted topic ${name} (id ${r.topicId}); its data is removed in the background\n`,
  );
};

const alter: Command = async (ctx, args) => {
  const a = parseArgs(args, {
    values: ['set', 'remove'],
    repeated: ['set', 'remove'],
    flags: ['validate-only'],
  });
  const [name = ''] = positionals(a, ['TOPIC']);
  const set = keyValues('--set', a.values.get('set') ?? []);
  const remove = [...(a.values.get('remove') ?? [])];
  if (Object.keys(set).length === 0 && remove.length === 0) {
    throw new UsageError('alter needs at least one --set key=value or --remove key');
  }
  const r = await ctx.client.alterTopicConfigs(
    { name, set, remove, validateOnly: a.flags.has('validate-only') },
    { timeoutMs: ctx.timeoutMs },
  );
  if (ctx.json) {
    printJson(ctx, AlterTopicConfigsResponseSchema, r);
    return;
  }
  ctx.stdout.write(`topic ${name} configs: ${configText(r.configs) || '(defaults)'}\n`);
};

export const topicsCommand = subcommands('topics', {
  list,
  describe,
  create: createTopic,
  delete: deleteTopic,
  alter,
});
