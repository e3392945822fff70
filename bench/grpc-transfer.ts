/**
 * Fetch answers over gRPC between two services, as the storage node sends them to an edge:
 * 6 partitions of 56 batches of 15.9 KiB (5.1 MiB per answer), client and server in this
 * process over loopback. Rows: connect-node's defaults (the reference: gzip negotiated),
 * no compression with HTTP/2's default 64 KiB windows and 16 KiB frames on the receiving
 * client, and Kafscale's transport (lib/grpc/service-transport.ts and serve-grpc.ts: no
 * compression, the wide windows of http2-windows.ts on both ends).
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { createClient, type ConnectRouter, type Transport } from '@connectrpc/connect';
import { connectNodeAdapter, createGrpcTransport } from '@connectrpc/connect-node';
import {
  FetchPartitionResultSchema,
  FetchResponseSchema,
  StorageService,
  type FetchRequest,
} from '../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { grpcTransport } from '../lib/grpc/service-transport.js';
import { serveGrpc } from '../lib/grpc/serve-grpc.js';

const BATCHES = Array.from({ length: 56 }, () => Buffer.alloc(15_900, 7));
const PARTITIONS = 6;
const ANSWER_BYTES = BATCHES.length * 15_900 * PARTITIONS;

function routes(router: ConnectRouter): void {
  router.service(StorageService, {
    fetch(req: FetchRequest) {
      return create(FetchResponseSchema, {
        partitions: req.partitions.map((p) =>
          create(FetchPartitionResultSchema, { partition: p.partition, batches: BATCHES }),
        ),
      });
    },
  });
}

/** A server with connect-node's defaults (the reference row). */
async function serveDefaults(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http2.createServer(connectNodeAdapter({ routes }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => sessions.add(s));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function mibPerSec(transport: Transport, fetches: number): Promise<number> {
  const client = createClient(StorageService, transport);
  const request = { partitions: Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p })) };
  for (let i = 0; i < 5; i++) await client.fetch(request); // warm-up
  const started = performance.now();
  for (let i = 0; i < fetches; i++) {
    const res = await client.fetch(request);
    if (res.partitions.length !== PARTITIONS) throw new Error('short fetch answer');
  }
  return (fetches * ANSWER_BYTES) / 2 ** 20 / ((performance.now() - started) / 1000);
}

export interface TransferRow {
  readonly name: string;
  readonly mibPerSec: number;
}

export async function grpcTransferBenchmarks(fetches = 40): Promise<TransferRow[]> {
  const defaults = await serveDefaults();
  const tuned = await serveGrpc({ host: '127.0.0.1', port: 0 }, routes);
  try {
    const at = (port: number): string => `http://127.0.0.1:${port}`;
    return [
      {
        name: "connect-node's defaults (gzip negotiated)",
        mibPerSec: await mibPerSec(createGrpcTransport({ baseUrl: at(defaults.port) }), fetches),
      },
      {
        name: "no compression, HTTP/2's default windows (client side)",
        mibPerSec: await mibPerSec(
          createGrpcTransport({ baseUrl: at(tuned.port), acceptCompression: [] }),
          fetches,
        ),
      },
      {
        name: "Kafscale's transport (no compression, wide windows)",
        mibPerSec: await mibPerSec(grpcTransport(at(tuned.port)), fetches),
      },
    ];
  } finally {
    await Promise.all([defaults.close(), tuned.close()]);
  }
}

export function printTransferTable(rows: readonly TransferRow[]): void {
  const reference = rows[0]?.mibPerSec ?? 1;
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'transport'.padEnd(width)}  MiB/s  ratio`);
  for (const r of rows)
    console.log(
      `${r.name.padEnd(width)}  ${r.mibPerSec.toFixed(0).padStart(5)}  ${(r.mibPerSec / reference).toFixed(2).padStart(5)}`,
    );
}
