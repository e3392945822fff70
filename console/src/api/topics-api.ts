/**
 * GET /ui/api/topics: a page of the topic listing, each topic on the page described (its
 * partitions' offsets and bytes summed), so that a cluster of thousands of topics costs one
 * ListTopics and a page's worth of DescribeTopic calls.
 * GET /ui/api/topics/NAME: one topic, partition by partition.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import type {
  DescribeTopicResponse,
  TopicSummary,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { ADMIN_CALL_TIMEOUT_MS, type AdminClient } from './admin-client.js';
import { int64, mapLimited } from './json-values.js';
import { pageOf } from './paging.js';

const DESCRIBE_CONCURRENCY = 8;

function totals(d: DescribeTopicResponse) {
  let retained = 0n;
  let bytes = 0n;
  let highWatermarks = 0n;
  let unowned = 0;
  for (const p of d.partitions) {
    retained += p.highWatermark - p.logStartOffset;
    bytes += p.bytes;
    highWatermarks += p.highWatermark;
    if (p.owner === '') unowned++;
  }
  return {
    retained: int64(retained),
    bytes: int64(bytes),
    highWatermarks: int64(highWatermarks),
    unownedPartitions: unowned,
  };
}

function summary(t: TopicSummary) {
  return { name: t.name, topicId: t.topicId, partitions: t.partitions, configs: { ...t.configs } };
}

export async function topicsPage(admin: AdminClient, params: URLSearchParams) {
  const { topics } = await admin.listTopics({}, { timeoutMs: ADMIN_CALL_TIMEOUT_MS });
  const page = pageOf(topics, (t) => t.name, params);
  const items = await mapLimited(page.items, DESCRIBE_CONCURRENCY, async (t) => {
    try {
      const d = await admin.describeTopic({ name: t.name }, { timeoutMs: ADMIN_CALL_TIMEOUT_MS });
      return { ...summary(t), ...totals(d) };
    } catch (e) {
      // Deleted since the listing: listed with its figures unavailable.
      if (e instanceof ConnectError && e.code === Code.NotFound) {
        return {
          ...summary(t),
          retained: null,
          bytes: null,
          highWatermarks: null,
          unownedPartitions: null,
        };
      }
      throw e;
    }
  });
  return { ...page, items };
}

export async function topicView(admin: AdminClient, name: string) {
  const d = await admin.describeTopic({ name }, { timeoutMs: ADMIN_CALL_TIMEOUT_MS });
  const topic = d.topic;
  return {
    ...(topic === undefined
      ? { name, topicId: '', partitionCount: d.partitions.length, configs: {} }
      : {
          name: topic.name,
          topicId: topic.topicId,
          partitionCount: topic.partitions,
          configs: { ...topic.configs },
        }),
    createdAtMs: int64(d.createdAtMs),
    ...totals(d),
    partitions: d.partitions.map((p) => ({
      partition: p.partition,
      assignedNode: p.assignedNode === '' ? null : p.assignedNode,
      owner: p.owner === '' ? null : p.owner,
      leaderEpoch: p.leaderEpoch,
      logStartOffset: int64(p.logStartOffset),
      highWatermark: int64(p.highWatermark),
      retained: int64(p.highWatermark - p.logStartOffset),
      bytes: int64(p.bytes),
      indexEntries: p.indexEntries,
      pinned: p.pinned,
    })),
  };
}
