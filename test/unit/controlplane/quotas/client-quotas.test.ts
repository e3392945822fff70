/**
 * AlterClientQuotas and DescribeClientQuotas on the controlplane over the in-process store:
 * one etcd key per value, Kafka's refusals (empty entity, duplicate entity, duplicate key,
 * unknown key, bad value, each naming what is wrong), validate_only, removal, and
 * DescribeClientQuotas' EXACT, DEFAULT and SPECIFIED matches with and without strict, and an
 * edge's quota cache fed by WatchMetadata (snapshot, update, removal).
 */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlterClientQuotasRequestSchema,
  DescribeClientQuotasRequestSchema,
  QuotaMatchType,
  type ClientQuotaAlterationSchema,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { keys } from '../../../../lib/metadata/keys.js';
import type { ClientQuotaEntity } from '../../../../lib/quota/quota-entity.js';
import { entityMessage, entityOfMessage } from '../../../../lib/quota/quota-messages.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { alterClientQuotas } from '../../../../controlplane/src/quotas/alter-client-quotas.js';
import { describeClientQuotas } from '../../../../controlplane/src/quotas/describe-client-quotas.js';
import { WatchedClusterView } from '../../../../edge/src/metadata/watched-cluster-view.js';
import { waitFor } from '../helpers.js';
import { startWatchedControlplane } from '../watched-controlplane.js';

let store: MemoryMetadataStore;
let view: MetadataView;

beforeEach(async () => {
  store = new MemoryMetadataStore();
  view = await MetadataView.start(store);
});

afterEach(async () => {
  await view.stop();
  await store.close();
});

type Alteration = MessageInitShape<typeof ClientQuotaAlterationSchema>;

const entry = (
  entity: ClientQuotaEntity,
  ops: { key: string; value?: number; remove?: boolean }[],
): Alteration => ({
  entity: entityMessage(entity),
  ops: ops.map((o) => ({ key: o.key, value: o.value ?? 0, remove: o.remove ?? false })),
});

async function alter(entries: Alteration[], validateOnly = false) {
  const res = await alterClientQuotas(
    store,
    view,
    create(AlterClientQuotasRequestSchema, { entries, validateOnly }),
  );
  return res.results.map((r) => ({ code: r.errorCode, message: r.errorMessage }));
}

function describeAll(
  components: { entityType: string; matchType: QuotaMatchType; match?: string }[],
  strict = false,
) {
  return describeClientQuotas(
    view,
    create(DescribeClientQuotasRequestSchema, { components, strict }),
  ).quotas.map((q) => ({ entity: entityOfMessage(q.entity), values: q.values }));
}

const alice = { user: 'alice', clientId: undefined };
const aliceApp = { user: 'alice', clientId: 'app' };
const defaultClient = { user: undefined, clientId: null };
const appClient = { user: undefined, clientId: 'app/1' };

describe('AlterClientQuotas', () => {
  it('writes one key per value and removes values', async () => {
    expect(
      await alter([
        entry(alice, [
          { key: 'producer_byte_rate', value: 1024 },
          { key: 'request_percentage', value: 12.5 },
        ]),
        entry(appClient, [{ key: 'consumer_byte_rate', value: 2048 }]),
      ]),
    ).toEqual([
      { code: KafkaError.NONE, message: '' },
      { code: KafkaError.NONE, message: '' },
    ]);
    const listed = await store.list(keys.quotasPrefix());
    expect(listed.kvs.map((kv) => kv.key)).toEqual([
      '/kafscale/quotas/clients/app%2F1/consumer_byte_rate',
      '/kafscale/quotas/users/alice/producer_byte_rate',
      '/kafscale/quotas/users/alice/request_percentage',
    ]);
    expect(view.clientQuota('users/alice')?.values).toEqual(
      new Map([
        ['producer_byte_rate', 1024],
        ['request_percentage', 12.5],
      ]),
    );
    await alter([entry(alice, [{ key: 'producer_byte_rate', remove: true }])]);
    expect(view.clientQuota('users/alice')?.values).toEqual(
      new Map([['request_percentage', 12.5]]),
    );
    await alter([entry(alice, [{ key: 'request_percentage', remove: true }])]);
    expect(view.clientQuota('users/alice')).toBeUndefined();
  });

  it('refuses what Kafka refuses, naming the key and the value, and applies nothing of it', async () => {
    const results = await alter([
      entry({ user: undefined, clientId: undefined }, [{ key: 'producer_byte_rate', value: 1 }]),
      entry(alice, [{ key: 'producer_byte_rate', value: 1.5 }]),
      entry(aliceApp, [{ key: 'broker_byte_rate', value: 10 }]),
      entry(defaultClient, [
        { key: 'consumer_byte_rate', value: 10 },
        { key: 'consumer_byte_rate', value: 20 },
      ]),
      entry(appClient, [{ key: 'request_percentage', value: -3 }]),
      entry(appClient, [{ key: 'request_percentage', value: 3 }]),
    ]);
    expect(results.map((r) => r.code)).toEqual(Array(6).fill(KafkaError.INVALID_REQUEST));
    expect(results.map((r) => r.message)).toEqual([
      'Invalid empty client quota entity',
      'Configuration producer_byte_rate must be a Long value, not 1.5',
      'Invalid configuration key broker_byte_rate: Kafscale supports producer_byte_rate, consumer_byte_rate, request_percentage',
      'Duplicate quota key consumer_byte_rate not updating quota for this entity client-id=<default>',
      'Configuration request_percentage must be a positive number, not -3',
      'Ignoring duplicate entity client-id=app/1',
    ]);
    expect((await store.list(keys.quotasPrefix())).kvs).toEqual([]);
  });

  it('writes nothing with validate_only', async () => {
    const results = await alter([entry(alice, [{ key: 'producer_byte_rate', value: 100 }])], true);
    expect(results).toEqual([{ code: KafkaError.NONE, message: '' }]);
    expect((await store.list(keys.quotasPrefix())).kvs).toEqual([]);
  });
});

