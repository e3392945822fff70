/**
 * Shared by the consumer group handler tests: fake group coordinator replicas served over
 * connect's in-memory router (each records the calls it gets and can be made to fail), a
 * cluster view whose group shards are held by two of them, and a round trip that runs a
 * handler the way a connection does: request encoded and decoded at the version, response
 * encoded and decoded back at the version.
 */
import type { ServiceImpl } from '@connectrpc/connect';
import { Code, ConnectError, createClient, createRouterTransport } from '@connectrpc/connect';
import { pino } from 'pino';
import { StaticClusterView, type TopicView } from '../../../../edge/src/cluster-view.js';
import type { KafkaHandler, RequestContext } from '../../../../edge/src/handlers/kafka-handler.js';
import {
  ViewGroupCoordinators,
  type GroupCoordinatorClient,
} from '../../../../edge/src/routing/group-coordinators.js';
import { GroupCoordinatorService } from '../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { groupShardOf } from '../../../../lib/groups/group-shard.js';
import { Reader } from '../../../../lib/kafka/protocol/reader.js';
import { Writer } from '../../../../lib/kafka/protocol/writer.js';

export type CoordinatorImpl = Partial<ServiceImpl<typeof GroupCoordinatorService>>;

export interface RecordedCall {
  readonly method: string;
  readonly message: unknown;
  readonly timeoutMs: number | undefined;
}

export class FakeCoordinator {
  readonly calls: RecordedCall[] = [];
  /** When set, every call fails with UNAVAILABLE (after being recorded). */
  failing = false;
  readonly client: GroupCoordinatorClient;

  constructor(impl: CoordinatorImpl) {
    this.client = createClient(
      GroupCoordinatorService,
      createRouterTransport((r) => r.service(GroupCoordinatorService, impl), {
        router: {
          interceptors: [
            (next) => async (req) => {
              const deadline =
                req.header.get('grpc-timeout') ?? req.header.get('connect-timeout-ms');
              this.calls.push({
                method: req.method.name,
                message: req.message,
                timeoutMs: deadline === null ? undefined : Number.parseInt(deadline, 10),
              });
              if (this.failing) throw new ConnectError('replica down', Code.Unavailable);
              return next(req);
            },
          ],
        },
      }),
    );
  }

  /** The messages of the calls of one method, in call order. */
  messages<T>(method: string): T[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.message as T);
  }
}

export const SHARDS = 4;
/** Replica A holds shards 0 and 1, replica B shards 2 and 3 (unless a test says otherwise). */
export const SHARDS_OF_A = [0, 1];

/** A group id whose shard is one of `shards`. */
export function groupOn(shards: readonly number[], prefix = 'group'): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    if (shards.includes(groupShardOf(id, SHARDS))) return id;
  }
}

export const topicOrders: TopicView = {
  name: 'orders',
  topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  configs: {},
  partitions: [0, 1, 2].map((index) => ({ index, storageNodeId: 's1', leaderEpoch: 1 })),
};

export interface GroupWorld {
  readonly view: StaticClusterView;
  readonly a: FakeCoordinator;
  readonly b: FakeCoordinator;
  readonly coordinators: ViewGroupCoordinators;
  /** Sets which shards each replica holds; a shard in neither list has no holder. */
  hold(shardsOfA: readonly number[], shardsOfB: readonly number[]): void;
}

export function groupWorld(implA: CoordinatorImpl, implB: CoordinatorImpl = implA): GroupWorld {
  const view = new StaticClusterView('c', { nodeId: 1, host: 'edge-1', port: 9092, rack: null }, [
    topicOrders,
  ]);
  const a = new FakeCoordinator(implA);
  const b = new FakeCoordinator(implB);
  const hold = (shardsOfA: readonly number[], shardsOfB: readonly number[]) => {
    const holders = new Map<number, { replicaId: string; address: string; epoch: bigint }>();
    for (const s of shardsOfA) holders.set(s, { replicaId: 'A', address: 'a:1', epoch: 1n });
    for (const s of shardsOfB) holders.set(s, { replicaId: 'B', address: 'b:1', epoch: 1n });
    view.setGroupShards(SHARDS, holders);
  };
  hold(SHARDS_OF_A, [2, 3]);
  const coordinators = new ViewGroupCoordinators(view, (h) =>
    h.replicaId === 'A' ? a.client : b.client,
  );
  return { view, a, b, coordinators, hold };
}

export const silentLog = pino({ level: 'silent' });

/** Runs a handler as a connection would, at one version, through the generated codec. */
export async function roundTrip<Req, Res>(
  handler: KafkaHandler<Req, Res>,
  version: number,
  request: Req,
  ctx: Partial<RequestContext> = {},
): Promise<Res> {
  const w = new Writer(256);
  handler.api.request.encode(w, request, version);
  const decoded = handler.api.request.decode(new Reader(w.toBuffer()), version);
  const res = await handler.handle(decoded, {
    apiVersion: version,
    correlationId: 7,
    clientId: 'test-client',
    clientHost: '/10.0.0.9',
    log: silentLog,
    ...ctx,
  });
  if (res === null) throw new Error('the handler gave no response');
  const out = new Writer(256);
  handler.api.response.encode(out, res, version);
  return handler.api.response.decode(new Reader(out.toBuffer()), version);
}
