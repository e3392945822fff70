/**
 * The gRPC traffic between services runs with wide HTTP/2 windows and large frames
 * (lib/grpc/http2-windows.ts): the server advertises them and widens each connection, the
 * client does the same on its side, and an answer of several MiB arrives whole.
 */
import http2 from 'node:http2';
import { create } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FetchPartitionResultSchema,
  FetchResponseSchema,
  StorageService,
} from '../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import {
  SERVICE_HTTP2_SETTINGS,
  SERVICE_MAX_FRAME_BYTES,
  SERVICE_WINDOW_BYTES,
  WideWindowSessionManager,
} from '../../../../lib/grpc/http2-windows.js';
import { grpcTransport } from '../../../../lib/grpc/service-transport.js';
import { serveGrpc, type TestGrpcServer } from '../../../support/grpc-server.js';

/** 8 MiB in batches of 100 KiB, each a different byte, so that a reordering would show. */
const BATCHES = Array.from({ length: 82 }, (_, i) => Buffer.alloc(100 * 1024, i));
const HTTP2_DEFAULT_WINDOW = 65_535;
let server: TestGrpcServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<TestGrpcServer> {
  server = await serveGrpc((router) => {
    router.service(StorageService, {
      fetch: () =>
        create(FetchResponseSchema, {
          partitions: [create(FetchPartitionResultSchema, { partition: 0, batches: BATCHES })],
        }),
    });
  });
  return server;
}

/**
 * Waits until the peer has answered a ping: it acknowledges SETTINGS and sends its
 * WINDOW_UPDATE before, so both have arrived by then.
 */
async function settle(session: http2.ClientHttp2Session): Promise<void> {
  if (session.connecting) await new Promise((resolve) => session.once('connect', resolve));
  await new Promise<void>((resolve, reject) => {
    session.ping((err) => {
      if (err === null) resolve();
      else reject(err);
    });
  });
}

describe('HTTP/2 windows between services', () => {
  it('the server advertises the wide stream window and large frames, and widens the connection', async () => {
    const s = await start();
    const session = http2.connect(s.baseUrl); // HTTP/2's defaults on this side
    try {
      await settle(session);
      expect(session.remoteSettings.initialWindowSize).toBe(SERVICE_WINDOW_BYTES);
      expect(session.remoteSettings.maxFrameSize).toBe(SERVICE_MAX_FRAME_BYTES);
      // What this client may send before the server's next update: the widened window.
      expect(session.state.remoteWindowSize).toBe(SERVICE_WINDOW_BYTES);
    } finally {
      session.close();
    }
  });

  it('the client session manager widens its connection on the first stream', async () => {
    const s = await start();
    const manager = new WideWindowSessionManager(
      s.baseUrl,
      {},
      { settings: SERVICE_HTTP2_SETTINGS },
    );
    const stream = await manager.request(
      'POST',
      '/kafscale.storage.v1.StorageService/Fetch',
      {
        'content-type': 'application/grpc+proto',
        te: 'trailers',
      },
      {},
    );
    const session = stream.session as http2.ClientHttp2Session;
    try {
      await settle(session);
      expect(session.localSettings.initialWindowSize).toBe(SERVICE_WINDOW_BYTES);
      expect(session.localSettings.maxFrameSize).toBe(SERVICE_MAX_FRAME_BYTES);
      expect(session.state.localWindowSize).toBe(SERVICE_WINDOW_BYTES);
      // A plain session stays at the protocol's default, so the check above can fail.
      const plain = http2.connect(s.baseUrl);
      await settle(plain);
      expect(plain.state.localWindowSize).toBe(HTTP2_DEFAULT_WINDOW);
      plain.close();
    } finally {
      stream.close();
      session.close();
    }
  });

  it('an answer of several MiB arrives whole over the service transport', async () => {
    const s = await start();
    const client = createClient(StorageService, grpcTransport(s.baseUrl));
    for (let i = 0; i < 3; i++) {
      const res = await client.fetch({ partitions: [{ partition: 0 }] });
      const got = res.partitions[0]?.batches ?? [];
      expect(got).toHaveLength(BATCHES.length);
      got.forEach((b, j) => {
        expect(Buffer.from(b).equals(BATCHES[j] ?? Buffer.alloc(0))).toBe(true);
      });
    }
  });
});
