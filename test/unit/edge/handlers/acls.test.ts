/**
 * CreateAcls, DescribeAcls and DeleteAcls through the edge's handlers, against a started
 * controlplane on an in-memory store, with the edge's view fed by the real WatchMetadata
 * stream: bindings written, listed with Kafka's filters, deleted, carried to the edge's
 * authorizer; bad input answered with Kafka's errors.
 */
import { createClient, createRouterTransport } from '@connectrpc/connect';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlplane, type Controlplane } from '../../../../controlplane/src/controlplane.js';
import { buildRegistry } from '../../../../edge/src/edge.js';
import type { HandlerRegistry } from '../../../../edge/src/handlers/handler-registry.js';
import type { RequestContext } from '../../../../edge/src/handlers/kafka-handler.js';
import { WatchedClusterView } from '../../../../edge/src/metadata/watched-cluster-view.js';
import { FixedStorageClients } from '../../../../edge/src/routing/storage-clients.js';
import type { ControlPlaneClient } from '../../../../edge/src/routing/controlplane-client.js';
import { ConnectionAuth } from '../../../../edge/src/security/connection-auth.js';
import {
  aclRequestAuthorizer,
  type RequestAuthorizer,
} from '../../../../edge/src/security/request-authorizer.js';
import { ControlPlaneService } from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  createAclsApi,
  deleteAclsApi,
  describeAclsApi,
  type CreateAclsRequest,
  type CreateAclsResponse,
  type DeleteAclsRequest,
  type DeleteAclsResponse,
  type DescribeAclsRequest,
  type DescribeAclsResponse,
} from '../../../../lib/kafka/gen/index.js';
import { Reader } from '../../../../lib/kafka/protocol/reader.js';
import { Writer } from '../../../../lib/kafka/protocol/writer.js';
import { AclOperation as Op, ResourceType } from '../../../../lib/security/acl/acl-binding.js';
import { bindingProblem } from '../../../../lib/security/acl/acl-validation.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';

const log = pino({ level: 'silent' });
let store: MemoryMetadataStore;
let cp: Controlplane;
let view: WatchedClusterView;
let registry: HandlerRegistry;
let authorizer: RequestAuthorizer;
let client: ControlPlaneClient;

function ctx(principal: string, apiVersion = 3): RequestContext {
  return {
    apiVersion,
    correlationId: 1,
    clientId: 'test',
    clientHost: '/10.0.0.1',
    auth: new ConnectionAuth(principal, undefined, log),
    log,
  };
}

const admin = ctx('User:admin');

async function call<Res>(apiKey: number, request: unknown, c = admin): Promise<Res> {
  const handler = registry.get(apiKey);
  if (handler === undefined) throw new Error(`no handler for ${apiKey}`);
  return (await handler.handle(request, c)) as Res;
}

const creation = (over: Partial<CreateAclsRequest['creations'][number]> = {}) => ({
  resourceType: ResourceType.TOPIC,
  resourceName: 'orders',
  resourcePatternType: 3,
  principal: 'User:alice',
  host: '*',
  operation: Op.WRITE,
  permissionType: 3,
  ...over,
});

const filter = (over: Partial<DescribeAclsRequest> = {}): DescribeAclsRequest => ({
  resourceTypeFilter: ResourceType.ANY,
  resourceNameFilter: null,
  patternTypeFilter: 1,
  principalFilter: null,
  hostFilter: null,
  operation: Op.ANY,
  permissionType: 1,
  ...over,
});

const create = (creations: CreateAclsRequest['creations'], c = admin) =>
  call<CreateAclsResponse>(createAclsApi.apiKey, { creations }, c);
const describeAcls = (f: DescribeAclsRequest, c = admin) =>
  call<DescribeAclsResponse>(describeAclsApi.apiKey, f, c);
const deleteAcls = (filters: DeleteAclsRequest['filters'], c = admin) =>
  call<DeleteAclsResponse>(deleteAclsApi.apiKey, { filters }, c);

