/**
 * An AdminService with fixed answers for the console's API tests: three topics (one of
 * them disappears between listing and describing), two groups, one storage node. It
 * records the requests it got.
 */
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import type { AdminService } from '../../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';

export interface FakeAdmin {
  readonly impl: Partial<ServiceImpl<typeof AdminService>>;
  readonly calls: string[];
  /** True once the console dropped a drain stream after its first report. */
  drainCancelled: boolean;
}

const PARTITIONS: Record<
  string,
  { logStart: bigint; hwm: bigint; bytes: bigint; owner: string }[]
> = {
  orders: [
    { logStart: 0n, hwm: 100n, bytes: 4096n, owner: 'node-a' },
    { logStart: 10n, hwm: 250n, bytes: 8192n, owner: '' },
  ],
  'a/b': [{ logStart: 0n, hwm: 2n ** 60n, bytes: 1n, owner: 'node-a' }],
};

export function fakeAdmin(): FakeAdmin {
  const fake: FakeAdmin = { impl: {}, calls: [], drainCancelled: false };
  const notFound = (what: string) => new ConnectError(what, Code.NotFound);
  Object.assign(fake.impl, {
    getClusterStatus: () => ({
      clusterId: 'cluster-1',
      leaderId: 'cp-1',
      controlplaneReplicas: [
        {
          id: 'cp-1',
          address: '10.0.0.1:19094',
          version: '0.1.0',
          leader: true,
          groupShards: 16,
          startedAtMs: 1_700_000_000_000n,
        },
      ],
      edges: [
        { brokerId: 0, address: '10.0.0.2:9092', version: '0.1.0', rack: '', startedAtMs: 1n },
      ],
      storageNodes: [
        {
          id: 'node-a',
          address: '10.0.0.3:19095',
          version: '0.1.0',
          assignedPartitions: 3,
          ownedPartitions: 2,
          draining: false,
          startedAtMs: 2n,
        },
      ],
      topicCount: 3,
      partitionCount: 4,
      unownedPartitions: 1,
      groupShardCount: 16,
      unheldGroupShards: 0,
    }),
    listTopics: () => ({
      topics: [
        { name: 'a/b', topicId: 'id-ab', partitions: 1, configs: {} },
        { name: 'gone', topicId: 'id-gone', partitions: 1, configs: {} },
        {
          name: 'orders',
          topicId: 'id-orders',
          partitions: 2,
          configs: { 'retention.ms': '1000' },
        },
      ],
    }),
    describeTopic: (req: { name: string }) => {
      fake.calls.push(`describeTopic ${req.name}`);
      const parts = PARTITIONS[req.name];
      if (parts === undefined) throw notFound(`topic '${req.name}' does not exist`);
      return {
        topic: { name: req.name, topicId: `id-${req.name}`, partitions: parts.length, configs: {} },
        createdAtMs: 5n,
        partitions: parts.map((p, i) => ({
          partition: i,
          assignedNode: 'node-a',
          owner: p.owner,
          leaderEpoch: 3,
          logStartOffset: p.logStart,
          highWatermark: p.hwm,
          bytes: p.bytes,
          indexEntries: 7,
          pinned: false,
        })),
      };
    },
    createTopic: (req: { name: string; partitions: number }) => {
      fake.calls.push(`createTopic ${req.name} ${req.partitions}`);
      if (req.name.includes(' ')) {
        throw new ConnectError(
          `topic name '${req.name}' has characters other than [a-zA-Z0-9._-]`,
          Code.InvalidArgument,
        );
      }
      if (req.name === 'orders')
        throw new ConnectError("topic 'orders' already exists", Code.AlreadyExists);
      return { topicId: 'id-new', partitions: req.partitions === 0 ? 1 : req.partitions };
    },
    listGroups: () => ({
      groups: [
        { groupId: 'billing', state: 'Stable', protocolType: 'consumer', members: 1 },
        { groupId: 'empty', state: 'Empty', protocolType: 'consumer', members: 0 },
      ],
      unheldShards: [],
    }),
    describeGroup: (req: { groupId: string }) => {
      if (req.groupId !== 'billing' && req.groupId !== 'empty') {
        throw notFound(`group '${req.groupId}' does not exist`);
      }
      return {
        group: { groupId: req.groupId, state: 'Stable', protocolType: 'consumer', members: 1 },
        protocol: 'range',
        members: [
          {
            memberId: 'm-1',
            groupInstanceId: '',
            clientId: 'app',
            clientHost: '/10.0.0.9',
            assigned: ['orders:0', 'orders:1'],
          },
        ],
        partitions: [
          {
            topic: 'orders',
            partition: 0,
            committedOffset: 90n,
            highWatermark: 100n,
            lag: 10n,
            memberId: 'm-1',
          },
          {
            topic: 'orders',
            partition: 1,
            committedOffset: -1n,
            highWatermark: -1n,
            lag: -1n,
            memberId: '',
          },
        ],
        totalLag: 10n,
      };
    },
    resetGroupOffsets: async function* (req: {
      groupId: string;
      topics: string[];
      to: { case: string | undefined; value?: unknown };
      dryRun: boolean;
    }) {
      fake.calls.push(
        `reset ${req.groupId} ${req.topics.join(',')} ${String(req.to.case)}=${String(req.to.value)} dry=${req.dryRun}`,
      );
      if (req.groupId === 'billing') {
        throw new ConnectError(
          "group 'billing' has members: stop them first",
          Code.FailedPrecondition,
        );
      }
      await Promise.resolve();
      yield { total: 2, resolved: 1, done: false, offsets: [] };
      yield {
        total: 2,
        resolved: 2,
        done: true,
        offsets: [
          { topic: 'orders', partition: 0, previousOffset: 90n, offset: 0n },
          { topic: 'orders', partition: 1, previousOffset: -1n, offset: 10n },
        ],
      };
    },
    drainStorageNode: async function* (req: { node: string }, ctx: { signal: AbortSignal }) {
      if (req.node !== 'node-a')
        throw notFound(`storage node '${req.node}' is neither live nor drained`);
      ctx.signal.addEventListener('abort', () => {
        fake.drainCancelled = true;
      });
      yield { total: 2, remaining: 2, done: false };
      await new Promise((r) => setTimeout(r, 5_000));
      yield { total: 2, remaining: 0, done: true };
    },
    resumeStorageNode: (req: { node: string }) => {
      fake.calls.push(`resume ${req.node}`);
      return {};
    },
  });
  return fake;
}
