/**
 * Kafscale's gRPC between services never compresses: the client does not offer gzip, and
 * the server answers uncompressed even to a client that offers it (connect-node's defaults
 * would gzip every answer over 1 KiB).
 */
import http2 from 'node:http2';
import { create } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FetchPartitionResultSchema,
  FetchResponseSchema,
  StorageService,
} from '../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { grpcTransport } from '../../../../lib/grpc/service-transport.js';
import { serveGrpc, type TestGrpcServer } from '../../../support/grpc-server.js';

const BATCH = Buffer.alloc(64 * 1024, 7); // far above connect's 1 KiB compression threshold
let server: TestGrpcServer | undefined;
const offered: (string | null)[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  offered.length = 0;
});

async function start(): Promise<TestGrpcServer> {
  server = await serveGrpc((router) => {
    router.service(StorageService, {
      fetch(_req, ctx) {
        offered.push(ctx.requestHeader.get('grpc-accept-encoding'));
        return create(FetchResponseSchema, {
          partitions: [create(FetchPartitionResultSchema, { partition: 0, batches: [BATCH] })],
        });
      },
    });
  });
  return server;
}

/** The response's grpc-encoding header for a raw gRPC call that offers gzip. */
async function encodingOfAnswerToGzipOffer(baseUrl: string): Promise<string | undefined> {
  const session = http2.connect(baseUrl);
  try {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/kafscale.storage.v1.StorageService/Fetch',
      'content-type': 'application/grpc+proto',
      te: 'trailers',
      'grpc-accept-encoding': 'gzip',
    });
    stream.end(Buffer.from([0, 0, 0, 0, 0])); // an empty FetchRequest, uncompressed
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
      stream.once('response', resolve);
      stream.once('error', reject);
    });
    stream.resume();
    await new Promise((resolve) => stream.once('close', resolve));
    const encoding = headers['grpc-encoding'];
    return Array.isArray(encoding) ? encoding.join(',') : encoding;
  } finally {
    session.close();
  }
}

describe('gRPC between services', () => {
  it('the client offers no compression and gets the bytes back whole', async () => {
    const s = await start();
    const client = createClient(StorageService, grpcTransport(s.baseUrl));
    const res = await client.fetch({ partitions: [{ partition: 0 }] });
    expect(Buffer.from(res.partitions[0]?.batches[0] ?? []).equals(BATCH)).toBe(true);
    expect(offered).toEqual([null]);
    // connect-node's default client would offer gzip (what the server must refuse to use).
    await createClient(StorageService, createGrpcTransport({ baseUrl: s.baseUrl })).fetch({});
    expect(offered[1]).toMatch(/gzip/);
  });

  it('the server answers uncompressed even when the client offers gzip', async () => {
    const s = await start();
    expect(await encodingOfAnswerToGzipOffer(s.baseUrl)).toBeUndefined();
  });
});
