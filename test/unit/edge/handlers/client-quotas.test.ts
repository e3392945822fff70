/**
 * AlterClientQuotas and DescribeClientQuotas on the edge, over the controlplane's real quota
 * code and the in-process store: bad input is INVALID_REQUEST with a message naming what is
 * wrong (entities on the edge, keys and values on the controlplane), results stay in request
 * order, validate_only writes nothing, describe answers in Kafka's entity form (null: the
 * default entity), and a controlplane that does not answer gives REQUEST_TIMED_OUT.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeClientQuotasHandler } from '../../../../edge/src/handlers/48-describe-client-quotas.js';
import { alterClientQuotasHandler } from '../../../../edge/src/handlers/49-alter-client-quotas.js';
import type { RequestContext } from '../../../../edge/src/handlers/kafka-handler.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { alterClientQuotas } from '../../../../controlplane/src/quotas/alter-client-quotas.js';
import { describeClientQuotas } from '../../../../controlplane/src/quotas/describe-client-quotas.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import type { AlterClientQuotasRequest } from '../../../../lib/kafka/gen/index.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { FakeControlplane } from './config-harness.js';

let store: MemoryMetadataStore;
let view: MetadataView;
let cp: FakeControlplane;
const ctx: RequestContext = {
  apiVersion: 1,
  correlationId: 1,
  clientId: 'test',
  log: pino({ level: 'silent' }),
};

beforeEach(async () => {
  store = new MemoryMetadataStore();
  view = await MetadataView.start(store);
  cp = new FakeControlplane({
    alterClientQuotas: (req) => alterClientQuotas(store, view, req),
    describeClientQuotas: (req) => describeClientQuotas(view, req),
  });
});

afterEach(async () => {
  await view.stop();
  await store.close();
});

type Entry = AlterClientQuotasRequest['entries'][number];
const part = (entityType: string, entityName: string | null) => ({ entityType, entityName });
const set = (key: string, value: number) => ({ key, value, remove: false });

async function alter(entries: Entry[], validateOnly = false) {
  const res = await alterClientQuotasHandler(cp.client).handle({ entries, validateOnly }, ctx);
  if (res === null) throw new Error('AlterClientQuotas gave no response');
  return res.entries.map((e) => [e.errorCode, e.errorMessage]);
}

async function describeFiltered(
  components: { entityType: string; matchType: number; match: string | null }[],
  strict = false,
) {
  const res = await describeClientQuotasHandler(cp.client).handle({ components, strict }, ctx);
  if (res === null) throw new Error('DescribeClientQuotas gave no response');
  return res;
}

describe('AlterClientQuotas', () => {
  it('refuses bad entities, keys and values with INVALID_REQUEST naming them, in request order', async () => {
    const results = await alter([
      { entity: [], ops: [set('producer_byte_rate', 1)] },
      { entity: [part('ip', '10.0.0.1')], ops: [set('connection_creation_rate', 1)] },
      { entity: [part('user', 'a'), part('user', 'b')], ops: [set('producer_byte_rate', 1)] },
      { entity: [part('group', 'g')], ops: [set('producer_byte_rate', 1)] },
      { entity: [part('client-id', '')], ops: [set('producer_byte_rate', 1)] },
      { entity: [part('user', 'alice')], ops: [set('producer_byte_rate', 1024)] },
      { entity: [part('client-id', 'app')], ops: [set('controller_mutation_rate', 5)] },
      { entity: [part('client-id', null)], ops: [set('consumer_byte_rate', 0)] },
      { entity: [part('user', 'bob')], ops: [set('producer_byte_rate', 2.5)] },
    ]);
    expect(results).toEqual([
      [KafkaError.INVALID_REQUEST, 'Invalid empty client quota entity'],
      [
        KafkaError.INVALID_REQUEST,
        'Entity type ip (connection_creation_rate) is not supported by Kafscale',
      ],
      [
        KafkaError.INVALID_REQUEST,
        'Invalid empty client quota entity, duplicate entity entry user',
      ],
      [KafkaError.INVALID_REQUEST, 'Unhandled client quota entity type: group'],
      [KafkaError.INVALID_REQUEST, 'Empty client-id not supported'],
      [KafkaError.NONE, null],
      [
        KafkaError.INVALID_REQUEST,
        'Invalid configuration key controller_mutation_rate: Kafscale supports producer_byte_rate, consumer_byte_rate, request_percentage',
      ],
      [
        KafkaError.INVALID_REQUEST,
        'Configuration consumer_byte_rate must be a positive number, not 0',
      ],
      [
        KafkaError.INVALID_REQUEST,
        'Configuration producer_byte_rate must be a Long value, not 2.5',
      ],
    ]);
    // Only what the edge could name went to the controlplane; only alice was written.
    expect(cp.calls.map((c) => c.method)).toEqual(['AlterClientQuotas']);
    expect((await store.list(keys.quotasPrefix())).kvs.map((kv) => kv.key)).toEqual([
      '/kafscale/quotas/users/alice/producer_byte_rate',
    ]);
  });

  it('honours validate_only', async () => {
    const entries = [{ entity: [part('user', 'alice')], ops: [set('producer_byte_rate', 1)] }];
    expect(await alter(entries, true)).toEqual([[KafkaError.NONE, null]]);
    expect((await store.list(keys.quotasPrefix())).kvs).toEqual([]);
  });

  it('gives REQUEST_TIMED_OUT when the controlplane does not answer', async () => {
    cp.failing = true;
    const results = await alter([
      { entity: [part('user', 'alice')], ops: [set('producer_byte_rate', 1)] },
      { entity: [], ops: [] },
    ]);
    expect(results.map((r) => r[0])).toEqual([
      KafkaError.REQUEST_TIMED_OUT,
      KafkaError.INVALID_REQUEST,
    ]);
    expect((await describeFiltered([])).errorCode).toBe(KafkaError.REQUEST_TIMED_OUT);
  });
});

describe('DescribeClientQuotas', () => {
  it('answers what AlterClientQuotas set, the default entity as a null name', async () => {
    await alter([
      {
        entity: [part('user', 'alice'), part('client-id', null)],
        ops: [set('producer_byte_rate', 1024), set('request_percentage', 50)],
      },
      { entity: [part('client-id', 'app')], ops: [set('consumer_byte_rate', 2048)] },
    ]);
    const res = await describeFiltered([{ entityType: 'user', matchType: 0, match: 'alice' }]);
    expect(res.errorCode).toBe(0);
    expect(res.entries).toEqual([
      {
        entity: [part('user', 'alice'), part('client-id', null)],
        values: [
          { key: 'producer_byte_rate', value: 1024 },
          { key: 'request_percentage', value: 50 },
        ],
      },
    ]);
    const clients = await describeFiltered(
      [{ entityType: 'client-id', matchType: 2, match: null }],
      true,
    );
    expect(clients.entries?.map((e) => e.entity)).toEqual([[part('client-id', 'app')]]);
    expect(
      (await describeFiltered([{ entityType: 'ip', matchType: 2, match: null }])).entries,
    ).toEqual([]);
  });

  it('refuses a malformed filter as Kafka does', async () => {
    const res = await describeFiltered([{ entityType: 'user', matchType: 1, match: 'x' }]);
    expect([res.errorCode, res.errorMessage, res.entries]).toEqual([
      KafkaError.INVALID_REQUEST,
      'Unexpected match type 1 or match for user',
      null,
    ]);
  });
});
