/**
 * gRPC between services over mutual TLS (serve-grpc.ts with a TLS context, grpc-dialer.ts):
 * a client with a certificate from the CA is served and its principal reaches the handler;
 * a plain HTTP/2 client, a client without a certificate and one with a certificate from
 * another CA are refused; a reloaded server certificate is used for new connections; a
 * configured server name is checked.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { create } from '@bufbuild/protobuf';
import { ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FetchResponseSchema,
  StorageService,
} from '../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { plainDialer, tlsDialer } from '../../../../lib/grpc/grpc-dialer.js';
import { peerPrincipalKey } from '../../../../lib/grpc/peer-principal.js';
import { serveGrpc, type GrpcServer } from '../../../../lib/grpc/serve-grpc.js';
import { TlsContext } from '../../../../lib/security/tls-context.js';
import { makeTestCertificates, type TestCertificates } from '../../../support/test-certificates.js';

const log = pino({ level: 'silent' });
let certs: TestCertificates;
let serverTls: TlsContext;
let server: GrpcServer;
let liveCert: string;
let liveKey: string;
const principals: string[] = [];

async function clientTls(cert: string, key: string): Promise<TlsContext> {
  return TlsContext.open({ certFile: cert, keyFile: key, caFile: certs.caCert }, 60_000, log);
}

function fetchVia(transport: ReturnType<ReturnType<typeof plainDialer>['transport']>) {
  return createClient(StorageService, transport).fetch({}, { timeoutMs: 5_000 });
}

beforeAll(async () => {
  certs = makeTestCertificates();
  liveCert = join(certs.dir, 'grpc-live.pem');
  liveKey = join(certs.dir, 'grpc-live.key');
  copyFileSync(certs.serverCert, liveCert);
  copyFileSync(certs.serverKey, liveKey);
  serverTls = await TlsContext.open(
    { certFile: liveCert, keyFile: liveKey, caFile: certs.caCert },
    50,
    log,
  );
  server = await serveGrpc(
    { host: '127.0.0.1', port: 0 },
    (r) =>
      r.service(StorageService, {
        fetch(_req, ctx) {
          principals.push(ctx.values.get(peerPrincipalKey));
          return create(FetchResponseSchema, {});
        },
      }),
    serverTls,
  );
});

afterAll(async () => {
  await server.close();
  serverTls.stop();
  certs.remove();
});

describe('mutual TLS between services', () => {
  it('serves a client whose certificate chains to the CA, and names its principal', async () => {
    const tls = await clientTls(certs.clientCert, certs.clientKey);
    await fetchVia(tlsDialer(tls, undefined).transport(`127.0.0.1:${server.port}`));
    expect(principals.at(-1)).toBe('User:CN=alice,O=Kafscale Test,C=NL');
    tls.stop();
  });

  it('refuses a plain HTTP/2 client', async () => {
    const err = await fetchVia(plainDialer().transport(`127.0.0.1:${server.port}`)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectError);
    expect(principals).not.toContain('User:ANONYMOUS');
  });

  it('refuses a TLS client without a certificate, and one from another CA', async () => {
    const noCert = createGrpcTransport({
      baseUrl: `https://127.0.0.1:${server.port}`,
      nodeOptions: { ca: readFileSync(certs.caCert) },
    });
    const refusedNoCert = await fetchVia(noCert).catch((e: unknown) => e);
    expect(refusedNoCert).toBeInstanceOf(ConnectError);

    const rogue = await TlsContext.open(
      { certFile: certs.rogueCert, keyFile: certs.rogueKey, caFile: certs.caCert },
      60_000,
      log,
    );
    const before = principals.length;
    const refusedRogue = await fetchVia(
      tlsDialer(rogue, undefined).transport(`127.0.0.1:${server.port}`),
    ).catch((e: unknown) => e);
    expect(refusedRogue).toBeInstanceOf(ConnectError);
    expect(principals.length).toBe(before); // the handler never ran
    rogue.stop();
  });

  it('checks the server name when one is configured', async () => {
    const tls = await clientTls(certs.clientCert, certs.clientKey);
    await fetchVia(tlsDialer(tls, 'localhost').transport(`127.0.0.1:${server.port}`));
    const wrong = await fetchVia(
      tlsDialer(tls, 'storage.example.com').transport(`127.0.0.1:${server.port}`),
    ).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ConnectError);
    expect((wrong as ConnectError).message).toMatch(/storage\.example\.com/);
    tls.stop();
  });

  it('dials with a reloaded client certificate', async () => {
    const cert = join(certs.dir, 'client-live.pem');
    const key = join(certs.dir, 'client-live.key');
    copyFileSync(certs.rogueCert, cert);
    copyFileSync(certs.rogueKey, key);
    const tls = await TlsContext.open(
      { certFile: cert, keyFile: key, caFile: certs.caCert },
      50,
      log,
    );
    const transport = tlsDialer(tls, undefined).transport(`127.0.0.1:${server.port}`);
    expect(await fetchVia(transport).catch((e: unknown) => e)).toBeInstanceOf(ConnectError);
    copyFileSync(certs.clientCert, cert);
    copyFileSync(certs.clientKey, key);
    await expect
      .poll(
        async () =>
          fetchVia(transport)
            .then(() => principals.at(-1))
            .catch(() => 'refused'),
        {
          timeout: 5_000,
        },
      )
      .toBe('User:CN=alice,O=Kafscale Test,C=NL');
    tls.stop();
  });

  it('gives new connections a reloaded server certificate', async () => {
    const subjectOfServer = () =>
      new Promise<PeerCertificate>((resolve, reject) => {
        const socket = tlsConnect(
          {
            host: '127.0.0.1',
            port: server.port,
            ca: serverTls.options().ca,
            cert: serverTls.options().cert,
            key: serverTls.options().key,
            ALPNProtocols: ['h2'],
            servername: 'localhost',
          },
          () => {
            resolve(socket.getPeerCertificate());
            socket.end();
          },
        );
        socket.once('error', reject);
      });
    expect((await subjectOfServer()).subject.CN).toBe('localhost');
    const next = certs.issueServer('grpc-next', 'storage-2.kafscale');
    copyFileSync(next.cert, liveCert);
    copyFileSync(next.key, liveKey);
    await expect
      .poll(async () => (await subjectOfServer()).subject.CN, { timeout: 5_000 })
      .toBe('storage-2.kafscale');
  });
});
