import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { alterConfigsHandler } from '../../../../edge/src/handlers/33-alter-configs.js';
import {
  AlterConfigsResponseSchema,
  type AlterConfigsRequest as ProtoAlterConfigsRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { FakeControlplane, TwoEdgeView } from './config-harness.js';
import { roundTrip } from './group-harness.js';

const TOPIC = 2;
const BROKER = 4;

/** Refuses "missing"; accepts the rest. */
function fake(): FakeControlplane {
  return new FakeControlplane({
    alterConfigs: (req) =>
      create(AlterConfigsResponseSchema, {
        results: req.resources.map((r) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          ...(r.resourceName === 'missing'
            ? { errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'no such topic' }
            : {}),
        })),
      }),
  });
}

describe('AlterConfigs', () => {
  it.each([0, 1, 2])(
    'v%i: a whole replacement per resource, results in request order',
    async (v) => {
      const cp = fake();
      const res = await roundTrip(alterConfigsHandler(new TwoEdgeView(), cp.client), v, {
        validateOnly: v === 1,
        resources: [
          {
            resourceType: TOPIC,
            resourceName: 'orders',
            configs: [
              { name: 'retention.ms', value: '1000' },
              { name: 'cleanup.policy', value: null },
            ],
          },
          { resourceType: TOPIC, resourceName: 'missing', configs: [] },
          { resourceType: BROKER, resourceName: '7', configs: [{ name: 'x', value: '1' }] },
        ],
      });
      const [asked] = cp.messages<ProtoAlterConfigsRequest>('AlterConfigs');
      expect(asked?.incremental).toBe(false);
      expect(asked?.validateOnly).toBe(v === 1);
      expect(asked?.resources.map((r) => r.resourceName)).toEqual(['orders', 'missing']);
      expect(asked?.resources[0]?.configs.map((c) => [c.name, c.op, c.value ?? null])).toEqual([
        ['retention.ms', 0, '1000'],
        ['cleanup.policy', 0, null],
      ]);
      expect(
        res.responses.map((r) => [r.resourceType, r.resourceName, r.errorCode, r.errorMessage]),
      ).toEqual([
        [TOPIC, 'orders', 0, null],
        [TOPIC, 'missing', KafkaError.UNKNOWN_TOPIC_OR_PARTITION, 'no such topic'],
        [
          BROKER,
          '7',
          KafkaError.INVALID_REQUEST,
          'Unexpected broker id, expected one of the live brokers (1, 2), but received 7',
        ],
      ]);
    },
  );

  it('REQUEST_TIMED_OUT when the controlplane cannot be reached', async () => {
    const cp = fake();
    cp.failing = true;
    const res = await roundTrip(alterConfigsHandler(new TwoEdgeView(), cp.client), 2, {
      validateOnly: false,
      resources: [{ resourceType: TOPIC, resourceName: 'orders', configs: [] }],
    });
    expect(res.responses.map((r) => r.errorCode)).toEqual([KafkaError.REQUEST_TIMED_OUT]);
  });
});
