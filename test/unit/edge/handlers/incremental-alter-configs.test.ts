import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { incrementalAlterConfigsHandler } from '../../../../edge/src/handlers/44-incremental-alter-configs.js';
import {
  AlterConfigOp,
  AlterConfigsResponseSchema,
  type AlterConfigsRequest as ProtoAlterConfigsRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { FakeControlplane, TwoEdgeView } from './config-harness.js';
import { roundTrip } from './group-harness.js';

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;

/** Refuses APPEND on anything but cleanup.policy, as INVALID_CONFIG; accepts the rest. */
const fake = () =>
  new FakeControlplane({
    alterConfigs: (req) =>
      create(AlterConfigsResponseSchema, {
        results: req.resources.map((r) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          ...(r.configs.some((c) => c.op === AlterConfigOp.APPEND && c.name !== 'cleanup.policy')
            ? { errorCode: KafkaError.INVALID_CONFIG, errorMessage: 'not a list' }
            : {}),
        })),
      }),
  });

describe('IncrementalAlterConfigs', () => {
  it.each([0, 1])('v%i: operations and values go to the controlplane as sent', async (v) => {
    const cp = fake();
    const res = await roundTrip(incrementalAlterConfigsHandler(new TwoEdgeView(), cp.client), v, {
      validateOnly: v === 0,
      resources: [
        {
          resourceType: TOPIC,
          resourceName: 'orders',
          configs: [
            { name: 'retention.ms', configOperation: 0, value: '1000' },
            { name: 'segment.ms', configOperation: 1, value: null },
            { name: 'cleanup.policy', configOperation: 2, value: 'compact' },
            { name: 'leader.replication.throttled.replicas', configOperation: 3, value: '0:1' },
          ],
        },
        {
          resourceType: TOPIC,
          resourceName: 'other',
          configs: [{ name: 'retention.ms', configOperation: 2, value: '5' }],
        },
        { resourceType: BROKER_LOGGER, resourceName: '5', configs: [] },
        { resourceType: BROKER, resourceName: '2', configs: [] },
      ],
    });
    const [asked] = cp.messages<ProtoAlterConfigsRequest>('AlterConfigs');
    expect(asked?.incremental).toBe(true);
    expect(asked?.validateOnly).toBe(v === 0);
    expect(asked?.resources.map((r) => [r.resourceType, r.resourceName])).toEqual([
      [TOPIC, 'orders'],
      [TOPIC, 'other'],
      [BROKER, '2'],
    ]);
    expect(asked?.resources[0]?.configs.map((c) => [c.name, c.op, c.value ?? null])).toEqual([
      ['retention.ms', 0, '1000'],
      ['segment.ms', 1, null],
      ['cleanup.policy', 2, 'compact'],
      ['leader.replication.throttled.replicas', 3, '0:1'],
    ]);
    expect(res.responses.map((r) => [r.resourceName, r.errorCode, r.errorMessage])).toEqual([
      ['orders', 0, null],
      ['other', KafkaError.INVALID_CONFIG, 'not a list'],
      [
        '5',
        KafkaError.INVALID_REQUEST,
        'Unexpected broker id, expected one of the live brokers (1, 2), but received 5',
      ],
      ['2', 0, null],
    ]);
  });

  it('passes an unknown operation code through for the controlplane to refuse', async () => {
    const cp = fake();
    await roundTrip(incrementalAlterConfigsHandler(new TwoEdgeView(), cp.client), 1, {
      validateOnly: false,
      resources: [
        {
          resourceType: TOPIC,
          resourceName: 'orders',
          configs: [{ name: 'retention.ms', configOperation: 9, value: '1' }],
        },
      ],
    });
    expect(
      cp.messages<ProtoAlterConfigsRequest>('AlterConfigs')[0]?.resources[0]?.configs[0]?.op,
    ).toBe(9);
  });
});
