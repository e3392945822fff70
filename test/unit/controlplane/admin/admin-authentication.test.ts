/**
 * Who may call the AdminService (admin-authentication.ts), through a real gRPC server: a
 * bearer token from the tokens file, or a client certificate over mutual TLS; refusals are
 * UNAUTHENTICATED (no or a bad credential) and PERMISSION_DENIED (authorize says no), and a
 * refused call never reaches the method.
 */
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Interceptor } from '@connectrpc/connect';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminAuthenticationInterceptor,
  type AdminAuthentication,
} from '../../../../controlplane/src/admin/admin-authentication.js';
import {
  AdminService,
  ListTopicsResponseSchema,
} from '../../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { bearerToken } from '../../../../lib/grpc/bearer-token.js';
import { plainDialer, tlsDialer, type GrpcDialer } from '../../../../lib/grpc/grpc-dialer.js';
import { serveGrpc, type GrpcServer } from '../../../../lib/grpc/serve-grpc.js';
import { AdminTokens } from '../../../../lib/security/admin-tokens.js';
import { TlsContext } from '../../../../lib/security/tls-context.js';
import { makeTestCertificates, type TestCertificates } from '../../../support/test-certificates.js';

const ALICE = 'alice-token-0123456789';
const tokens = AdminTokens.parse(`alice:${ALICE}\n`);
const log = pino({ level: 'silent' });
let certs: TestCertificates;
let server: GrpcServer | undefined;
let calls = 0;

beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => {
  certs.remove();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(auth: AdminAuthentication, tls?: TlsContext): Promise<number> {
  server = await serveGrpc(
    { host: '127.0.0.1', port: 0 },
    (r) =>
      r.service(
        AdminService,
        {
          listTopics: () => {
            calls++;
            return create(ListTopicsResponseSchema, {});
          },
        },
        { interceptors: [adminAuthenticationInterceptor(auth)] },
      ),
    tls,
  );
  return server.port;
}

async function outcome(dialer: GrpcDialer, port: number, ...more: Interceptor[]): Promise<string> {
  const before = calls;
  try {
    await createClient(AdminService, dialer.with(more).transport(`127.0.0.1:${port}`)).listTopics(
      {},
    );
    expect(calls).toBe(before + 1);
    return 'ok';
  } catch (e) {
    expect(calls).toBe(before);
    if (!(e instanceof ConnectError)) throw e;
    return `${Code[e.code]}: ${e.rawMessage}`;
  }
}

describe('the AdminService with a tokens file', () => {
  it('serves a known token and refuses a missing, malformed or unknown one', async () => {
    const port = await serve({ tokens: () => tokens, certificates: false });
    expect(await outcome(plainDialer(), port, bearerToken(ALICE))).toBe('ok');
    expect(await outcome(plainDialer(), port)).toMatch(/^Unauthenticated: .*needs a token/);
    expect(await outcome(plainDialer(), port, bearerToken('wrong-token-0123456789'))).toBe(
      'Unauthenticated: the admin token is not valid',
    );
    const basic: Interceptor = (next) => (req) => {
      req.header.set('authorization', 'Basic YWxpY2U6eA==');
      return next(req);
    };
    expect(await outcome(plainDialer(), port, basic)).toMatch(/must be "Bearer <token>"/);
  });

  it('asks authorize with the principal and the method', async () => {
    const asked: string[] = [];
    const port = await serve({
      tokens: () => tokens,
      certificates: false,
      authorize: (principal, method) => {
        asked.push(`${principal} ${method.name}`);
        return false;
      },
    });
    expect(await outcome(plainDialer(), port, bearerToken(ALICE))).toBe(
      'PermissionDenied: User:alice may not call ListTopics',
    );
    expect(asked).toEqual(['User:alice ListTopics']);
  });
});

describe('the AdminService without tokens', () => {
  it('is open over plain HTTP/2 (nothing configured)', async () => {
    const port = await serve({ tokens: undefined, certificates: false });
    expect(await outcome(plainDialer(), port)).toBe('ok');
  });

  it('takes the client certificate as the principal over mutual TLS', async () => {
    const serverTls = await TlsContext.open(
      { certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.caCert },
      60_000,
      log,
    );
    const clientTls = await TlsContext.open(
      { certFile: certs.clientCert, keyFile: certs.clientKey, caFile: certs.caCert },
      60_000,
      log,
    );
    const seen: string[] = [];
    const port = await serve(
      {
        tokens: () => tokens,
        certificates: true,
        authorize: (principal) => {
          seen.push(principal);
          return true;
        },
      },
      serverTls,
    );
    const dialer = tlsDialer(clientTls, undefined);
    expect(await outcome(dialer, port)).toBe('ok');
    expect(await outcome(dialer, port, bearerToken(ALICE))).toBe('ok');
    expect(await outcome(dialer, port, bearerToken('wrong-token-0123456789'))).toBe(
      'Unauthenticated: the admin token is not valid',
    );
    expect(seen).toEqual(['User:CN=alice,O=Kafscale Test,C=NL', 'User:alice']);
    serverTls.stop();
    clientTls.stop();
  });
});