beforeAll(async () => {
  store = new MemoryMetadataStore();
  cp = await startControlplane({
    replicaId: 'cp-1',
    metadata: store,
    clusterId: 'acl-test',
    defaultPartitions: 1,
    leaseTtlSeconds: 5,
  });
  client = createClient(
    ControlPlaneService,
    createRouterTransport((r) => r.service(ControlPlaneService, cp.service)),
  );
  view = new WatchedClusterView(
    { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
    client,
    'test-edge',
    log,
  );
  view.start();
  await view.ready;
  authorizer = aclRequestAuthorizer(
    { kind: 'acl', superUsers: ['User:admin'], allowEveryoneIfNoAclFound: false },
    view.acls,
  );
  registry = buildRegistry({
    cluster: view,
    storage: new FixedStorageClients(new Map()),
    controlplane: client,
    authorizer,
    untilSeen: (revision) => view.untilRevision(revision, 5000),
  });
});

afterAll(async () => {
  view.stop();
  await cp.stop();
  await store.close();
});

describe('ACL APIs', () => {
  it('creates bindings, refuses bad ones with INVALID_REQUEST, and the edge authorizes with them at once', async () => {
    const alice = ctx('User:alice');
    expect(authorizer.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'orders')).toBe(false);
    const res = await create([
      creation(),
      creation({ resourceName: 'team-a.', resourcePatternType: 4, operation: Op.READ }),
      creation({ resourcePatternType: 2 }),
      creation({ principal: 'alice' }),
      creation({ resourceType: 99 }),
      creation({ resourceType: ResourceType.CLUSTER, resourceName: 'x' }),
      creation({ operation: Op.ANY }),
    ]);
    expect(res.results.map((r) => r.errorCode)).toEqual([
      0,
      0,
      KafkaError.INVALID_REQUEST,
      KafkaError.INVALID_REQUEST,
      KafkaError.INVALID_REQUEST,
      KafkaError.INVALID_REQUEST,
      KafkaError.INVALID_REQUEST,
    ]);
    expect(res.results[3]?.errorMessage).toMatch(/principal/);
    // The answer came after this edge's view held the new bindings.
    expect(view.acls.size).toBe(2);
    expect(authorizer.authorize(alice, Op.WRITE, ResourceType.TOPIC, 'orders')).toBe(true);
    expect(authorizer.authorize(alice, Op.DESCRIBE, ResourceType.TOPIC, 'orders')).toBe(true);
    expect(authorizer.authorize(alice, Op.READ, ResourceType.TOPIC, 'team-a.x')).toBe(true);
    expect(authorizer.authorize(alice, Op.READ, ResourceType.TOPIC, 'team-b.x')).toBe(false);
    // Creating the same binding again is no error and adds nothing.
    expect((await create([creation()])).results[0]?.errorCode).toBe(0);
    expect(view.acls.size).toBe(2);
    // An edge that starts now gets them in its first snapshot.
    const late = new WatchedClusterView(
      { nodeId: 2, host: '127.0.0.1', port: 9093, rack: null },
      client,
      'late-edge',
      log,
    );
    late.start();
    await late.ready;
    expect(late.acls.all()).toEqual(expect.arrayContaining(view.acls.all()));
    expect(late.acls.size).toBe(2);
    late.stop();
  });

  it('describes with Kafka filters, grouped by resource pattern', async () => {
    const all = await describeAcls(filter());
    expect(all.errorCode).toBe(0);
    expect(all.resources.map((r) => [r.resourceName, r.patternType, r.acls.length])).toEqual(
      expect.arrayContaining([
        ['orders', 3, 1],
        ['team-a.', 4, 1],
      ]),
    );
    const match = await describeAcls(
      filter({
        resourceTypeFilter: ResourceType.TOPIC,
        resourceNameFilter: 'team-a.orders',
        patternTypeFilter: 2,
      }),
    );
    expect(match.resources.map((r) => r.resourceName)).toEqual(['team-a.']);
    const literal = await describeAcls(filter({ patternTypeFilter: 3 }));
    expect(literal.resources.map((r) => r.resourceName)).toEqual(['orders']);
    const byPrincipal = await describeAcls(filter({ principalFilter: 'User:bob' }));
    expect(byPrincipal.resources).toEqual([]);
  });

  it('answers a filter with unknown parts with INVALID_REQUEST', async () => {
    for (const bad of [
      filter({ resourceTypeFilter: 0 }),
      filter({ patternTypeFilter: 0 }),
      filter({ operation: 42 }),
      filter({ permissionType: -7 }),
    ]) {
      const res = await describeAcls(bad);
      expect(res.errorCode).toBe(KafkaError.INVALID_REQUEST);
    }
    const del = await deleteAcls([filter({ operation: 0 }), filter({ principalFilter: 'User:x' })]);
    expect(del.filterResults.map((r) => r.errorCode)).toEqual([KafkaError.INVALID_REQUEST, 0]);
  });

  it('needs ALTER (create, delete) or DESCRIBE (describe) on the cluster', async () => {
    const bob = ctx('User:bob');
    const created = await create([creation({ principal: 'User:bob' })], bob);
    expect(created.results[0]?.errorCode).toBe(KafkaError.CLUSTER_AUTHORIZATION_FAILED);
    expect((await describeAcls(filter(), bob)).errorCode).toBe(
      KafkaError.CLUSTER_AUTHORIZATION_FAILED,
    );
    const deleted = await deleteAcls([filter()], bob);
    expect(deleted.filterResults[0]?.errorCode).toBe(KafkaError.CLUSTER_AUTHORIZATION_FAILED);
    expect(view.acls.size).toBe(2);
  });

  it('deletes what the filters match, lists it per filter, and the edge forgets it at once', async () => {
    const res = await deleteAcls([
      filter({
        resourceTypeFilter: ResourceType.TOPIC,
        resourceNameFilter: 'orders',
        patternTypeFilter: 3,
      }),
      filter({ patternTypeFilter: 4 }),
    ]);
    expect(res.filterResults.map((r) => r.matchingAcls.map((a) => a.resourceName))).toEqual([
      ['orders'],
      ['team-a.'],
    ]);
    expect(view.acls.size).toBe(0);
    expect(authorizer.authorize(ctx('User:alice'), Op.WRITE, ResourceType.TOPIC, 'orders')).toBe(
      false,
    );
    expect((await describeAcls(filter())).resources).toEqual([]);
  });

  it('answers mutated requests with Kafka errors, never a throw', async () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const valid = [
      [createAclsApi, { creations: [creation(), creation({ resourcePatternType: 4 })] }],
      [describeAclsApi, filter({ resourceNameFilter: 'orders', principalFilter: 'User:a' })],
      [deleteAclsApi, { filters: [filter({ resourceNameFilter: 'nothing-here' })] }],
    ] as const;
    let answered = 0;
    for (let i = 0; i < 200; i++) {
      for (const [api, request] of valid) {
        const version = 1 + (i % 3);
        const w = new Writer(128);
        (api.request.encode as (w: Writer, m: unknown, v: number) => void)(w, request, version);
        const bytes = w.toBuffer();
        for (let flips = 1 + random(3); flips > 0; flips--)
          bytes[random(bytes.length)] = random(256);
        let decoded: unknown;
        try {
          decoded = api.request.decode(new Reader(bytes), version);
        } catch {
          continue; // the codec refuses it: the connection closes, as Kafka's does
        }
        await expect(call(api.apiKey, decoded)).resolves.toBeDefined();
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(100);
    // Whatever the mutated creations made is a binding Kafka's rules accept.
    for (const b of view.acls.all()) expect(bindingProblem(b)).toBeUndefined();
    await deleteAcls([filter()]);
    expect(view.acls.size).toBe(0);
  });
});

describe('ACL APIs without an authorizer', () => {
  it('answer SECURITY_DISABLED, as Kafka does', async () => {
    const plain = buildRegistry({
      cluster: view,
      storage: new FixedStorageClients(new Map()),
      controlplane: createClient(
        ControlPlaneService,
        createRouterTransport((r) => r.service(ControlPlaneService, cp.service)),
      ),
    });
    const c = ctx('User:ANONYMOUS');
    const created = (await plain
      .get(30)
      ?.handle({ creations: [creation()] }, c)) as CreateAclsResponse;
    expect(created.results[0]?.errorCode).toBe(KafkaError.SECURITY_DISABLED);
    const described = (await plain.get(29)?.handle(filter(), c)) as DescribeAclsResponse;
    expect(described.errorCode).toBe(KafkaError.SECURITY_DISABLED);
    const deleted = (await plain.get(31)?.handle({ filters: [filter()] }, c)) as DeleteAclsResponse;
    expect(deleted.filterResults[0]?.errorCode).toBe(KafkaError.SECURITY_DISABLED);
    expect(view.acls.size).toBe(0);
  });
});
