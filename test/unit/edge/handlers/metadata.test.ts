import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ClusterView, TopicView } from '../../../../edge/src/cluster-view.js';
import { metadataHandler } from '../../../../edge/src/handlers/03-metadata.js';
import { defaultMetadataRequest, type MetadataResponse } from '../../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';

const edges = [1, 2, 3].map((nodeId) => ({
  nodeId,
  host: `edge-${nodeId}`,
  port: 9092,
  rack: null,
}));
const topic: TopicView = {
  name: 't',
  topicId: 'AAAAAAAAAAAAAAAAAAAABQ',
  configs: {},
  partitions: Array.from({ length: 12 }, (_, index) => ({
    index,
    storageNodeId: index === 11 ? undefined : 's1',
    leaderEpoch: 4,
  })),
};
const cluster: ClusterView = {
  clusterId: 'c',
  self: () => edges[1] ?? edges[0] ?? { nodeId: 0, host: '', port: 0, rack: null },
  edges: () => edges,
  topic: (n) => (n === 't' ? topic : undefined),
  topicById: (id) => (id === topic.topicId ? topic : undefined),
  topics: () => [topic],
  groupShardCount: () => 0,
  groupShardHolder: () => undefined,
};
const ctx = { apiVersion: 12, correlationId: 1, clientId: 'x', log: pino({ level: 'silent' }) };

async function ask(singleAddress: boolean): Promise<MetadataResponse> {
  const res = await metadataHandler(cluster, undefined, singleAddress).handle(
    { ...defaultMetadataRequest(), topics: null },
    ctx,
  );
  if (res === null) throw new Error('no response');
  return res;
}

describe('Metadata', () => {
  it('lists every live edge and spreads partition leadership over them', async () => {
    const res = await ask(false);
    expect(res.brokers.map((b) => b.nodeId)).toEqual([1, 2, 3]);
    const leaders = new Set(
      res.topics[0]?.partitions.filter((p) => p.errorCode === 0).map((p) => p.leaderId),
    );
    expect(leaders.size).toBeGreaterThan(1);
    expect(res.topics[0]?.partitions.every((p) => p.errorCode !== 0 || p.leaderEpoch === 4)).toBe(
      true,
    );
  });

  it('reports a partition without an owner as LEADER_NOT_AVAILABLE', async () => {
    const p11 = (await ask(false)).topics[0]?.partitions[11];
    expect([p11?.errorCode, p11?.leaderId]).toEqual([KafkaError.LEADER_NOT_AVAILABLE, -1]);
  });

  it('advertises only this edge, leading every partition, in single-address mode', async () => {
    const res = await ask(true);
    expect(res.brokers.map((b) => b.nodeId)).toEqual([2]);
    expect(new Set(res.topics[0]?.partitions.slice(0, 11).map((p) => p.leaderId))).toEqual(
      new Set([2]),
    );
    expect(res.controllerId).toBe(2);
  });
});
