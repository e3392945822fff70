// Transport test, not a storage test: the services are stubs that echo what
// they were given. It shows that a connect-node server (connectNodeAdapter on
// a plain node:http2 server) and two independent gRPC client stacks, the
// @grpc/grpc-js client and connect's createGrpcTransport, agree on the wire:
// paths, framing, protobuf encoding of the generated messages, server
// streaming and gRPC status codes.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type ConnectRouter } from '@connectrpc/connect';
import { createAsyncIterable } from '@connectrpc/connect/protocol';
import { connectNodeAdapter, createGrpcTransport } from '@connectrpc/connect-node';
import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ControlPlaneService,
  WatchMetadataRequestSchema,
  WatchMetadataResponseSchema,
  type WatchMetadataResponse,
} from '../../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import {
  AppendRequestSchema,
  AppendResponseSchema,
  FetchRequestSchema,
  FetchResponseSchema,
  StorageService,
  type AppendResponse,
} from '../../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';

/** Registers the echo stubs: Append reports the sizes it received, Fetch fails, WatchMetadata streams twice. */
function routes(router: ConnectRouter): void {
  router.service(StorageService, {
    append(req) {
      return {
        partitions: req.partitions.map((p) => ({
          topicId: p.topicId,
          topic: p.topic,
          partition: p.partition,
          errorCode: 0,
          // Echo of input lengths: what the stub received, nothing else.
          baseOffset: BigInt(p.records.length),
          logStartOffset: BigInt(p.topicId.length),
          logAppendTimeMs: -1n,
          errorMessage: `acks=${req.acks} timeoutMs=${req.timeoutMs} leaderEpoch=${p.leaderEpoch}`,
        })),
      };
    },
    fetch() {
      throw new ConnectError('stub: no storage behind this transport test', Code.Unavailable);
    },
    // ListOffsets is left out on purpose: the router answers UNIMPLEMENTED.
  });
  router.service(ControlPlaneService, {
    watchMetadata(req) {
      return createAsyncIterable([
        {
          revision: 1n,
          event: { case: 'snapshot', value: { clusterId: `hello ${req.watcherId}`, topics: [] } },
        },
        {
          revision: 2n,
          event: { case: 'update', value: { deletedTopicIds: [new Uint8Array(16)] } },
        },
      ] satisfies MessageInitShape<typeof WatchMetadataResponseSchema>[]);
    },
  });
}

/** Binary (de)serializers for grpc-js, which knows nothing about protobuf-es. */
function codec<D extends DescMessage>(schema: D) {
  return {
    serialize: (m: MessageShape<D>): Buffer => Buffer.from(toBinary(schema, m)),
    // A plain Uint8Array view, so bytes fields decode as Uint8Array, not Buffer.
    deserialize: (b: Buffer): MessageShape<D> =>
      fromBinary(schema, new Uint8Array(b.buffer, b.byteOffset, b.length)),
  };
}

describe('gRPC transport interop: connect-node server with grpc-js and connect clients (echo stubs)', () => {
  let server: http2.Http2Server;
  const sessions = new Set<http2.ServerHttp2Session>();
  let address = '';
  let grpcJs: Client;

  beforeAll(async () => {
    server = http2.createServer(connectNodeAdapter({ routes }));
    server.on('session', (s) => {
      sessions.add(s);
      s.on('close', () => {
        sessions.delete(s);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    grpcJs = new Client(address, credentials.createInsecure());
  });

  afterAll(async () => {
    grpcJs.close();
    for (const s of sessions) s.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });

  const appendRequest = create(AppendRequestSchema, {
    acks: -1,
    timeoutMs: 1500,
    partitions: [
      {
        topicId: new Uint8Array(16).fill(7),
        topic: 'orders',
        partition: 0,
        records: new Uint8Array(61),
        leaderEpoch: 3,
      },
      {
        topicId: new Uint8Array(16).fill(9),
        topic: 'audit',
        partition: 5,
        records: new Uint8Array(0),
        leaderEpoch: -1,
      },
    ],
  });

  function expectEcho(res: AppendResponse): void {
    expect(
      res.partitions.map((p) => [
        p.topic,
        p.partition,
        p.errorCode,
        p.baseOffset,
        p.logStartOffset,
      ]),
    ).toEqual([
      ['orders', 0, 0, 61n, 16n],
      ['audit', 5, 0, 0n, 16n],
    ]);
    expect(res.partitions[0]?.topicId).toEqual(new Uint8Array(16).fill(7));
    expect(res.partitions[0]?.logAppendTimeMs).toBe(-1n);
    expect(res.partitions[0]?.errorMessage).toBe('acks=-1 timeoutMs=1500 leaderEpoch=3');
  }

  it('grpc-js client calls Append on the connect-node server', async () => {
    const req = codec(AppendRequestSchema);
    const res = codec(AppendResponseSchema);
    const reply = await new Promise<AppendResponse>((resolve, reject) => {
      grpcJs.makeUnaryRequest(
        `/${StorageService.typeName}/${StorageService.method.append.name}`,
        req.serialize,
        res.deserialize,
        appendRequest,
        (err: ServiceError | null, value?: AppendResponse) => {
          if (err) reject(err);
          else if (value === undefined) reject(new Error('no response'));
          else resolve(value);
        },
      );
    });
    expectEcho(reply);
  });

  it('grpc-js client sees the gRPC status codes the connect-node server sends', async () => {
    const req = codec(FetchRequestSchema);
    const res = codec(FetchResponseSchema);
    const call = (method: string) =>
      new Promise<ServiceError>((resolve, reject) => {
        grpcJs.makeUnaryRequest(
          `/${StorageService.typeName}/${method}`,
          req.serialize,
          res.deserialize,
          create(FetchRequestSchema),
          (err: ServiceError | null) => {
            if (err) resolve(err);
            else reject(new Error(`${method} succeeded; the stub should have failed it`));
          },
        );
      });
    const unavailable = await call('Fetch');
    expect(unavailable.code).toBe(status.UNAVAILABLE);
    expect(unavailable.details).toContain('no storage behind this transport test');
    expect((await call('ListOffsets')).code).toBe(status.UNIMPLEMENTED);
  });

  it('grpc-js client reads the WatchMetadata server stream to its end', async () => {
    const req = codec(WatchMetadataRequestSchema);
    const res = codec(WatchMetadataResponseSchema);
    const stream = grpcJs.makeServerStreamRequest(
      `/${ControlPlaneService.typeName}/${ControlPlaneService.method.watchMetadata.name}`,
      req.serialize,
      res.deserialize,
      create(WatchMetadataRequestSchema, { watcherId: 'edge-1' }),
    );
    const got: WatchMetadataResponse[] = [];
    for await (const msg of stream) got.push(msg as WatchMetadataResponse);
    expect(got.map((m) => [m.revision, m.event.case])).toEqual([
      [1n, 'snapshot'],
      [2n, 'update'],
    ]);
    const snapshot = got.find((m) => m.event.case === 'snapshot')?.event;
    expect(snapshot?.case === 'snapshot' && snapshot.value.clusterId).toBe('hello edge-1');
  });

  it("connect's createGrpcTransport calls Append and maps errors to ConnectError codes", async () => {
    const transport = createGrpcTransport({ baseUrl: `http://${address}` });
    const storage = createClient(StorageService, transport);
    expectEcho(await storage.append(appendRequest));
    await expect(storage.fetch({})).rejects.toMatchObject({ code: Code.Unavailable });
  });
});
