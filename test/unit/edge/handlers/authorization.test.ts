/**
 * Every API Kafka authorizes, against a principal that the ACLs allow nothing: each answers
 * with Kafka's authorization error (TOPIC_, GROUP_, CLUSTER_ or TRANSACTIONAL_ID_
 * AUTHORIZATION_FAILED) and forwards nothing to the controlplane, the storage nodes or the
 * group coordinators; listings leave out what the principal may not describe. Then the same
 * principal with the ACLs it needs gets through.
 */
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../../edge/src/edge.js';
import type { HandlerRegistry } from '../../../../edge/src/handlers/handler-registry.js';
import type { RequestContext } from '../../../../edge/src/handlers/kafka-handler.js';
import { FixedStorageClients } from '../../../../edge/src/routing/storage-clients.js';
import { ConnectionAuth } from '../../../../edge/src/security/connection-auth.js';
import { aclRequestAuthorizer } from '../../../../edge/src/security/request-authorizer.js';
import { StorageService } from '../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import * as gen from '../../../../lib/kafka/gen/index.js';
import {
  AclOperation as Op,
  AclPermission,
  PatternType,
  ResourceType,
  type AclBinding,
} from '../../../../lib/security/acl/acl-binding.js';
import { AclIndex } from '../../../../lib/security/acl/acl-index.js';
import { FakeControlplane } from './config-harness.js';
import { SHARDS_OF_A, groupOn, groupWorld, silentLog, type GroupWorld } from './group-harness.js';

const T = KafkaError.TOPIC_AUTHORIZATION_FAILED;
const G = KafkaError.GROUP_AUTHORIZATION_FAILED;
const C = KafkaError.CLUSTER_AUTHORIZATION_FAILED;
const X = KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;

let world: GroupWorld;
let controlplane: FakeControlplane;
let storageCalls: string[];
let acls: AclIndex;
let registry: HandlerRegistry;
const group = groupOn(SHARDS_OF_A);

function ctx(apiVersion: number): RequestContext {
  return {
    apiVersion,
    correlationId: 1,
    clientId: 'test',
    clientHost: '/10.0.0.1',
    auth: new ConnectionAuth('User:mallory', undefined, silentLog),
    log: silentLog,
  };
}

async function call<Res>(apiKey: number, version: number, request: unknown): Promise<Res> {
  const handler = registry.get(apiKey);
  if (handler === undefined) throw new Error(`no handler for ${apiKey}`);
  return (await handler.handle(request, ctx(version))) as Res;
}

function allow(resourceType: number, resourceName: string, operation: number): AclBinding {
  return {
    resourceType,
    resourceName,
    patternType: PatternType.LITERAL,
    principal: 'User:mallory',
    host: '*',
    operation,
    permission: AclPermission.ALLOW,
  };
}

beforeEach(() => {
  world = groupWorld({});
  controlplane = new FakeControlplane({});
  storageCalls = [];
  const storage = createClient(
    StorageService,
    createRouterTransport((r) => r.service(StorageService, {}), {
      router: {
        interceptors: [
          (next) => (req) => {
            storageCalls.push(req.method.name);
            return next(req);
          },
        ],
      },
    }),
  );
  acls = new AclIndex();
  // Someone else's ACL: the topics have ACLs, the principal has none of them.
  acls.replaceAll([{ ...allow(ResourceType.TOPIC, '*', Op.ALL), principal: 'User:alice' }]);
  registry = buildRegistry({
    cluster: world.view,
    storage: new FixedStorageClients(new Map([['s1', storage]])),
    controlplane: controlplane.client,
    groupCoordinators: world.coordinators,
    authorizer: aclRequestAuthorizer(
      { kind: 'acl', superUsers: [], allowEveryoneIfNoAclFound: false },
      acls,
    ),
  });
});

