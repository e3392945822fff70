/**
 * Bad input to the group APIs through a real listener (the embedded broker, in-process):
 * every case gets the Kafka error Apache Kafka gives, and the broker goes on serving.
 * A malformed group request closes only its own connection.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevBroker } from '../../../lib/cli/dev.js';
import { loadConfig } from '../../../lib/config/config.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  createTopicsApi,
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
  defaultHeartbeatRequest,
  defaultJoinGroupRequest,
  defaultOffsetCommitRequest,
  defaultOffsetCommitRequestPartition,
  defaultSyncGroupRequest,
  findCoordinatorApi,
  heartbeatApi,
  joinGroupApi,
  offsetCommitApi,
  syncGroupApi,
  type CreateTopicsResponse,
  type FindCoordinatorResponse,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type OffsetCommitResponse,
  type SyncGroupResponse,
} from '../../../lib/kafka/gen/index.js';
import { createLogger } from '../../../lib/log/logger.js';
import { RawKafkaClient } from '../../support/raw-kafka-client.js';

let dir: string;
let broker: DevBroker;
let client: RawKafkaClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafscale-group-bad-input-'));
  const config = loadConfig({
    KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
    KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  });
  broker = await startDev(
    { dataDir: dir, kafkaHost: '127.0.0.1', kafkaPort: 0 },
    config,
    createLogger('test', 'silent'),
  );
  client = await RawKafkaClient.connect(broker.port);
  // Wait until the controlplane holds the shards (FindCoordinator answers with an edge).
  for (let i = 0; i < 100; i++) {
    const r = await client.request<FindCoordinatorResponse>(findCoordinatorApi, 3, {
      key: 'g',
      keyType: 0,
      coordinatorKeys: [],
    });
    if (r.errorCode === 0) break;
    await new Promise((res) => setTimeout(res, 50));
  }
}, 60_000);

afterAll(async () => {
  client.close();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
});

function joinRequest(over: Partial<JoinGroupRequest>): JoinGroupRequest {
  return {
    ...defaultJoinGroupRequest(),
    groupId: 'bad-input',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array([0, 1, 0, 0, 0, 0]) }],
    ...over,
  };
}

describe('group APIs refuse bad input with Kafka errors', () => {
  it('session timeouts outside the configured bounds: INVALID_SESSION_TIMEOUT', async () => {
    for (const sessionTimeoutMs of [1, 5_999, 1_800_001]) {
      const r = await client.request<JoinGroupResponse>(
        joinGroupApi,
        5,
        joinRequest({ sessionTimeoutMs }),
      );
      expect(r.errorCode).toBe(KafkaError.INVALID_SESSION_TIMEOUT);
    }
  });

  it('unknown members, unknown groups and wrong generations', async () => {
    const unknownMember = await client.request<JoinGroupResponse>(
      joinGroupApi,
      5,
      joinRequest({ memberId: 'never-issued' }),
    );
    expect(unknownMember.errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    const hb = await client.request<HeartbeatResponse>(heartbeatApi, 3, {
      ...defaultHeartbeatRequest(),
      groupId: 'no-such-group',
      generationId: 1,
      memberId: 'm',
    });
    expect(hb.errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);

    // A real member of generation 1, then a sync and a commit with generation 7.
    const first = await client.request<JoinGroupResponse>(joinGroupApi, 5, joinRequest({}));
    expect(first.errorCode).toBe(KafkaError.MEMBER_ID_REQUIRED);
    const joined = await client.request<JoinGroupResponse>(
      joinGroupApi,
      5,
      joinRequest({ memberId: first.memberId }),
    );
    expect(joined.errorCode).toBe(0);
    const sync = await client.request<SyncGroupResponse>(syncGroupApi, 3, {
      ...defaultSyncGroupRequest(),
      groupId: 'bad-input',
      generationId: joined.generationId + 6,
      memberId: joined.memberId,
    });
    expect(sync.errorCode).toBe(KafkaError.ILLEGAL_GENERATION);
    await client.request<CreateTopicsResponse>(createTopicsApi, 5, {
      ...defaultCreateTopicsRequest(),
      timeoutMs: 10_000,
      topics: [
        {
          ...defaultCreateTopicsRequestCreatableTopic(),
          name: 'bad-input-topic',
          numPartitions: 1,
          replicationFactor: 1,
        },
      ],
    });
    const commit = await client.request<OffsetCommitResponse>(offsetCommitApi, 7, {
      ...defaultOffsetCommitRequest(),
      groupId: 'bad-input',
      generationIdOrMemberEpoch: joined.generationId + 6,
      memberId: joined.memberId,
      topics: [
        {
          name: 'bad-input-topic',
          partitions: [
            { ...defaultOffsetCommitRequestPartition(), partitionIndex: 0, committedOffset: 1n },
            { ...defaultOffsetCommitRequestPartition(), partitionIndex: 9, committedOffset: 1n },
          ],
        },
      ],
    });
    expect(commit.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([
      KafkaError.ILLEGAL_GENERATION,
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
  });

  it('oversized member metadata: INVALID_REQUEST, and the broker keeps serving', async () => {
    const r = await client.request<JoinGroupResponse>(
      joinGroupApi,
      5,
      joinRequest({
        groupId: 'big-metadata',
        protocols: [{ name: 'range', metadata: new Uint8Array(300 * 1024) }],
      }),
    );
    expect(r.errorCode).toBe(KafkaError.INVALID_REQUEST);
    const again = await client.request<JoinGroupResponse>(
      joinGroupApi,
      5,
      joinRequest({ groupId: 'big-metadata' }),
    );
    expect(again.errorCode).toBe(KafkaError.MEMBER_ID_REQUIRED);
  });

  it('a truncated JoinGroup frame closes only that connection', async () => {
    const bad = await RawKafkaClient.connect(broker.port);
    const { bytes } = bad.frame(joinGroupApi, 5, joinRequest({}));
    // Keep the size prefix honest but cut the body short: the protocol list is missing.
    const body = bytes.subarray(4, bytes.length - 12);
    const frame = Buffer.alloc(4 + body.length);
    frame.writeInt32BE(body.length, 0);
    body.copy(frame, 4);
    bad.write(frame);
    await bad.closed;
    const ok = await client.request<HeartbeatResponse>(heartbeatApi, 3, {
      ...defaultHeartbeatRequest(),
      groupId: 'no-such-group',
      generationId: 1,
      memberId: 'm',
    });
    expect(ok.errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);
  });
});
