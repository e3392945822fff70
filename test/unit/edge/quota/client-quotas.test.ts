/**
 * The edge's quota bookkeeping at given times, with Kafka's default windows (11 × 1 s):
 * fetch bytes and request time earn throttles like produce bytes, a throttled fetch is taken
 * back and answered empty, connections of one entity share its rate while a default entity
 * gives each client id its own, the bound is this edge's share, and rates no longer counted
 * are forgotten without losing track of live ones.
 */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ClientQuotaSchema } from '../../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import { defaultFetchResponse } from '../../../../lib/kafka/gen/index.js';
import type { ClientQuotaEntity } from '../../../../lib/quota/quota-entity.js';
import { entityMessage } from '../../../../lib/quota/quota-messages.js';
import { ClientQuotaCache } from '../../../../edge/src/quota/client-quota-cache.js';
import { ClientQuotas } from '../../../../edge/src/quota/client-quotas.js';
import { ConnectionQuotas } from '../../../../edge/src/quota/connection-quotas.js';
import { throttledResponse } from '../../../../edge/src/quota/throttled-response.js';

function quotas(entity: ClientQuotaEntity, values: Record<string, number>, edges = 1) {
  const cache = new ClientQuotaCache();
  cache.setEntity(create(ClientQuotaSchema, { entity: entityMessage(entity), values }));
  return new ClientQuotas(cache, { samples: 11, windowMs: 1000 }, () => edges);
}

const anyUser = (clientId: string | null): ClientQuotaEntity => ({ user: undefined, clientId });

describe('ClientQuotas and ConnectionQuotas', () => {
  it('throttles fetch bytes over consumer_byte_rate and takes a throttled fetch back', () => {
    const c = new ConnectionQuotas(quotas(anyUser('c'), { consumer_byte_rate: 1000 }));
    expect(c.throttleMs('User:ANONYMOUS', 'c', 0, 5000, undefined, 0)).toBe(0);
    // 15,000 bytes over the 10 s a young rate is measured over: 1,500/s, half again the bound.
    expect(c.throttleMs('User:ANONYMOUS', 'c', 0, 10_000, undefined, 0)).toBe(5000);
    c.unrecordFetch(10_000, 0);
    expect(c.throttleMs('User:ANONYMOUS', 'c', 0, 5000, undefined, 0)).toBe(0);
  });

  it('throttles handler time over request_percentage', () => {
    const c = new ConnectionQuotas(
      quotas({ user: 'alice', clientId: undefined }, { request_percentage: 10 }),
    );
    // 1 s of handling in 10 s is 10% of a thread: at the bound, not over it.
    expect(c.throttleMs('User:alice', 'x', 0, 0, 1000, 0)).toBe(0);
    // 2 s in 10 s is 20%: 10 s more to fall back to 10%.
    expect(c.throttleMs('User:alice', 'x', 0, 0, 1000, 0)).toBe(10_000);
    // Exempt requests (undefined time) and other users are not counted.
    expect(c.throttleMs('User:alice', 'x', 0, 0, undefined, 0)).toBe(0);
    expect(c.throttleMs('User:bob', 'x', 0, 0, 5000, 0)).toBe(0);
  });

  it('shares one rate among connections of a named entity, not of a default one', () => {
    const named = quotas(anyUser('app'), { producer_byte_rate: 1000 });
    const a = new ConnectionQuotas(named);
    const b = new ConnectionQuotas(named);
    expect(a.throttleMs('User:alice', 'app', 10_000, 0, undefined, 0)).toBe(0);
    expect(b.throttleMs('User:bob', 'app', 5000, 0, undefined, 0)).toBe(5000);
    const defaults = quotas(anyUser(null), { producer_byte_rate: 1000 });
    const x = new ConnectionQuotas(defaults);
    const y = new ConnectionQuotas(defaults);
    expect(x.throttleMs('User:alice', 'one', 10_000, 0, undefined, 0)).toBe(0);
    expect(y.throttleMs('User:alice', 'two', 10_000, 0, undefined, 0)).toBe(0);
    expect(y.throttleMs('User:alice', 'two', 5000, 0, undefined, 0)).toBe(5000);
  });

  it("enforces this edge's share of the cluster-wide quota", () => {
    const c = new ConnectionQuotas(quotas(anyUser('c'), { producer_byte_rate: 2000 }, 2));
    expect(c.throttleMs('User:u', 'c', 15_000, 0, undefined, 0)).toBe(5000);
  });

  it('forgets idle rates and keeps counting live ones', () => {
    const q = quotas(anyUser(null), { producer_byte_rate: 1000 });
    const busy = new ConnectionQuotas(q);
    const idle = new ConnectionQuotas(q);
    expect(idle.throttleMs('User:u', 'idle', 100, 0, undefined, 0)).toBe(0);
    const generation = q.generation;
    for (let t = 0; t <= 61_000; t += 1000)
      expect(busy.throttleMs('User:u', 'busy', 500, 0, undefined, t)).toBe(0);
    // A new client id after a minute sweeps away the idle rate, not the busy one.
    expect(new ConnectionQuotas(q).throttleMs('User:u', 'new', 1, 0, undefined, 61_000)).toBe(0);
    expect(q.generation).toBeGreaterThan(generation);
    expect(busy.throttleMs('User:u', 'busy', 8000, 0, undefined, 61_500)).toBeGreaterThan(0);
  });
});

describe('throttledResponse', () => {
  it('answers a throttled fetch with no records and its session id', () => {
    const full = {
      ...defaultFetchResponse(),
      sessionId: 7,
      responses: [{ topic: 't', topicId: '', partitions: [] }],
    };
    expect(throttledResponse(1, full, 250)).toEqual({
      ...defaultFetchResponse(),
      throttleTimeMs: 250,
      sessionId: 7,
    });
  });

  it('sets throttle_time_ms on other responses, keeping a larger one', () => {
    expect(throttledResponse(0, { throttleTimeMs: 0, responses: [] }, 40)).toEqual({
      throttleTimeMs: 40,
      responses: [],
    });
    expect(throttledResponse(3, { throttleTimeMs: 90 }, 40)).toEqual({ throttleTimeMs: 90 });
  });
});