describe('a principal the ACLs allow nothing', () => {
  it('is refused per topic by the partition APIs, before anything is forwarded', async () => {
    const produce = await call<gen.ProduceResponse>(0, 9, {
      ...gen.defaultProduceRequest(),
      acks: -1,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: new Uint8Array(70) }] }],
    });
    expect(produce.responses[0]?.partitionResponses[0]?.errorCode).toBe(T);
    const fetch = await call<gen.FetchResponse>(1, 12, {
      ...gen.defaultFetchRequest(),
      topics: [
        {
          ...gen.defaultFetchRequestFetchTopic(),
          topic: 'orders',
          partitions: [{ ...gen.defaultFetchRequestFetchPartition(), partition: 0 }],
        },
        {
          ...gen.defaultFetchRequestFetchTopic(),
          topic: 'no-such',
          partitions: [{ ...gen.defaultFetchRequestFetchPartition(), partition: 0 }],
        },
      ],
    });
    expect(fetch.responses.map((t) => t.partitions[0]?.errorCode)).toEqual([T, T]);
    const list = await call<gen.ListOffsetsResponse>(2, 7, {
      ...gen.defaultListOffsetsRequest(),
      topics: [
        {
          name: 'orders',
          partitions: [
            { ...gen.defaultListOffsetsRequestListOffsetsPartition(), partitionIndex: 0 },
          ],
        },
      ],
    });
    expect(list.topics[0]?.partitions[0]?.errorCode).toBe(T);
    const epochs = await call<gen.OffsetForLeaderEpochResponse>(23, 4, {
      ...gen.defaultOffsetForLeaderEpochRequest(),
      topics: [
        {
          topic: 'orders',
          partitions: [
            { ...gen.defaultOffsetForLeaderEpochRequestOffsetForLeaderPartition(), partition: 0 },
          ],
        },
      ],
    });
    expect(epochs.topics[0]?.partitions[0]?.errorCode).toBe(T);
    const deleted = await call<gen.DeleteRecordsResponse>(21, 2, {
      ...gen.defaultDeleteRecordsRequest(),
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 1n }] }],
    });
    expect(deleted.topics[0]?.partitions[0]?.errorCode).toBe(T);
    const producers = await call<gen.DescribeProducersResponse>(61, 0, {
      topics: [{ name: 'orders', partitionIndexes: [0] }],
    });
    expect(producers.topics[0]?.partitions[0]?.errorCode).toBe(T);
    expect(storageCalls).toEqual([]);
  });

  it('sees no topic in Metadata and cannot auto-create one', async () => {
    const all = await call<gen.MetadataResponse>(3, 12, {
      ...gen.defaultMetadataRequest(),
      topics: null,
    });
    expect(all.topics).toEqual([]);
    const named = await call<gen.MetadataResponse>(3, 12, {
      ...gen.defaultMetadataRequest(),
      topics: [
        { ...gen.defaultMetadataRequestTopic(), name: 'orders' },
        { ...gen.defaultMetadataRequestTopic(), name: 'new-topic' },
      ],
      allowAutoTopicCreation: true,
    });
    expect(named.topics.map((t) => [t.name, t.errorCode, t.topicId])).toEqual([
      ['orders', T, 'AAAAAAAAAAAAAAAAAAAAAA'],
      ['new-topic', T, 'AAAAAAAAAAAAAAAAAAAAAA'],
    ]);
  });

  it('is refused by the admin APIs, per topic or for the cluster', async () => {
    const created = await call<gen.CreateTopicsResponse>(19, 7, {
      ...gen.defaultCreateTopicsRequest(),
      topics: [{ ...gen.defaultCreateTopicsRequestCreatableTopic(), name: 'new-topic' }],
    });
    expect(created.topics[0]?.errorCode).toBe(T);
    const deleted = await call<gen.DeleteTopicsResponse>(20, 6, {
      ...gen.defaultDeleteTopicsRequest(),
      topics: [{ name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    });
    expect(deleted.responses[0]?.errorCode).toBe(T);
    const raised = await call<gen.CreatePartitionsResponse>(37, 3, {
      ...gen.defaultCreatePartitionsRequest(),
      topics: [{ name: 'orders', count: 5, assignments: null }],
    });
    expect(raised.results[0]?.errorCode).toBe(T);
    const configs = await call<gen.DescribeConfigsResponse>(32, 4, {
      ...gen.defaultDescribeConfigsRequest(),
      resources: [
        { resourceType: 2, resourceName: 'orders', configurationKeys: null },
        { resourceType: 4, resourceName: '1', configurationKeys: null },
      ],
    });
    expect(configs.results.map((r) => r.errorCode)).toEqual([T, C]);
    const altered = await call<gen.IncrementalAlterConfigsResponse>(44, 1, {
      ...gen.defaultIncrementalAlterConfigsRequest(),
      resources: [
        { resourceType: 2, resourceName: 'orders', configs: [] },
        { resourceType: 4, resourceName: '', configs: [] },
      ],
    });
    expect(altered.responses.map((r) => r.errorCode)).toEqual([T, C]);
    const replaced = await call<gen.AlterConfigsResponse>(33, 2, {
      ...gen.defaultAlterConfigsRequest(),
      resources: [{ resourceType: 2, resourceName: 'orders', configs: [] }],
    });
    expect(replaced.responses[0]?.errorCode).toBe(T);
    const elected = await call<gen.ElectLeadersResponse>(43, 2, {
      ...gen.defaultElectLeadersRequest(),
      topicPartitions: [{ topic: 'orders', partitions: [0] }],
    });
    expect([
      elected.errorCode,
      elected.replicaElectionResults[0]?.partitionResult[0]?.errorCode,
    ]).toEqual([C, C]);
    const idempotent = await call<gen.InitProducerIdResponse>(22, 4, {
      ...gen.defaultInitProducerIdRequest(),
      transactionalId: null,
    });
    expect(idempotent.errorCode).toBe(C);
    const transactional = await call<gen.InitProducerIdResponse>(22, 4, {
      ...gen.defaultInitProducerIdRequest(),
      transactionalId: 'tx-1',
    });
    expect(transactional.errorCode).toBe(X);
    const produceTx = await call<gen.ProduceResponse>(0, 9, {
      ...gen.defaultProduceRequest(),
      transactionalId: 'tx-1',
      acks: -1,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: new Uint8Array(70) }] }],
    });
    expect(produceTx.responses[0]?.partitionResponses[0]?.errorCode).toBe(X);
    const scram = await call<gen.DescribeUserScramCredentialsResponse>(
      50,
      0,
      gen.defaultDescribeUserScramCredentialsRequest(),
    );
    expect(scram.errorCode).toBe(C);
    const scramAlter = await call<gen.AlterUserScramCredentialsResponse>(51, 0, {
      ...gen.defaultAlterUserScramCredentialsRequest(),
      deletions: [{ name: 'alice', mechanism: 1 }],
    });
    expect(scramAlter.results[0]?.errorCode).toBe(C);
    const aclCreate = await call<gen.CreateAclsResponse>(30, 3, {
      creations: [
        {
          ...gen.defaultCreateAclsRequest(),
          resourceType: 2,
          resourceName: 'x',
          resourcePatternType: 3,
          principal: 'User:mallory',
          host: '*',
          operation: 2,
          permissionType: 3,
        },
      ],
    });
    expect(aclCreate.results[0]?.errorCode).toBe(C);
    const aclDescribe = await call<gen.DescribeAclsResponse>(29, 3, {
      ...gen.defaultDescribeAclsRequest(),
      resourceTypeFilter: 1,
      patternTypeFilter: 1,
      operation: 1,
      permissionType: 1,
    });
    expect(aclDescribe.errorCode).toBe(C);
    const quotas = await call<gen.DescribeClientQuotasResponse>(48, 1, {
      ...gen.defaultDescribeClientQuotasRequest(),
      components: [],
    });
    expect(quotas.errorCode).toBe(C);
    const quotaAlter = await call<gen.AlterClientQuotasResponse>(49, 1, {
      ...gen.defaultAlterClientQuotasRequest(),
      entries: [
        {
          entity: [{ entityType: 'client-id', entityName: 'app' }],
          ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }],
        },
      ],
    });
    expect(quotaAlter.entries.map((e) => e.errorCode)).toEqual([C]);
    expect(controlplane.calls).toEqual([]);
    expect(storageCalls).toEqual([]);
  });

  it('is refused by every group API, which forward nothing', async () => {
    const commit = await call<gen.OffsetCommitResponse>(8, 9, {
      ...gen.defaultOffsetCommitRequest(),
      groupId: group,
      topics: [
        {
          name: 'orders',
          partitions: [{ ...gen.defaultOffsetCommitRequestPartition(), partitionIndex: 0 }],
        },
      ],
    });
    expect(commit.topics[0]?.partitions[0]?.errorCode).toBe(G);
    const fetched = await call<gen.OffsetFetchResponse>(9, 8, {
      ...gen.defaultOffsetFetchRequest(),
      groups: [
        {
          groupId: group,
          memberId: null,
          memberEpoch: -1,
          topics: [{ name: 'orders', partitionIndexes: [0] }],
        },
      ],
    });
    expect(fetched.groups[0]?.errorCode).toBe(G);
    const found = await call<gen.FindCoordinatorResponse>(10, 4, {
      ...gen.defaultFindCoordinatorRequest(),
      coordinatorKeys: [group],
    });
    expect(found.coordinators[0]?.errorCode).toBe(G);
    const foundTx = await call<gen.FindCoordinatorResponse>(10, 4, {
      ...gen.defaultFindCoordinatorRequest(),
      keyType: 1,
      coordinatorKeys: ['tx-1'],
    });
    expect(foundTx.coordinators[0]?.errorCode).toBe(X);
    for (const [key, version] of [
      [11, 9],
      [12, 4],
      [13, 5],
      [14, 5],
    ] as const) {
      const res = await call<{ errorCode: number }>(key, version, {
        ...(registry.get(key)?.api.request.create() as object),
        groupId: group,
      });
      expect(res.errorCode, `api ${key}`).toBe(G);
    }
    const described = await call<gen.DescribeGroupsResponse>(15, 5, {
      ...gen.defaultDescribeGroupsRequest(),
      groups: [group],
    });
    expect(described.groups[0]?.errorCode).toBe(G);
    const deleted = await call<gen.DeleteGroupsResponse>(42, 2, { groupsNames: [group] });
    expect(deleted.results[0]?.errorCode).toBe(G);
    const offsetsDeleted = await call<gen.OffsetDeleteResponse>(47, 0, {
      groupId: group,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }] }],
    });
    expect(offsetsDeleted.errorCode).toBe(G);
    expect([...world.a.calls, ...world.b.calls]).toEqual([]);
  });
});