describe('DescribeClientQuotas', () => {
  beforeEach(async () => {
    await alter([
      entry(alice, [{ key: 'producer_byte_rate', value: 1 }]),
      entry(aliceApp, [{ key: 'producer_byte_rate', value: 2 }]),
      entry({ user: null, clientId: undefined }, [{ key: 'producer_byte_rate', value: 3 }]),
      entry(defaultClient, [{ key: 'consumer_byte_rate', value: 4 }]),
      entry(appClient, [{ key: 'consumer_byte_rate', value: 5 }]),
    ]);
  });

  const users = (found: ReturnType<typeof describeAll>) =>
    found.map((f) => `${String(f.entity.user)}|${String(f.entity.clientId)}`);

  it('describes everything with no component', () => {
    expect(users(describeAll([]))).toEqual([
      'undefined|null',
      'undefined|app/1',
      'null|undefined',
      'alice|undefined',
      'alice|app',
    ]);
    expect(describeAll([]).find((f) => f.entity.user === 'alice')?.values).toEqual({
      producer_byte_rate: 1,
    });
  });

  it('matches EXACT, DEFAULT and SPECIFIED, strict or not', () => {
    const exact = {
      entityType: 'user',
      matchType: QuotaMatchType.EXACT_UNSPECIFIED,
      match: 'alice',
    };
    expect(users(describeAll([exact]))).toEqual(['alice|undefined', 'alice|app']);
    expect(users(describeAll([exact], true))).toEqual(['alice|undefined']);
    const defaults = { entityType: 'client-id', matchType: QuotaMatchType.DEFAULT };
    expect(users(describeAll([defaults]))).toEqual(['undefined|null']);
    const anyClient = { entityType: 'client-id', matchType: QuotaMatchType.SPECIFIED };
    expect(users(describeAll([anyClient], true))).toEqual(['undefined|null', 'undefined|app/1']);
    expect(users(describeAll([exact, anyClient]))).toEqual(['alice|app']);
  });
});

describe('through a controlplane', () => {
  it("reaches an edge's quota cache through WatchMetadata, updates and snapshot", async () => {
    const { client, edgeView, stop } = await startWatchedControlplane();
    const quota = (entity: ClientQuotaEntity, key: string, value: number, remove = false) =>
      client.alterClientQuotas({
        entries: [{ entity: entityMessage(entity), ops: [{ key, value, remove }] }],
      });
    const later = new WatchedClusterView(
      { nodeId: 1, host: 'localhost', port: 9093, rack: null },
      client,
      'edge-1',
      pino({ level: 'silent' }),
    );
    try {
      await quota(alice, 'producer_byte_rate', 1000);
      await quota(defaultClient, 'consumer_byte_rate', 5);
      await waitFor('the update', () => edgeView.quotas.values('clients/<default>') !== undefined);
      expect(edgeView.quotas.values('users/alice')).toEqual(
        new Map([['producer_byte_rate', 1000]]),
      );
      await quota(alice, 'producer_byte_rate', 0, true);
      await waitFor('the removal', () => edgeView.quotas.values('users/alice') === undefined);
      // An edge that starts now gets what is left in its first snapshot.
      later.start();
      await later.ready;
      expect(later.quotas.values('clients/<default>')).toEqual(
        new Map([['consumer_byte_rate', 5]]),
      );
      expect(later.quotas.values('users/alice')).toBeUndefined();
      expect((await client.describeClientQuotas({})).quotas).toHaveLength(1);
    } finally {
      later.stop();
      await stop();
    }
  });
});
