/**
 * CreatePartitions at the edge, at every version, against a fake controlplane that raises
 * counts in a fixed view (the way the watch would, a little later): what is forwarded, how
 * duplicates and manual assignments are answered, and that the response waits for the new
 * partitions to be claimed, within the request's timeout.
 */
import { create } from '@bufbuild/protobuf';
import {
  Code,
  ConnectError,
  createClient,
  createRouterTransport,
  type ServiceImpl,
} from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { StaticClusterView, type TopicView } from '../../../../edge/src/cluster-view.js';
import { createPartitionsHandler } from '../../../../edge/src/handlers/37-create-partitions.js';
import {
  ConfigResourceResultSchema,
  ControlPlaneService,
  CreatePartitionsResponseSchema,
  type CreatePartitionsRequest as ProtoRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultCreatePartitionsRequest,
  type CreatePartitionsRequest,
} from '../../../../lib/kafka/gen/index.js';
import { roundTrip } from './group-harness.js';

function topicView(name: string, count: number, claimed = count): TopicView {
  return {
    name,
    topicId: `${name.padEnd(21, 'x')}A`,
    configs: {},
    partitions: Array.from({ length: count }, (_, index) => ({
      index,
      storageNodeId: index < claimed ? 's1' : undefined,
      leaderEpoch: index < claimed ? 1 : -1,
    })),
  };
}

interface World {
  readonly view: StaticClusterView;
  readonly calls: ProtoRequest[];
  readonly handler: ReturnType<typeof createPartitionsHandler>;
}

/**
 * A controlplane that raises known topics (3 partitions each: orders, events) and, unless
 * `claimAfterMs` is null, shows the raised topic in the view that many ms later.
 */
function world(claimAfterMs: number | null = 20, fail = false): World {
  const view = new StaticClusterView('c', { nodeId: 1, host: 'edge-1', port: 9092, rack: null }, [
    topicView('orders', 3),
    topicView('events', 3),
  ]);
  const calls: ProtoRequest[] = [];
  const impl: Partial<ServiceImpl<typeof ControlPlaneService>> = {
    createPartitions(req) {
      calls.push(req);
      if (fail) throw new ConnectError('down', Code.Unavailable);
      return create(CreatePartitionsResponseSchema, {
        results: req.topics.map((t) => {
          const have = view.topic(t.name)?.partitions.length;
          const ok = have !== undefined && t.count > have;
          if (ok && !req.validateOnly && claimAfterMs !== null) {
            // First the count (partitions unassigned), then the claims.
            setTimeout(() => {
              view.setTopic(topicView(t.name, t.count, have));
            }, claimAfterMs / 2);
            setTimeout(() => {
              view.setTopic(topicView(t.name, t.count));
            }, claimAfterMs);
          }
          return create(ConfigResourceResultSchema, {
            resourceType: 2,
            resourceName: t.name,
            errorCode:
              have === undefined
                ? KafkaError.UNKNOWN_TOPIC_OR_PARTITION
                : ok
                  ? 0
                  : KafkaError.INVALID_PARTITIONS,
            errorMessage: ok ? '' : 'no',
          });
        }),
      });
    },
  };
  const client = createClient(
    ControlPlaneService,
    createRouterTransport((r) => r.service(ControlPlaneService, impl)),
  );
  return { view, calls, handler: createPartitionsHandler(view, client) };
}

function request(over: Partial<CreatePartitionsRequest>): CreatePartitionsRequest {
  return { ...defaultCreatePartitionsRequest(), timeoutMs: 2000, ...over };
}

const topic = (name: string, count: number, assignments: number[][] | null = null) => ({
  name,
  count,
  assignments: assignments?.map((brokerIds) => ({ brokerIds })) ?? null,
});

describe('CreatePartitions', () => {
  it.each([0, 1, 2, 3])(
    'v%i: forwards the counts and answers once the new partitions are claimed',
    async (v) => {
      const w = world();
      const res = await roundTrip(w.handler, v, request({ topics: [topic('orders', 5)] }));
      expect(res.results).toEqual([{ name: 'orders', errorCode: 0, errorMessage: null }]);
      expect(w.calls.map((c) => [c.topics.map((t) => [t.name, t.count]), c.validateOnly])).toEqual([
        [[['orders', 5]], false],
      ]);
      const partitions = w.view.topic('orders')?.partitions ?? [];
      expect(partitions.map((p) => [p.storageNodeId, p.leaderEpoch >= 0])).toEqual(
        Array.from({ length: 5 }, () => ['s1', true]),
      );
    },
  );

  it("passes the controlplane's errors through, with their messages", async () => {
    const w = world();
    const res = await roundTrip(
      w.handler,
      3,
      request({ topics: [topic('orders', 2), topic('nope', 4), topic('events', 4)] }),
    );
    expect(res.results.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['orders', KafkaError.INVALID_PARTITIONS, 'no'],
      ['nope', KafkaError.UNKNOWN_TOPIC_OR_PARTITION, 'no'],
      ['events', 0, null],
    ]);
  });

  it('answers a topic named twice once, with INVALID_REQUEST, and forwards the rest', async () => {
    const w = world();
    const res = await roundTrip(
      w.handler,
      2,
      request({ topics: [topic('orders', 5), topic('events', 4), topic('orders', 6)] }),
    );
    expect(res.results.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['orders', KafkaError.INVALID_REQUEST, 'Duplicate topic name.'],
      ['events', 0, null],
    ]);
    expect(w.calls[0]?.topics.map((t) => t.name)).toEqual(['events']);
  });

  it('accepts manual assignments whose number is the number of new partitions', async () => {
    const w = world();
    const res = await roundTrip(
      w.handler,
      1,
      request({
        topics: [
          topic('orders', 5, [[7], [8, 9]]),
          topic('events', 6, [[1]]),
          // Not an increase: the controlplane's error comes first, as in Kafka.
          topic('nope', 2, []),
        ],
      }),
    );
    expect(res.results.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['orders', 0, null],
      [
        'events',
        KafkaError.INVALID_REPLICA_ASSIGNMENT,
        'Attempted to add 3 additional partition(s), but only 1 assignment(s) were specified.',
      ],
      ['nope', KafkaError.UNKNOWN_TOPIC_OR_PARTITION, 'no'],
    ]);
    expect(w.calls[0]?.topics.map((t) => t.name)).toEqual(['orders', 'nope']);
  });

  it('validates only: forwards validate_only and does not wait', async () => {
    const w = world(null);
    const started = Date.now();
    const res = await roundTrip(
      w.handler,
      0,
      request({ topics: [topic('orders', 5)], validateOnly: true, timeoutMs: 5000 }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.results[0]?.errorCode).toBe(0);
    expect(w.calls[0]?.validateOnly).toBe(true);
    expect(w.view.topic('orders')?.partitions).toHaveLength(3);
  });

  it('answers within the timeout even if the view never shows the partitions', async () => {
    const w = world(null);
    const started = Date.now();
    const res = await roundTrip(
      w.handler,
      3,
      request({ topics: [topic('orders', 5)], timeoutMs: 100 }),
    );
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(1500);
    expect(res.results[0]?.errorCode).toBe(0);
  });

  it('answers REQUEST_TIMED_OUT when the controlplane fails', async () => {
    const w = world(20, true);
    const res = await roundTrip(w.handler, 3, request({ topics: [topic('orders', 5)] }));
    expect(res.results.map((r) => [r.name, r.errorCode])).toEqual([
      ['orders', KafkaError.REQUEST_TIMED_OUT],
    ]);
  });
});
