import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { describeConfigsHandler } from '../../../../edge/src/handlers/32-describe-configs.js';
import {
  DescribeConfigsResponseSchema,
  type DescribeConfigsRequest as ProtoDescribeConfigsRequest,
} from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultDescribeConfigsRequest,
  type DescribeConfigsRequest,
} from '../../../../lib/kafka/gen/index.js';
import { FakeControlplane, TwoEdgeView } from './config-harness.js';
import { roundTrip } from './group-harness.js';

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;

/** Answers every topic with one override and one default; "missing" is unknown. */
function fake(): FakeControlplane {
  return new FakeControlplane({
    describeConfigs: (req) =>
      create(DescribeConfigsResponseSchema, {
        results: req.resources.map((q) =>
          q.resourceName === 'missing'
            ? {
                resourceType: q.resourceType,
                resourceName: q.resourceName,
                errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
                errorMessage: 'topic "missing" does not exist',
              }
            : {
                resourceType: q.resourceType,
                resourceName: q.resourceName,
                configs: [
                  {
                    name: 'retention.ms',
                    value: '1000',
                    configSource: 1,
                    configType: 5,
                    synonyms: req.includeSynonyms
                      ? [
                          { name: 'retention.ms', value: '1000', source: 1 },
                          { name: 'log.retention.ms', value: '604800000', source: 5 },
                        ]
                      : [],
                    documentation: req.includeDocumentation ? 'How long records are kept.' : '',
                  },
                  {
                    name: 'segment.bytes',
                    value: '1073741824',
                    configSource: 5,
                    configType: 3,
                    documentation: req.includeDocumentation ? 'Segment size.' : '',
                  },
                ],
              },
        ),
      }),
  });
}

function request(over: Partial<DescribeConfigsRequest>): DescribeConfigsRequest {
  return {
    ...defaultDescribeConfigsRequest(),
    resources: [{ resourceType: TOPIC, resourceName: 'orders', configurationKeys: null }],
    ...over,
  };
}

describe('DescribeConfigs', () => {
  it.each([0, 1, 2, 3, 4])('v%i: carries what the version has', async (v) => {
    const cp = fake();
    const res = await roundTrip(
      describeConfigsHandler(new TwoEdgeView(), cp.client),
      v,
      request({ includeSynonyms: v >= 1, includeDocumentation: v >= 3 }),
    );
    const [asked] = cp.messages<ProtoDescribeConfigsRequest>('DescribeConfigs');
    expect(asked?.includeSynonyms).toBe(v >= 1);
    expect(asked?.includeDocumentation).toBe(v >= 3);
    expect(asked?.resources.map((r) => [r.resourceType, r.resourceName, r.allConfigs])).toEqual([
      [TOPIC, 'orders', true],
    ]);
    const [r] = res.results;
    expect(r).toMatchObject({ errorCode: 0, errorMessage: null, resourceName: 'orders' });
    const [retention, segment] = r?.configs ?? [];
    expect(retention).toMatchObject({ name: 'retention.ms', value: '1000', readOnly: false });
    // v0 says whether a value is a default; v1+ says where it comes from.
    expect(retention?.isDefault).toBe(false);
    expect(segment?.isDefault).toBe(v === 0);
    expect(retention?.configSource).toBe(v >= 1 ? 1 : -1);
    expect(segment?.configSource).toBe(v >= 1 ? 5 : -1);
    expect(retention?.synonyms.map((s) => [s.name, s.value, s.source])).toEqual(
      v >= 1
        ? [
            ['retention.ms', '1000', 1],
            ['log.retention.ms', '604800000', 5],
          ]
        : [],
    );
    expect(retention?.configType).toBe(v >= 3 ? 5 : 0);
    // Below v3 the field is not on the wire: the decoder gives its default.
    expect(retention?.documentation).toBe(v >= 3 ? 'How long records are kept.' : '');
  });

  it('v3: no documentation unless asked', async () => {
    const res = await roundTrip(
      describeConfigsHandler(new TwoEdgeView(), fake().client),
      3,
      request({ includeDocumentation: false }),
    );
    expect(res.results[0]?.configs.map((c) => c.documentation)).toEqual([null, null]);
  });

  it('a key list asks for those keys; an empty list, like null, for every config', async () => {
    const cp = fake();
    await roundTrip(describeConfigsHandler(new TwoEdgeView(), cp.client), 4, {
      ...request({}),
      resources: [
        { resourceType: TOPIC, resourceName: 'a', configurationKeys: ['retention.ms'] },
        { resourceType: TOPIC, resourceName: 'b', configurationKeys: [] },
      ],
    });
    expect(
      cp
        .messages<ProtoDescribeConfigsRequest>('DescribeConfigs')[0]
        ?.resources.map((r) => [r.resourceName, r.configNames, r.allConfigs]),
    ).toEqual([
      ['a', ['retention.ms'], false],
      ['b', [], true],
    ]);
  });

  it('broker ids that are not live edges are refused here; the rest go to the controlplane, in order', async () => {
    const cp = fake();
    const res = await roundTrip(describeConfigsHandler(new TwoEdgeView(), cp.client), 4, {
      ...request({}),
      resources: [
        { resourceType: BROKER, resourceName: '9', configurationKeys: null },
        { resourceType: BROKER, resourceName: '2', configurationKeys: null },
        { resourceType: TOPIC, resourceName: 'missing', configurationKeys: null },
        { resourceType: BROKER_LOGGER, resourceName: '3', configurationKeys: null },
        { resourceType: BROKER, resourceName: '', configurationKeys: null },
      ],
    });
    expect(
      cp
        .messages<ProtoDescribeConfigsRequest>('DescribeConfigs')[0]
        ?.resources.map((r) => [r.resourceType, r.resourceName]),
    ).toEqual([
      [BROKER, '2'],
      [TOPIC, 'missing'],
      [BROKER, ''],
    ]);
    expect(res.results.map((r) => [r.resourceType, r.resourceName, r.errorCode])).toEqual([
      [BROKER, '9', KafkaError.INVALID_REQUEST],
      [BROKER, '2', 0],
      [TOPIC, 'missing', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      [BROKER_LOGGER, '3', KafkaError.INVALID_REQUEST],
      [BROKER, '', 0],
    ]);
    expect(res.results[0]?.errorMessage).toBe(
      'Unexpected broker id, expected one of the live brokers (1, 2) or empty string, but received 9',
    );
    expect(res.results[2]?.errorMessage).toBe('topic "missing" does not exist');
    expect(res.results[2]?.configs).toEqual([]);
  });

  it('REQUEST_TIMED_OUT for every resource when the controlplane cannot be reached', async () => {
    const cp = fake();
    cp.failing = true;
    const res = await roundTrip(describeConfigsHandler(new TwoEdgeView(), cp.client), 2, {
      ...request({}),
      resources: [
        { resourceType: TOPIC, resourceName: 'a', configurationKeys: null },
        { resourceType: BROKER, resourceName: '1', configurationKeys: null },
      ],
    });
    expect(res.results.map((r) => r.errorCode)).toEqual([
      KafkaError.REQUEST_TIMED_OUT,
      KafkaError.REQUEST_TIMED_OUT,
    ]);
  });
});
