/**
 * ElectLeaders at every version: no replicas, so an owned partition needs no election;
 * unknown topics and partitions, the null "every partition" list, unassigned partitions
 * and an unknown election type, as Apache Kafka's controller answers them.
 */
import { describe, expect, it } from 'vitest';
import { StaticClusterView, type TopicView } from '../../../../edge/src/cluster-view.js';
import { electLeadersHandler } from '../../../../edge/src/handlers/43-elect-leaders.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  defaultElectLeadersRequest,
  type ElectLeadersRequest,
  type ElectLeadersResponse,
} from '../../../../lib/kafka/gen/index.js';
import { roundTrip } from './group-harness.js';

const owned: TopicView = {
  name: 'orders',
  topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  configs: {},
  partitions: [0, 1, 2].map((index) => ({ index, storageNodeId: 's1', leaderEpoch: 3 })),
};
const growing: TopicView = {
  name: 'events',
  topicId: 'AAAAAAAAAAAAAAAAAAAAAg',
  configs: {},
  partitions: [0, 1].map((index) => ({
    index,
    storageNodeId: index === 0 ? 's2' : undefined,
    leaderEpoch: index === 0 ? 1 : -1,
  })),
};
const view = new StaticClusterView('c', { nodeId: 1, host: 'edge-1', port: 9092, rack: null }, [
  owned,
  growing,
]);
const handler = electLeadersHandler(view);
const NOT_NEEDED = 'Leader election not needed for topic partition.';

function request(over: Partial<ElectLeadersRequest>): ElectLeadersRequest {
  return { ...defaultElectLeadersRequest(), ...over };
}

const rows = (res: ElectLeadersResponse) =>
  res.replicaElectionResults.map((t) => [
    t.topic,
    t.partitionResult.map((p) => [p.partitionId, p.errorCode, p.errorMessage]),
  ]);

describe('ElectLeaders', () => {
  it.each([
    [0, 0],
    [1, 0],
    [1, 1],
    [2, 0],
    [2, 1],
  ])('v%i election type %i: ELECTION_NOT_NEEDED for owned partitions', async (v, type) => {
    const res = await roundTrip(
      handler,
      v,
      request({
        electionType: type,
        topicPartitions: [
          { topic: 'orders', partitions: [2, 0] },
          { topic: 'nope', partitions: [0] },
        ],
      }),
    );
    expect(res.errorCode).toBe(0);
    expect(rows(res)).toEqual([
      [
        'orders',
        [
          [2, KafkaError.ELECTION_NOT_NEEDED, NOT_NEEDED],
          [0, KafkaError.ELECTION_NOT_NEEDED, NOT_NEEDED],
        ],
      ],
      ['nope', [[0, KafkaError.UNKNOWN_TOPIC_OR_PARTITION, 'No such topic as nope']]],
    ]);
  });

  it('answers an unknown partition and an unassigned one by election type', async () => {
    const partitions = [{ topic: 'events', partitions: [0, 1, 5, -1] }];
    const preferred = await roundTrip(handler, 2, request({ topicPartitions: partitions }));
    expect(preferred.replicaElectionResults[0]?.partitionResult.map((p) => p.errorCode)).toEqual([
      KafkaError.ELECTION_NOT_NEEDED,
      KafkaError.PREFERRED_LEADER_NOT_AVAILABLE,
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    expect(preferred.replicaElectionResults[0]?.partitionResult[2]?.errorMessage).toBe(
      'No such partition as events-5',
    );
    const unclean = await roundTrip(
      handler,
      1,
      request({ electionType: 1, topicPartitions: partitions }),
    );
    expect(unclean.replicaElectionResults[0]?.partitionResult[1]?.errorCode).toBe(
      KafkaError.ELIGIBLE_LEADERS_NOT_AVAILABLE,
    );
  });

  it.each([0, 1, 2])(
    'v%i: a null list is every topic, leaving out partitions that need no election',
    async (v) => {
      const res = await roundTrip(handler, v, request({ topicPartitions: null }));
      expect(res.errorCode).toBe(0);
      expect(rows(res)).toEqual([
        ['orders', []],
        [
          'events',
          [
            [
              1,
              KafkaError.PREFERRED_LEADER_NOT_AVAILABLE,
              'partition events-1 is not assigned to a storage node yet',
            ],
          ],
        ],
      ]);
    },
  );

  it('answers an empty list with nothing', async () => {
    const res = await roundTrip(handler, 2, request({ topicPartitions: [] }));
    expect(res.replicaElectionResults).toEqual([]);
  });

  it.each([1, 2])(
    'v%i: an unknown election type is INVALID_REQUEST at the top and per partition',
    async (v) => {
      const res = await roundTrip(
        handler,
        v,
        request({ electionType: 2, topicPartitions: [{ topic: 'orders', partitions: [0] }] }),
      );
      expect(res.errorCode).toBe(KafkaError.INVALID_REQUEST);
      expect(rows(res)).toEqual([
        ['orders', [[0, KafkaError.INVALID_REQUEST, 'Unknown election type 2']]],
      ]);
    },
  );
});