describe('the same principal with the ACLs it needs', () => {
  it('gets through to the collaborators', async () => {
    acls.add(allow(ResourceType.GROUP, group, Op.READ));
    acls.add({
      ...allow(ResourceType.TOPIC, 'ord', Op.DESCRIBE),
      patternType: PatternType.PREFIXED,
    });
    acls.add(allow(ResourceType.TOPIC, 'orders', Op.WRITE));
    const heartbeat = await call<gen.HeartbeatResponse>(12, 4, {
      ...gen.defaultHeartbeatRequest(),
      groupId: group,
    });
    expect(heartbeat.errorCode).not.toBe(G);
    expect(world.a.calls.map((c) => c.method)).toEqual(['Heartbeat']);
    const all = await call<gen.MetadataResponse>(3, 12, {
      ...gen.defaultMetadataRequest(),
      topics: null,
      includeTopicAuthorizedOperations: true,
    });
    expect(all.topics.map((t) => [t.name, t.errorCode])).toEqual([['orders', 0]]);
    expect(all.topics[0]?.topicAuthorizedOperations).toBe((1 << Op.WRITE) | (1 << Op.DESCRIBE));
    const idempotent = await call<gen.InitProducerIdResponse>(22, 4, {
      ...gen.defaultInitProducerIdRequest(),
      transactionalId: null,
    });
    expect(idempotent.errorCode).not.toBe(C);
    expect(controlplane.calls.map((c) => c.method)).toEqual(['InitProducerId']);
  });
});
